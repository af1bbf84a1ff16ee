import type { GroupsQuery, NetworkGroupList, NetworkQuery, SubjectNetworkView } from '@cordon/contracts';
import { analyseNetwork, buildNetwork, MAX_SUBJECTS_PER_LINK, type HeldIdentifier, type Occurrence } from '@cordon/engine';
import { sql, type Db } from '@cordon/db';
import { notFound } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import type { SubjectsService } from './subjects.service.js';
import { directorPairs, pairKey } from './directors.js';
import { displayName } from './display-name.js';

type Kind = SubjectNetworkView['nodes'][number]['kind'];

/** Identifiers that link subjects in the network view (an ID or tax code shared by two subjects is a resolution problem, not a link). */
const LINKING_KEYS = ['PHONE:'];

/**
 * The subject network, always through the cases the user sees in full: a neighbourhood around one
 * subject (1 or 2 links out) and the groups (Louvain communities) with their key players.
 */
export function createNetworksService({ subjects }: { db: Db; subjects: SubjectsService }) {
  /** Visible member rows of the given subjects, of the given cases, or holding one of the given identifier keys. */
  async function rowsFor(p: Principal, by: { subjects?: string[]; cases?: string[]; keys?: string[]; from?: string; to?: string }) {
    let q = subjects.visibleMembers(p).select(['m.case_subject_id', 'm.subject_id', 'm.case_id', 'm.keys', 's.role', 's.kind', 's.name']);
    if (by.from) q = q.where('c.detected_on', '>=', by.from);
    if (by.to) q = q.where('c.detected_on', '<=', by.to);
    if (by.subjects) q = q.where('m.subject_id', 'in', by.subjects);
    if (by.cases) q = q.where('m.case_id', 'in', by.cases);
    if (by.keys) q = q.where(sql<boolean>`m.keys && ${sql.val(by.keys)}::text[]`);
    return q.execute();
  }
  type Row = Awaited<ReturnType<typeof rowsFor>>[number];

  const chunks = <T>(xs: T[], n = 1000) => Array.from({ length: Math.ceil(xs.length / n) }, (_, k) => xs.slice(k * n, k * n + n));
  const linking = (keys: readonly string[]) => keys.filter((k) => LINKING_KEYS.some((x) => k.startsWith(x)));

  /**
   * The subjects around one, d links out, following the links the groups are built from
   * (`buildNetwork`): appearing in the same case, and holding the same phone number (a number held by
   * more than `MAX_SUBJECTS_PER_LINK` subjects links nobody, as there). Every row read is one the user sees in
   * full: a phone read from a hidden record links nothing.
   *
   * `from`/`to` keep only cases detected in that period: every row read is on such a case, so a phone
   * number links only through records on them. `kinds` keeps only subjects of those kinds (the start
   * subject always): a subject of another kind is not shown and nothing is reached through it.
   */
  async function neighbourhood(p: Principal, id: string, q: NetworkQuery): Promise<SubjectNetworkView> {
    const depthOf = new Map<string, number>([[id, 0]]);
    const rows = new Map<string, Row>(); // by case subject record: a record reached twice counts once
    const seenCases = new Set<string>();
    const seenKeys = new Set<string>();
    let frontier = [id];
    let truncated = false;
    const period = { from: q.from, to: q.to };
    const shown = (r: Row) => r.subject_id === id || !q.kinds || (q.kinds as readonly string[]).includes(r.kind);
    const reach = (r: Row, d: number, next: string[]) => {
      if (!shown(r)) return;
      if (!depthOf.has(r.subject_id)) {
        if (depthOf.size >= q.limit) {
          truncated = true;
          return;
        }
        depthOf.set(r.subject_id, d);
        next.push(r.subject_id);
      }
      rows.set(r.case_subject_id, r);
    };
    for (let d = 1; d <= q.depth && frontier.length; d++) {
      const own = (await Promise.all(chunks(frontier).map((c) => rowsFor(p, { subjects: c, ...period })))).flat();
      // a subject the user sees but with no case in the period: shown alone
      if (d === 1 && !own.length && !(await subjects.visibleMembers(p).select('m.subject_id').where('m.subject_id', '=', id).limit(1).executeTakeFirst())) throw notFound('Subject');
      const cases = [...new Set(own.map((r) => r.case_id))].filter((c) => !seenCases.has(c));
      cases.forEach((c) => seenCases.add(c));
      const keys = [...new Set(own.flatMap((r) => linking(r.keys)))].filter((k) => !seenKeys.has(k));
      keys.forEach((k) => seenKeys.add(k));
      const [around, holding] = await Promise.all([
        cases.length ? Promise.all(chunks(cases).map((c) => rowsFor(p, { cases: c, ...period }))).then((x) => x.flat()) : [],
        keys.length ? Promise.all(chunks(keys).map((c) => rowsFor(p, { keys: c, ...period }))).then((x) => x.flat()) : [],
      ]);
      const next: string[] = [];
      for (const r of around) reach(r, d, next);
      // subjects holding a frontier subject's number, unless so many hold it that it links nobody
      const wanted = new Set(keys);
      const holders = new Map<string, Set<string>>();
      for (const r of holding) for (const k of linking(r.keys)) if (wanted.has(k)) (holders.get(k) ?? holders.set(k, new Set()).get(k)!).add(r.subject_id);
      const linked = new Set([...holders.values()].filter((h) => h.size >= 2 && h.size <= MAX_SUBJECTS_PER_LINK).flatMap((h) => [...h]));
      for (const r of holding) if (linked.has(r.subject_id)) reach(r, d, next);
      frontier = next;
    }
    const list = [...rows.values()];
    const net = buildNetwork(
      list.map((r) => ({ subjectId: r.subject_id, caseId: r.case_id, role: r.role, kind: r.kind })),
      list.flatMap((r) => linking(r.keys).map((key) => ({ subjectId: r.subject_id, key }))),
    );
    // names from every record of the node the user sees, not only the reached ones: the same name as
    // on the subject's page and in the search list
    const ids = [...depthOf.keys()];
    const named = (await Promise.all(chunks(ids).map((c) => subjects.visibleMembers(p).select(['m.subject_id', 's.name', 's.kind']).where('m.subject_id', 'in', c).execute()))).flat();
    const names = namesOf(named);
    const kinds = new Map(named.map((r) => [r.subject_id, r.kind])); // for the start subject with no case in the period
    const directors = directorPairs(list);
    return {
      center: id,
      nodes: [...depthOf].map(([sid, depth]) => ({
        id: sid,
        kind: (net.kindOf.get(sid) ?? kinds.get(sid) ?? 'person') as Kind,
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
    const held: HeldIdentifier[] = rows.flatMap((r) => linking(r.keys).map((key) => ({ subjectId: r.subject_id, key })));
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

/** Each subject's display name (`displayName`) from the rows given. */
function namesOf(rows: readonly { subject_id: string; name: string }[]) {
  const all = new Map<string, string[]>();
  for (const r of rows) (all.get(r.subject_id) ?? all.set(r.subject_id, []).get(r.subject_id)!).push(r.name);
  return new Map([...all].map(([s, names]) => [s, displayName(names)]));
}

export type NetworksService = ReturnType<typeof createNetworksService>;
