import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { GroupsPage, SubjectsSearchPage } from './subjects-home.js';
import { SubjectPage } from './subject-page.js';

/** /subjects and below. */
export function SubjectsRoutes() {
  return (
    <Routes>
      <Route index element={<SubjectsSearchPage />} />
      <Route path="groups" element={<GroupsPage />} />
      <Route path=":id" element={<SubjectPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
