import type { Role } from './common.js';

/**
 * The sections of the app and who sees them in the navigation. The server enforces access on every
 * route; this table only decides what the menu offers.
 */
export const SECTIONS = [
  // The dashboard shows the situation report to every role that has `reports` below, the list of sections to the rest.
  { key: 'dashboard', path: '/', roles: 'all', ready: true },
  { key: 'cases', path: '/cases', roles: ['admin', 'analyst', 'officer', 'provincial_coordinator', 'viewer'], ready: true },
  { key: 'custody', path: '/custody', roles: ['admin', 'analyst', 'officer', 'provincial_coordinator', 'viewer'], ready: true },
  { key: 'reports', path: '/reports', roles: ['admin', 'analyst', 'provincial_coordinator', 'viewer', 'officer'], ready: true },
  // Officers and analysts see the tips routed to their units (the server scopes them).
  { key: 'tips', path: '/tips', roles: ['admin', 'tip_triage', 'provincial_coordinator', 'officer', 'analyst'], ready: true },
  // Customs officers read declarations and scores and record outcomes (docs/risk-engine.md); `officer` is
  // every force's role, so the menu also asks the unit's force (the server checks the unit is in Customs).
  { key: 'risk', path: '/risk', roles: ['admin', 'risk_analyst'], forceRoles: { force: 'CUSTOMS', roles: ['officer'] }, ready: true },
  { key: 'subjects', path: '/subjects', roles: ['admin', 'analyst', 'officer', 'provincial_coordinator'], ready: true },
  { key: 'directives', path: '/directives', roles: ['admin', 'analyst', 'provincial_coordinator', 'officer', 'viewer'], ready: true },
  { key: 'commendations', path: '/commendations', roles: ['admin', 'analyst', 'provincial_coordinator', 'officer', 'viewer'], ready: true },
  { key: 'admin', path: '/admin', roles: ['admin'], ready: true },
  { key: 'audit', path: '/audit', roles: ['admin', 'auditor'], ready: true },
] as const satisfies readonly { key: string; path: string; roles: readonly Role[] | 'all'; forceRoles?: { force: string; roles: readonly Role[] }; ready: boolean }[];

export type SectionKey = (typeof SECTIONS)[number]['key'];

/** The sections a user's roles open, and those open to their roles in their unit's force (`Me.unit.forceCode`). */
export function sectionsFor(roles: readonly Role[], unit?: { forceCode?: string | null }) {
  return SECTIONS.filter((s) => {
    if (s.roles === 'all' || s.roles.some((r) => roles.includes(r))) return true;
    const byForce = 'forceRoles' in s ? s.forceRoles : undefined;
    return !!byForce && unit?.forceCode === byForce.force && byForce.roles.some((r) => roles.includes(r));
  });
}
