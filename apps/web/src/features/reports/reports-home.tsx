import { sectionsFor } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { DashboardPage } from '../dashboard/dashboard-page.js';
import { ForbiddenPage } from '../shell/status-pages.js';
import { ReportsView } from './reports-page.js';

/** Whether the navigation offers this user "Reports" (SECTIONS in packages/contracts/src/navigation.ts). */
function useReadsReports(): boolean {
  const me = useMe();
  return sectionsFor(me.roles).some((s) => s.key === 'reports');
}

/**
 * The dashboard: for the roles that read reports, the situation of the current period; for the others
 * (auditors, tip triage, risk analysts), the list of their sections as before.
 */
export function HomePage() {
  const t = useT();
  const me = useMe();
  if (!useReadsReports()) return <DashboardPage />;
  return <ReportsView title={t('reports.dashboardTitle')} intro={<p className="muted report-greeting">{t('dashboard.greeting', { name: me.displayName })}</p>} />;
}

/** /reports. The server refuses other roles anyway; this spares them a page of errors. */
export function ReportsPage() {
  if (!useReadsReports()) return <ForbiddenPage />;
  return <ReportsView />;
}
