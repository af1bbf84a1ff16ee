import { Route, Routes } from 'react-router';
import { NotFoundPage, RequireRole } from '../shell/status-pages.js';
import { CASE_WRITER_ROLES } from './reference.js';
import { CasesListPage } from './cases-list-page.js';
import { CaseEditPage, CaseNewPage } from './case-new-page.js';
import { CaseImportPage } from './case-import-page.js';
import { CasePage } from './case-page.js';
import { JointProposalsPage } from './joint-proposals-page.js';
import type { ReactNode } from 'react';

function Writers({ children }: { children: ReactNode }) {
  return <RequireRole roles={CASE_WRITER_ROLES}>{children}</RequireRole>;
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
