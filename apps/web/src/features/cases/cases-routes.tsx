import { Route, Routes } from 'react-router';
import { useMe } from '../../session/session.js';
import { ForbiddenPage, NotFoundPage } from '../shell/status-pages.js';
import { CASE_WRITER_ROLES } from './reference.js';
import { CasesListPage } from './cases-list-page.js';
import { CaseEditPage, CaseNewPage } from './case-new-page.js';
import { CaseImportPage } from './case-import-page.js';
import { CasePage } from './case-page.js';
import { JointProposalsPage } from './joint-proposals-page.js';
import type { ReactNode } from 'react';

function Writers({ children }: { children: ReactNode }) {
  const me = useMe();
  // The server refuses writes from other roles anyway; this spares them a form they cannot send.
  if (!me.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r))) return <ForbiddenPage />;
  return <>{children}</>;
}

/** /cases and below. */
export function CasesRoutes() {
  return (
    <Routes>
      <Route index element={<CasesListPage />} />
      <Route path="new" element={<Writers><CaseNewPage /></Writers>} />
      <Route path="import" element={<Writers><CaseImportPage /></Writers>} />
      <Route path="joint" element={<JointProposalsPage />} />
      <Route path=":id" element={<CasePage />} />
      <Route path=":id/edit" element={<Writers><CaseEditPage /></Writers>} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
