import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { RiskHome } from './risk-home.js';
import { RiskDeclarationPage } from './risk-declaration-page.js';

/** /risk and below (the app gates the section to the risk roles; the server to Customs). */
export function RiskRoutes() {
  return (
    <Routes>
      <Route index element={<RiskHome />} />
      <Route path="declarations/:id" element={<RiskDeclarationPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
