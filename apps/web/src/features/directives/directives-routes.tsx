import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { CompliancePage, DirectiveListPage, MyTasksPage } from './directives-home.js';
import { DirectiveNewPage } from './directive-new-page.js';
import { DirectivePage } from './directive-page.js';
import { TaskPage } from './task-page.js';

/** /directives and below. The server decides who sees and does what; the screens follow its answers. */
export function DirectivesRoutes() {
  return (
    <Routes>
      <Route index element={<MyTasksPage />} />
      <Route path="list" element={<DirectiveListPage />} />
      <Route path="compliance" element={<CompliancePage />} />
      <Route path="new" element={<DirectiveNewPage />} />
      <Route path="tasks/:id" element={<TaskPage />} />
      <Route path=":id" element={<DirectivePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
