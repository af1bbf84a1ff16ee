import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { CustodyHomePage } from './warehouses-page.js';
import { CustodyItemPage } from './item-page.js';

/** /custody and below (the print label lives outside the app's frame: see app.tsx). */
export function CustodyRoutes() {
  return (
    <Routes>
      <Route index element={<CustodyHomePage />} />
      <Route path="items/:id" element={<CustodyItemPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
