/**
 * Company directors (issue 7): a company's directors, legal representatives and owners are the persons
 * recorded with such a role on the cases that name the company. Everything here reads only rows the
 * caller already limited to cases the user sees in full (`visibleMembers`), so a director named only in
 * a case the user may not open is not shown, nor is the link.
 */
import type { SubjectRelation } from '@cordon/contracts';
import { displayName } from './display-name.js';

/**
 * Roles that make a person a company's director on a case: `director` (giám đốc) and
 * `legal_representative` (người đại diện theo pháp luật), in the case registry's `SUBJECT_ROLES` since
 * session 6, and `owner` (chủ hàng), what officers recorded for the person behind a company's goods
 * before those existed.
 */
export const DIRECTOR_ROLES: readonly string[] = ['director', 'legal_representative', 'owner'];

export interface RoleRow {
  subject_id: string;
  case_id: string;
  kind: string;
  role: string;
  name: string;
}

/** "person company" → the person, for every director pair on one case among the rows. */
export function directorPairs(rows: readonly RoleRow[]): Map<string, string> {
  const byCase = new Map<string, { persons: Set<string>; companies: Set<string> }>();
  for (const r of rows) {
    const isDirector = r.kind === 'person' && DIRECTOR_ROLES.includes(r.role);
    if (!isDirector && r.kind !== 'company') continue;
    const c = byCase.get(r.case_id) ?? byCase.set(r.case_id, { persons: new Set(), companies: new Set() }).get(r.case_id)!;
    (isDirector ? c.persons : c.companies).add(r.subject_id);
  }
  const out = new Map<string, string>();
  for (const { persons, companies } of byCase.values()) {
    for (const person of persons) for (const company of companies) out.set(pairKey(person, company), person);
  }
  return out;
}

/** The key of an unordered pair of subjects. */
export const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Related subjects from their rows: display name (`displayName`), roles, cases in common; most cases first. */
export function relationsOf(rows: readonly RoleRow[]): SubjectRelation[] {
  const by = new Map<string, { kind: string; names: string[]; roles: Set<string>; cases: Set<string> }>();
  for (const r of rows) {
    const e = by.get(r.subject_id) ?? by.set(r.subject_id, { kind: r.kind, names: [], roles: new Set(), cases: new Set() }).get(r.subject_id)!;
    e.names.push(r.name);
    e.roles.add(r.role);
    e.cases.add(r.case_id);
  }
  return [...by]
    .map(([id, e]) => ({
      id,
      kind: e.kind as SubjectRelation['kind'],
      name: displayName(e.names),
      roles: [...e.roles].sort(),
      cases: e.cases.size,
    }))
    .sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name, 'vi') || (a.id < b.id ? -1 : 1));
}
