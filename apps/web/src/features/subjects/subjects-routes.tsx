import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/status-pages.js';
import { GroupsPage, SubjectsSearchPage } from './subjects-home.js';
import { SubjectPage } from './subject-page.js';
import { ReviewQueuePage } from './subject-review.js';
import { WatchlistPage } from './watchlist.js';

/** /subjects and below. */
export function SubjectsRoutes() {
  return (
    <Routes>
      <Route index element={<SubjectsSearchPage />} />
      <Route path="groups" element={<GroupsPage />} />
      <Route path="review" element={<ReviewQueuePage />} />
      <Route path="watch" element={<WatchlistPage />} />
      <Route path=":id" element={<SubjectPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
