import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { TipsQueuePage } from './tips-queue-page.js';
import { TipPage } from './tip-page.js';
import { TipHotlinePage } from './tip-hotline-page.js';
import { TipRoutingPage } from './tip-routing-page.js';

/** /tips and below (the app gates the whole section to the triage roles). */
export function TipsRoutes() {
  return (
    <Routes>
      <Route index element={<TipsQueuePage />} />
      <Route path="hotline" element={<TipHotlinePage />} />
      <Route path="routing" element={<TipRoutingPage />} />
      <Route path=":id" element={<TipPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
