import { Navigate, Route, Routes } from 'react-router';
import { SECTIONS } from './contracts.js';
import { useSession } from './session/session.js';
import { useT } from './i18n/i18n.js';
import { errorText } from './components/form.js';
import { Loading } from './components/ui.js';
import { LoginPage } from './features/login/login-page.js';
import { AppShell } from './features/shell/app-shell.js';
import { ComingSoonPage, NotFoundPage, RequireRole } from './features/shell/status-pages.js';
import { AccountPage } from './features/account/account-page.js';
import { AdminPage } from './features/admin/admin-page.js';
import { AuditPage } from './features/audit/audit-page.js';
import { CasesRoutes } from './features/cases/cases-routes.js';
import { CustodyRoutes } from './features/custody/custody-routes.js';
import { CustodyLabelPage } from './features/custody/label-page.js';
import { HomePage, ReportsPage } from './features/reports/reports-home.js';
import { TipsRoutes } from './features/tips/tips-routes.js';
import { TIP_WORKER_ROLES } from './features/tips/tip-bits.js';
import { DirectivesRoutes } from './features/directives/directives-routes.js';
import { CommendationsPage } from './features/commendations/commendations-page.js';
import { RiskRoutes } from './features/risk/risk-routes.js';
import { RISK_ROLES } from './features/risk/risk-bits.js';
import { SubjectsRoutes } from './features/subjects/subjects-routes.js';

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

  // sections not built yet (possibly none: then TypeScript cannot narrow the keys by itself)
  const pending = SECTIONS.filter((s) => !s.ready) as readonly { key: Parameters<typeof ComingSoonPage>[0]['section']; path: string }[];
  return (
    <Routes>
      {/* The print label stands alone, outside the app's frame, so it prints by itself. */}
      <Route path="custody/items/:id/label" element={<CustodyLabelPage />} />
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
        <Route path="custody/*" element={<CustodyRoutes />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="directives/*" element={<DirectivesRoutes />} />
        <Route path="commendations" element={<CommendationsPage />} />
        <Route path="subjects/*" element={<SubjectsRoutes />} />
        <Route
          path="tips/*"
          element={
            <RequireRole roles={TIP_WORKER_ROLES}>
              <TipsRoutes />
            </RequireRole>
          }
        />
        <Route
          path="risk/*"
          element={
            <RequireRole roles={RISK_ROLES}>
              <RiskRoutes />
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
