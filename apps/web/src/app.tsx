import { Navigate, Route, Routes } from 'react-router';
import { SECTIONS, type Role } from './contracts.js';
import { useSession } from './session/session.js';
import { useT } from './i18n/i18n.js';
import { errorText } from './components/form.js';
import { Loading } from './components/ui.js';
import { LoginPage } from './features/login/login-page.js';
import { AppShell } from './features/shell/app-shell.js';
import { ComingSoonPage, ForbiddenPage, NotFoundPage } from './features/shell/status-pages.js';
import { AccountPage } from './features/account/account-page.js';
import { AdminPage } from './features/admin/admin-page.js';
import { AuditPage } from './features/audit/audit-page.js';
import { CasesRoutes } from './features/cases/cases-routes.js';
import { HomePage, ReportsPage } from './features/reports/reports-home.js';
import { TipsRoutes } from './features/tips/tips-routes.js';
import { TIP_TRIAGE_ROLES } from './features/tips/tip-bits.js';
import type { ReactNode } from 'react';

function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { me } = useSession();
  // The server refuses these routes anyway; this only spares a screen full of "forbidden" errors.
  if (!me?.roles.some((r) => roles.includes(r))) return <ForbiddenPage />;
  return <>{children}</>;
}

export function App() {
  const { me, ready, startupError, retry } = useSession();
  const t = useT();
  if (!ready) return <Loading />;
  if (startupError && !me) {
    return (
      <main className="centered">
        <div className="card">
          <h1>Cordon</h1>
          <p role="alert">{errorText(t, startupError)}</p>
          <button type="button" className="btn btn-primary" onClick={retry}>
            {t('common.retry')}
          </button>
        </div>
      </main>
    );
  }
  if (!me) return <LoginPage />;

  const pending = SECTIONS.filter((s) => !s.ready);
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<HomePage />} />
        <Route path="account" element={<AccountPage />} />
        <Route
          path="admin/*"
          element={
            <RequireRole roles={['admin']}>
              <AdminPage />
            </RequireRole>
          }
        />
        <Route
          path="audit"
          element={
            <RequireRole roles={['admin', 'auditor']}>
              <AuditPage />
            </RequireRole>
          }
        />
        <Route path="cases/*" element={<CasesRoutes />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route
          path="tips/*"
          element={
            <RequireRole roles={TIP_TRIAGE_ROLES}>
              <TipsRoutes />
            </RequireRole>
          }
        />
        {pending.map((s) => (
          <Route key={s.key} path={`${s.path.slice(1)}/*`} element={<ComingSoonPage section={s.key} />} />
        ))}
        <Route path="login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
