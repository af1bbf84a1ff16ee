import { Route, Routes } from 'react-router';
import type { ReactNode } from 'react';
import { NotFoundPage, RequireRole } from '../shell/status-pages.js';
import { TIP_TRIAGE_ROLES } from './tip-bits.js';
import { TipsQueuePage } from './tips-queue-page.js';
import { TipPage } from './tip-page.js';
import { TipHotlinePage } from './tip-hotline-page.js';
import { TipRoutingPage } from './tip-routing-page.js';

/** Recording hotline calls and the routing rules are triage's (the server refuses the rest too). */
function TriageOnly({ children }: { children: ReactNode }) {
  return <RequireRole roles={TIP_TRIAGE_ROLES}>{children}</RequireRole>;
}

/** /tips and below (the app gates the section to the triage roles and the officers a tip is routed to). */
export function TipsRoutes() {
  return (
    <Routes>
      <Route index element={<TipsQueuePage />} />
      <Route path="hotline" element={<TriageOnly><TipHotlinePage /></TriageOnly>} />
      <Route path="routing" element={<TriageOnly><TipRoutingPage /></TriageOnly>} />
      <Route path=":id" element={<TipPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
