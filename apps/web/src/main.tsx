import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
const reactRoot = createRoot(root);

/*
 * Two entry chunks: the public tip pages (/report…) for a member of the public on a phone, and the
 * staff app. The public one never loads the staff screens, asks for no session and sends no cookie-bound
 * request; each is fetched only when its address is opened.
 */
if (/^\/report(\/|$)/.test(window.location.pathname)) {
  void import('./features/public/public-app.js').then(({ PublicApp }) =>
    reactRoot.render(
      <StrictMode>
        <BrowserRouter>
          <PublicApp />
        </BrowserRouter>
      </StrictMode>,
    ),
  );
} else {
  void Promise.all([import('./session/session.js'), import('./app.js')]).then(([{ SessionProvider }, { App }]) =>
    reactRoot.render(
      <StrictMode>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </StrictMode>,
    ),
  );
}
