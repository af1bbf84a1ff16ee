import type { GroupsQuery, NetworkGroupList, NetworkQuery, SubjectNetworkView } from '@cordon/contracts';
import { analyseNetwork, buildNetwork, type HeldIdentifier, type Occurrence } from '@cordon/engine';
import type { Db } from '@cordon/db';
import { notFound } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { SubjectsService } from './subjects.service.js';
import { directorPairs, pairKey } from './directors.js';

type Kind = SubjectNetworkView['nodes'][number]['kind'];

/** Identifiers that link subjects in the network view (an ID or tax code shared by two subjects is a resolution problem, not a link). */
const LINKING_KEYS = ['PHONE:'];

/**
 * The subject network, always through the cases the user sees in full: a neighbourhood around one
 * subject (1 or 2 links out) and the groups (Louvain communities) with their key players.
 */
export function createNetworksService({ subjects }: { db: Db; subjects: SubjectsService }) {
  /** Visible member rows of the given subjects' cases, or of the given cases. */
  async function rowsFor(p: Principal, by: { subjects?: string[]; cases?: string[] }) {
    let q = subjects.visibleMembers(p).select(['m.subject_id', 'm.case_id', 'm.keys', 's.role', 's.kind', 's.name']);
    if (by.subjects) q = q.where('m.subject_id', 'in', by.subjects);
    if (by.cases) q = q.where('m.case_id', 'in', by.cases);
    return q.execute();
  }

  const chunks = <T>(xs: T[], n = 1000) => Array.from({ length: Math.ceil(xs.length / n) }, (_, k) => xs.slice(k * n, k * n + n));

  async function neighbourhood(p: Principal, id: string, q: NetworkQuery): Promise<SubjectNetworkView> {
    const depthOf = new Map<string, number>([[id, 0]]);
    const rows: Awaited<ReturnType<typeof rowsFor>> = [];
    const seenCases = new Set<string>();
    let frontier = [id];
    let truncated = false;
    for (let d = 1; d <= q.depth && frontier.length; d++) {
      const own = (await Promise.all(chunks(frontier).map((c) => rowsFor(p, { subjects: c })))).flat();
      if (d === 1 && !own.length) throw notFound('Subject');
      const cases = [...new Set(own.map((r) => r.case_id))].filter((c) => !seenCases.has(c));
      cases.forEach((c) => seenCases.add(c));
      const around = cases.length ? (await Promise.all(chunks(cases).map((c) => rowsFor(p, { cases: c })))).flat() : [];
      const next: string[] = [];
      for (const r of around) {
        if (!depthOf.has(r.subject_id)) {
          if (depthOf.size >= q.limit) {
            truncated = true;
            continue;
          }
          depthOf.set(r.subject_id, d);
          next.push(r.subject_id);
        }
        if (depthOf.has(r.subject_id)) rows.push(r);
      }
      frontier = next;
    }
    const occurrences: Occurrence[] = rows.map((r) => ({ subjectId: r.subject_id, caseId: r.case_id, role: r.role, kind: r.kind }));
    const held: HeldIdentifier[] = rows.flatMap((r) => r.keys.filter((k) => LINKING_KEYS.some((x) => k.startsWith(x))).map((key) => ({ subjectId: r.subject_id, key })));
    const net = buildNetwork(occurrences, held);
    const names = namesOf(rows);
    const directors = directorPairs(rows);
    return {
      center: id,
      nodes: [...depthOf].map(([sid, depth]) => ({
        id: sid,
        kind: (net.kindOf.get(sid) ?? 'person') as Kind,
        name: names.get(sid) ?? '',
        caseCount: net.casesOf.get(sid)?.length ?? 0,
        depth,
        roles: [...(net.roles.get(sid)?.keys() ?? [])].sort(),
      })),
      links: net.edges.map((e) => ({ source: e.source, target: e.target, cases: e.cases, shared: e.shared, director: directors.get(pairKey(e.source, e.target)) ?? null })),
      truncated,
    };
  }

  /** Groups over every case the user sees in full, biggest by cases first, with their key players. */
  async function groups(p: Principal, q: GroupsQuery): Promise<NetworkGroupList> {
    const rows = await subjects.visibleMembers(p).select(['m.subject_id', 'm.case_id', 'm.keys', 's.role', 's.kind', 's.name']).execute();
    const occurrences: Occurrence[] = rows.map((r) => ({ subjectId: r.subject_id, caseId: r.case_id, role: r.role, kind: r.kind }));
    const held: HeldIdentifier[] = rows.flatMap((r) => r.keys.filter((k) => LINKING_KEYS.some((x) => k.startsWith(x))).map((key) => ({ subjectId: r.subject_id, key })));
    const net = buildNetwork(occurrences, held);
    const found = analyseNetwork(net, { minCases: q.minCases });
    const names = namesOf(rows);
    return {
      subjects: net.nodes.length,
      links: net.edges.length,
      items: found.slice(0, q.limit).map((g) => ({
        id: g.id,
        size: g.size,
        cases: g.cases,
        density: g.density,
        keyPlayers: g.members.slice(0, 10).map((m) => ({
          id: m.subjectId,
          kind: (m.kind ?? 'person') as Kind,
          name: names.get(m.subjectId) ?? '',
          score: m.score,
          degree: m.degree,
          betweenness: m.betweenness,
          role: m.role,
          roleCount: m.roleCount,
          cases: m.cases,
          reason: m.reason,
        })),
      })),
    };
  }

  return { neighbourhood, groups };
}

/** The most frequent name per subject among the rows given. */
function namesOf(rows: { subject_id: string; name: string }[]) {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const c = counts.get(r.subject_id) ?? counts.set(r.subject_id, new Map()).get(r.subject_id)!;
    c.set(r.name, (c.get(r.name) ?? 0) + 1);
  }
  return new Map([...counts].map(([s, c]) => [s, [...c].sort((a, b) => b[1] - a[1])[0]![0]]));
}

export type NetworksService = ReturnType<typeof createNetworksService>;
