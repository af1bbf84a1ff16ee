import { randomUUID } from 'node:crypto';
import type { MergeSubjectsBody, SplitSubjectBody, SubjectDetail, SubjectIdentifier, SubjectMember, SubjectRelation, SubjectSearchQuery, SubjectSummary, SubjectSyncResult } from '@cordon/contracts';
import { assignSubjects, candidateKeys, groupSubjectRecords, holdFuzzyLinks, RECORD_READER_ROLES, subjectKeys, type CurrentMembership } from '@cordon/engine';
import { foldVietnamese } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { proposeHeldLinks, reopenProposals, withdrawStaleProposals } from './subject-proposals.queries.js';
import { fingerprintSql, keysVersion, lastFullRunModels, ordSql, planSync, writeKeys, type KeyDerivation } from './subject-sync.js';
import { subjectGazetteer } from './subject-gazetteer.js';
import { DIRECTOR_ROLES, relationsOf } from './directors.js';
import { displayName, displayNameSql } from './display-name.js';

type Tx = Kysely<Database>;

/** Roles that merge and split subjects. */
export const SUBJECT_DECIDER_ROLES = ['analyst', 'admin'] as const;
const CASE_RECORD_TYPE = 'case';
const BATCH = 500;

/**
 * Cases the principal sees in full (the rule `cases.searchQuery` uses for subject fields): a visible
 * restricted or secret case, or an internal one of a handling unit or shared. Subjects are fields of a
 * case's full view, so a subject is seen only through such cases.
 */
export function fullCaseCondition(p: Principal, alias = 'c') {
  if (!p.roles.some((r) => RECORD_READER_ROLES.includes(r))) return sql<boolean>`false`;
  const units = sql`${sql.val(p.unitIds)}::uuid[]`;
  const ref = (col: string) => sql.ref(`${alias}.${col}`);
  const share = (who: ReturnType<typeof sql>) => sql`EXISTS (SELECT 1 FROM record_shares s WHERE s.record_type = ${CASE_RECORD_TYPE}
    AND s.record_id = ${ref('id')} AND s.revoked_at IS NULL AND ${who})`;
  // the policy (decideAccess): secret → named or shared with the user by name; otherwise a handling
  // unit, or shared with the user or the user's unit
  return sql<boolean>`(
    (${ref('sensitivity')} = 'secret' AND (${p.userId}::uuid = ANY(${ref('named_user_ids')}) OR ${share(sql`s.user_id = ${p.userId}`)}))
    OR (${ref('sensitivity')} <> 'secret' AND (${ref('handling_unit_ids')} && ${units} OR ${share(sql`(s.user_id = ${p.userId} OR s.unit_id = ANY(${units}))`)}))
  )`;
}

const KEY_KINDS = ['ID', 'TAX', 'PLATE', 'IMO', 'PHONE'] as const;
const identifiersOf = (keys: string[]): SubjectIdentifier[] =>
  [...new Set(keys)].sort().flatMap((k) => {
    const c = k.indexOf(':');
    const kind = k.slice(0, c) as SubjectIdentifier['kind'];
    return KEY_KINDS.includes(kind) ? [{ kind, value: k.slice(c + 1) }] : [];
  });

/** A background sync (`declineAbove`) found more to resolve than it may: nothing was written. */
export class SyncDeclined extends Error {}

export function createSubjectsService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  // ---------------------------------------------------------------------------------------- sync

  /**
   * Runs entity resolution over every case subject record and writes subjects and memberships. Only
   * what changed is written: a second run over the same records writes nothing. Records an analyst
   * placed (pinned) stay where they are; subjects an analyst merged away are never reused. Identifier
   * links apply; scored (fuzzy) links become merge proposals that wait for an analyst
   * (`subject_proposals`), and a pair once proposed is never proposed again (a rejection stands).
   * Incremental unless `full`: only new or changed records, the records sharing a blocking key with
   * them and the subjects they belong to are resolved again (`planSync`); the first run after
   * migration 0024 is full.
   */
  async function sync(by: Principal | null = null, requestId?: string, options: { full?: boolean; declineAbove?: number } = {}): Promise<SubjectSyncResult> {
    const started = clock.now();
    const t0 = performance.now();
    return db.kysely.transaction().execute(async (trx) => {
      // one sync at a time (a second waits, then finds nothing to do)
      await sql`SELECT pg_advisory_xact_lock(3890010)`.execute(trx);
      // seconds per stage, kept in subject_sync_runs.stats (where the time goes on a large database)
      const stages: Record<string, number> = {};
      let mark = performance.now();
      const stage = (name: string) => {
        const now = performance.now();
        stages[name] = Math.round(now - mark) / 1000;
        mark = now;
      };
      // addresses are read into province and ward with the reference data (the same gazetteer for the
      // resolver and for the stored keys; other ward rows than the keys were made with: a full run)
      const { gazetteer, digest } = await subjectGazetteer(trx);
      const keys: KeyDerivation = { gazetteer, version: keysVersion(digest) };
      stage('gazetteer');
      const plan = await planSync(trx, !!options.full, keys, stage);
      // The background runner's limit: a big run (a first or full one, a large import) is for `cordon
      // entities sync`, not for a request's connection. Nothing is written; the transaction rolls back.
      if (options.declineAbove !== undefined) {
        const size = plan.ids ? plan.ids.length : (await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_subjects`.execute(trx)).rows[0]!.n;
        if (size > options.declineAbove) throw new SyncDeclined(`${plan.mode} run over ${size} records (the background limit is ${options.declineAbove}): run \`cordon entities sync${plan.mode === 'full' ? ' --full' : ''}\``);
      }
      // A stable order (case code, then position in the case, in byte order; the id only breaks what
      // cannot tie): the spanning tree, hence which pair is proposed, must not depend on random ids or
      // load timing. The stored blocking keys carry the same order (`ord`) for the incremental runs.
      let query = trx
        .selectFrom('case_subjects as s')
        .innerJoin('cases as c', 'c.id', 's.case_id')
        .leftJoin('subject_members as m', 'm.case_subject_id', 's.id')
        .select(['s.id', 's.case_id', 's.kind', 's.name', 's.id_number', 's.tax_code', 's.plate', 's.imo', 's.phone', 's.date_of_birth', 's.address', 'm.subject_id', 'm.pinned', 'm.rule', 'm.linked_to', 'm.score'])
        .select([fingerprintSql('s').as('fp'), ordSql('s', 'c').as('ord')])
        .orderBy(ordSql('s', 'c'));
      if (plan.ids) query = query.where(sql<boolean>`s.id = ANY(${sql.val(plan.ids)}::uuid[])`);
      const rows = plan.ids && !plan.ids.length ? [] : await query.execute();
      stage('read');
      const retired = new Set((await trx.selectFrom('subjects').select('id').where('merged_into', 'is not', null).execute()).map((r) => r.id));
      const records = rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, idNumber: r.id_number, taxCode: r.tax_code, plate: r.plate, imo: r.imo, phone: r.phone, dateOfBirth: r.date_of_birth, address: r.address }));
      // an incremental run scores with the last full run's models (weights and prior of the whole file)
      const models = plan.mode === 'incremental' && rows.length ? await lastFullRunModels(trx, keys) : undefined;
      const grouping = groupSubjectRecords(records, { gazetteer, ...(models ? { models } : {}) });
      const { group, provenance, held } = holdFuzzyLinks(grouping.provenance);
      stage('resolve');
      const current: (CurrentMembership | undefined)[] = rows.map((r) => (r.subject_id ? { subjectId: r.subject_id, pinned: !!r.pinned } : undefined));
      const created = new Set<string>();
      const assigned = assignSubjects(group, current, retired, () => {
        const id = randomUUID();
        created.add(id);
        return id;
      });

      // new subjects first (memberships reference them)
      const firstOf = new Map<string, number>();
      assigned.forEach((s, i) => firstOf.has(s) || firstOf.set(s, i));
      const newSubjects = [...created].filter((id) => firstOf.has(id));
      for (let k = 0; k < newSubjects.length; k += BATCH) {
        await trx
          .insertInto('subjects')
          .values(newSubjects.slice(k, k + BATCH).map((id) => ({ id, kind: rows[firstOf.get(id)!]!.kind, display_name: rows[firstOf.get(id)!]!.name, identifiers: [], member_count: 0, merged_into: null, version: 1, created_at: started, updated_at: started })))
          .execute();
      }

      stage('subjects');
      // memberships that changed (or are new)
      const changed: number[] = [];
      rows.forEach((r, i) => {
        if (r.pinned) return;
        const prov = provenance[i]!;
        const linkedTo = prov.linkedTo !== undefined ? rows[prov.linkedTo]!.id : null;
        if (r.subject_id === assigned[i] && r.rule === prov.rule && r.linked_to === linkedTo) return;
        changed.push(i);
      });
      for (let k = 0; k < changed.length; k += BATCH) {
        const values = changed.slice(k, k + BATCH).map((i) => {
          const r = rows[i]!;
          const prov = provenance[i]!;
          return {
            case_subject_id: r.id,
            subject_id: assigned[i]!,
            case_id: r.case_id,
            fold_name: foldVietnamese(r.name),
            keys: subjectKeys({ idNumber: r.id_number, taxCode: r.tax_code, plate: r.plate, imo: r.imo, phone: r.phone }),
            rule: prov.rule,
            source: 'resolver',
            linked_to: prov.linkedTo !== undefined ? rows[prov.linkedTo]!.id : null,
            score: prov.score ?? null,
            weight_bits: prov.weightBits ?? null,
            explanation: prov.reasons ? JSON.stringify(prov.reasons) : null,
            joined_at: started,
            joined_by: null,
            pinned: false,
          };
        });
        await trx
          .insertInto('subject_members')
          .values(values)
          .onConflict((oc) =>
            oc.column('case_subject_id').doUpdateSet((eb) => ({
              subject_id: eb.ref('excluded.subject_id'),
              rule: eb.ref('excluded.rule'),
              source: eb.ref('excluded.source'),
              linked_to: eb.ref('excluded.linked_to'),
              score: eb.ref('excluded.score'),
              weight_bits: eb.ref('excluded.weight_bits'),
              explanation: eb.ref('excluded.explanation'),
              joined_at: eb.ref('excluded.joined_at'),
              joined_by: eb.ref('excluded.joined_by'),
            })),
          )
          .execute();
      }

      const touched = new Set<string>(plan.shrunk);
      for (const i of changed) {
        touched.add(assigned[i]!);
        if (rows[i]!.subject_id) touched.add(rows[i]!.subject_id!);
      }
      stage('memberships');
      await refreshSubjects(trx, [...touched]);
      stage('refresh');
      const links = held.filter((l) => assigned[l.a] !== assigned[l.b]).map((l) => ({ ...l, left: rows[l.a]!.id, right: rows[l.b]!.id, kind: rows[l.a]!.kind }));
      const proposed = await proposeHeldLinks(trx, links, started);
      await withdrawStaleProposals(trx, plan.edited, links);
      // subjects left without records and never part of a decision go away
      const removed = await sql<{ id: string }>`DELETE FROM subjects s WHERE s.member_count = 0 AND s.merged_into IS NULL
        AND NOT EXISTS (SELECT 1 FROM subject_members m WHERE m.subject_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM subject_decisions d WHERE d.subject_id = s.id OR d.other_subject_id = s.id) RETURNING s.id`.execute(trx);

      stage('proposals');
      // a full run also keys records recorded while it ran (else the next run would be full again)
      const keyed = plan.mode === 'full' ? new Set((await trx.selectFrom('subject_record_keys').select('case_subject_id').execute()).map((r) => r.case_subject_id)) : undefined;
      await writeKeys(trx, rows.filter((r) => plan.rekey.has(r.id) || (keyed && !keyed.has(r.id))), plan.gone, started, keys);
      stage('keys');

      const totals = await sql<{ records: number; subjects: number; largest: number | null }>`SELECT
          (SELECT count(*)::int FROM case_subjects) AS records,
          count(*)::int AS subjects, max(n)::int AS largest
        FROM (SELECT count(*) AS n FROM subject_members GROUP BY subject_id) g`.execute(trx);
      const t = totals.rows[0]!;
      const result: SubjectSyncResult = {
        mode: plan.mode,
        records: t.records,
        resolved: rows.length,
        subjects: t.subjects,
        changed: changed.length,
        created: newSubjects.length,
        removed: removed.rows.length,
        largestSubject: t.largest ?? 0,
        proposed,
        seconds: Math.round(performance.now() - t0) / 1000,
      };
      await trx
        .insertInto('subject_sync_runs')
        .values({ id: randomUUID(), started_at: started, finished_at: clock.now(), started_by: by?.userId ?? null, records: result.records, subjects: result.subjects, changed: result.changed, stats: JSON.stringify({ ...result, stages, keysVersion: keys.version, modelFrom: models ? 'last full run' : 'this run', ...(plan.mode === 'full' ? { models: grouping.models } : {}) }) })
        .execute();
      await audit.record({ action: 'subjects.sync', actor: by ? actorOf(by) : null, entityType: 'subject', detail: { ...result }, requestId }, trx);
      return result;
    });
  }

  /**
   * Recomputes name (`displayNameSql`: the rule every view uses), identifiers and record count of
   * the given subjects from their members, one statement per 5,000 subjects (one UPDATE per subject took
   * 210 of the 421 seconds of a first sync over 49,000 records).
   */
  async function refreshSubjects(trx: Tx, ids: string[]) {
    const STEP = 5000;
    for (let k = 0; k < ids.length; k += STEP) {
      const chunk = ids.slice(k, k + STEP);
      await sql`UPDATE subjects s SET
          display_name = coalesce(x.name, s.display_name),
          identifiers = x.keys,
          member_count = x.n,
          updated_at = ${clock.now()}
        FROM unnest(${sql.val(chunk)}::uuid[]) AS i(id)
        CROSS JOIN LATERAL (
          SELECT ${displayNameSql(sql.ref('i.id'))} AS name, count(*)::int AS n,
            ARRAY(SELECT DISTINCT k.key COLLATE "C" FROM subject_members m2, unnest(m2.keys) AS k(key) WHERE m2.subject_id = i.id ORDER BY 1) AS keys
          FROM subject_members m JOIN case_subjects cs ON cs.id = m.case_subject_id WHERE m.subject_id = i.id
        ) x
        WHERE s.id = i.id`.execute(trx);
    }
  }

  // ---------------------------------------------------------------------------------------- reads

  /** Member rows of the subjects that `p` may see, from cases `p` sees in full. */
  function visibleMembers(p: Principal, trx: Tx = db.kysely) {
    return trx
      .selectFrom('subject_members as m')
      .innerJoin('cases as c', 'c.id', 'm.case_id')
      .innerJoin('case_subjects as s', 's.id', 'm.case_subject_id')
      .where(fullCaseCondition(p, 'c'));
  }

  async function search(p: Principal, q: SubjectSearchQuery): Promise<SubjectSummary[]> {
    const keys = candidateKeys(q.q);
    const words = foldVietnamese(q.q).split(' ').filter((w) => w.length > 0);
    let query = visibleMembers(p).select(['m.subject_id', sql<number>`count(DISTINCT m.case_id)::int`.as('cases')]);
    const nameMatch = words.length
      ? sql.join(words.map((w) => sql`m.fold_name LIKE ${`%${w.replace(/[%_\\]/g, '\\$&')}%`}`), sql` AND `)
      : sql`false`;
    query = query.where(keys.length ? sql<boolean>`(m.keys && ${sql.val(keys)}::text[] OR (${nameMatch}))` : sql<boolean>`(${nameMatch})`);
    if (q.kind) query = query.where('s.kind', '=', q.kind);
    const hits = await query.groupBy('m.subject_id').orderBy('cases', 'desc').orderBy('m.subject_id').limit(q.limit).execute();
    return summaries(p, hits.map((h) => h.subject_id));
  }

  async function summaries(p: Principal, ids: string[], trx: Tx = db.kysely): Promise<SubjectSummary[]> {
    if (!ids.length) return [];
    const rows = await visibleMembers(p, trx)
      .select(['m.subject_id', 'm.case_id', 'm.keys', 's.name', 's.kind'])
      .where('m.subject_id', 'in', ids)
      .execute();
    return ids.flatMap((id) => {
      const mine = rows.filter((r) => r.subject_id === id);
      if (!mine.length) return [];
      const name = displayName(mine.map((r) => r.name));
      return [{
        id,
        kind: mine[0]!.kind as SubjectSummary['kind'],
        name,
        otherNames: [...new Set(mine.map((r) => r.name))].filter((n) => n !== name),
        identifiers: identifiersOf(mine.flatMap((r) => r.keys)),
        caseCount: new Set(mine.map((r) => r.case_id)).size,
      }];
    });
  }

  /**
   * A subject as `p` may see it: only records of cases `p` sees in full; 404 when there are none. A
   * subject merged into another answers with that one (its `id` says so).
   */
  async function get(p: Principal, id: string, requestId?: string, depth = 0): Promise<SubjectDetail> {
    const subject = await db.kysely.selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirst();
    if (!subject) throw notFound('Subject');
    const rows = await visibleMembers(p)
      .leftJoin('users as u', 'u.id', 'm.joined_by')
      .select([
        'm.case_subject_id', 'm.case_id', 'm.keys', 'm.rule', 'm.source', 'm.linked_to', 'm.score', 'm.weight_bits', 'm.explanation', 'm.joined_at', 'm.pinned',
        'u.username as joined_by_username',
        'c.code', 'c.title', 'c.detected_on', 'c.sensitivity',
        's.kind', 's.role', 's.name', 's.id_number', 's.tax_code', 's.plate', 's.imo', 's.phone', 's.date_of_birth', 's.address',
      ])
      .where('m.subject_id', '=', id)
      .orderBy('c.detected_on', 'desc')
      .orderBy('m.case_subject_id')
      .execute();
    // a subject merged away has no records left: its page is the one it was merged into
    if (!rows.length && subject.merged_into && depth < 5) return get(p, subject.merged_into, requestId, depth + 1);
    if (!rows.length) {
      await audit.record({ action: 'subject.read', outcome: 'denied', actor: actorOf(p), entityType: 'subject', entityId: id, requestId });
      throw notFound('Subject');
    }
    const sensitive = rows.filter((r) => r.sensitivity !== 'internal');
    if (sensitive.length) {
      await audit.record({ action: 'subject.read', actor: actorOf(p), entityType: 'subject', entityId: id, detail: { restrictedCases: [...new Set(sensitive.map((r) => r.case_id))] }, requestId });
    }
    const visibleIds = new Set(rows.map((r) => r.case_subject_id));
    const decisions = await db.kysely
      .selectFrom('subject_decisions as d')
      .innerJoin('users as u', 'u.id', 'd.decided_by')
      .leftJoin('users as r', 'r.id', 'd.reverted_by')
      .select(['d.id', 'd.action', 'd.subject_id', 'd.other_subject_id', 'd.case_subject_ids', 'd.reason', 'd.decided_at', 'd.reverted_at', 'u.username as decided_by', 'r.username as reverted_by'])
      .where((eb) => eb.or([eb('d.subject_id', '=', id), eb('d.other_subject_id', '=', id)]))
      .orderBy('d.decided_at', 'desc')
      .execute();
    // what each decision moved that the user sees in full, wherever those records are now (after an
    // undo they are back in the other subject), and the other subject's name as the user sees it
    const moved = [...new Set(decisions.flatMap((d) => d.case_subject_ids))];
    const seenMoved = new Map(moved.length ? (await visibleMembers(p).select(['m.case_subject_id', 's.name']).where(sql<boolean>`m.case_subject_id = ANY(${sql.val(moved)}::uuid[])`).execute()).map((r) => [r.case_subject_id, r.name]) : []);
    const counterpartOf = (d: { subject_id: string; other_subject_id: string }) => (d.subject_id === id ? d.other_subject_id : d.subject_id);
    const counterparts = new Map((await summaries(p, [...new Set(decisions.map(counterpartOf))])).map((x) => [x.id, x.name]));
    // a subject merged away has no records left: it is named by the records the merge moved
    const counterpartName = (d: (typeof decisions)[number]) =>
      counterparts.get(counterpartOf(d)) ?? (displayName(d.case_subject_ids.flatMap((x) => seenMoved.get(x) ?? [])) || null);
    const { directors, directorOf } = await relationsFor(p, subject.kind, rows);
    const name = displayName(rows.map((r) => r.name));
    const members: SubjectMember[] = rows.map((r) => ({
      caseSubjectId: r.case_subject_id,
      caseId: r.case_id,
      caseCode: r.code,
      caseTitle: r.title,
      detectedOn: r.detected_on,
      sensitivity: r.sensitivity as SubjectMember['sensitivity'],
      role: r.role,
      name: r.name,
      idNumber: r.id_number,
      taxCode: r.tax_code,
      plate: r.plate,
      imo: r.imo,
      phone: r.phone,
      dateOfBirth: r.date_of_birth,
      address: r.address,
      rule: r.rule as SubjectMember['rule'],
      source: r.source as SubjectMember['source'],
      // the record it was linked to only when the user may see that one too
      linkedTo: r.linked_to && visibleIds.has(r.linked_to) ? r.linked_to : null,
      score: r.score,
      weightBits: r.weight_bits,
      reasons: r.linked_to && visibleIds.has(r.linked_to) && Array.isArray(r.explanation) ? (r.explanation as SubjectMember['reasons']) : [],
      joinedAt: new Date(r.joined_at).toISOString(),
      joinedBy: r.joined_by_username ?? null,
      pinned: r.pinned,
    }));
    return {
      id,
      kind: subject.kind as SubjectDetail['kind'],
      name,
      otherNames: [...new Set(rows.map((r) => r.name))].filter((n) => n !== name),
      identifiers: identifiersOf(rows.flatMap((r) => r.keys)),
      caseCount: new Set(rows.map((r) => r.case_id)).size,
      mergedInto: subject.merged_into,
      version: subject.version,
      members,
      decisions: decisions.map((d) => ({
        id: d.id,
        action: d.action as 'merge' | 'split',
        subjectId: d.subject_id,
        otherSubjectId: d.other_subject_id,
        records: d.case_subject_ids.filter((x) => seenMoved.has(x)).length,
        counterpartName: counterpartName(d),
        reason: d.reason,
        decidedBy: d.decided_by,
        decidedAt: new Date(d.decided_at).toISOString(),
        revertedAt: d.reverted_at ? new Date(d.reverted_at).toISOString() : null,
        revertedBy: d.reverted_by ?? null,
      })),
      directors,
      directorOf,
      canDecide: p.roles.some((r) => (SUBJECT_DECIDER_ROLES as readonly string[]).includes(r)),
    };
  }

  /**
   * A company's directors (persons with a director role on its visible cases) or the companies a
   * person directs (companies on the visible cases where the person has such a role).
   */
  async function relationsFor(p: Principal, kind: string, rows: readonly { case_id: string; kind: string; role: string }[]) {
    const none = { directors: [] as SubjectRelation[], directorOf: [] as SubjectRelation[] };
    const cases = [...new Set(rows.filter((r) => kind === 'company' || (r.kind === 'person' && DIRECTOR_ROLES.includes(r.role))).map((r) => r.case_id))];
    if ((kind !== 'company' && kind !== 'person') || !cases.length) return none;
    let q = visibleMembers(p).select(['m.subject_id', 'm.case_id', 's.kind', 's.role', 's.name']).where(sql<boolean>`m.case_id = ANY(${sql.val(cases)}::uuid[])`);
    q = kind === 'company' ? q.where('s.kind', '=', 'person').where('s.role', 'in', [...DIRECTOR_ROLES]) : q.where('s.kind', '=', 'company');
    const related = relationsOf(await q.execute());
    // names from every record of theirs the user sees, not only those on the shared cases (the name on their own page)
    const names = new Map((await summaries(p, related.map((r) => r.id))).map((x) => [x.id, x.name]));
    for (const r of related) r.name = names.get(r.id) ?? r.name;
    return kind === 'company' ? { ...none, directors: related } : { ...none, directorOf: related };
  }

  // ---------------------------------------------------------------------------------------- decisions

  function assertDecider(p: Principal) {
    if (!p.roles.some((r) => (SUBJECT_DECIDER_ROLES as readonly string[]).includes(r))) throw forbidden('Only analysts merge and split subjects');
  }

  /** The subject, when `p` sees at least one of its records; else NOT_FOUND (no hint it exists). */
  async function visibleSubject(p: Principal, trx: Tx, id: string) {
    const subject = await trx.selectFrom('subjects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    const seen = subject ? await visibleMembers(p, trx).select('m.case_subject_id').where('m.subject_id', '=', id).limit(1).executeTakeFirst() : undefined;
    if (!subject || !seen) throw notFound('Subject');
    return subject;
  }

  async function moveMembers(trx: Tx, p: Principal, ids: string[], to: string, rule: 'analyst-merge' | 'analyst-split') {
    if (!ids.length) return;
    await trx
      .updateTable('subject_members')
      .set({ subject_id: to, rule, source: 'analyst', pinned: true, joined_at: clock.now(), joined_by: p.userId, linked_to: null, score: null, weight_bits: null, explanation: null })
      .where('case_subject_id', 'in', ids)
      .execute();
  }

  /** Merges `body.otherId` into `id`: every record of the other subject moves here, pinned. */
  async function merge(p: Principal, id: string, body: MergeSubjectsBody, requestId?: string): Promise<SubjectDetail> {
    await db.kysely.transaction().execute((trx) => mergeIn(trx, p, id, body, requestId));
    return get(p, id, requestId);
  }

  /** The merge inside the caller's transaction (a confirmed proposal merges this way); returns the decision id. */
  async function mergeIn(trx: Tx, p: Principal, id: string, body: MergeSubjectsBody, requestId?: string): Promise<string> {
    assertDecider(p);
    if (body.otherId === id) throw invalidField('otherId', 'invalid_value', 'a subject cannot be merged into itself');
    const target = await visibleSubject(p, trx, id);
    const other = await visibleSubject(p, trx, body.otherId);
    if (target.merged_into) throw new AppError('CONFLICT', 'This subject was merged into another; open that one');
    if (other.merged_into) throw new AppError('CONFLICT', 'The other subject was already merged');
    if (target.kind !== other.kind) throw invalidField('otherId', 'invalid_value', `a ${other.kind} cannot be merged into a ${target.kind}`);
    const moved = (await trx.selectFrom('subject_members').select('case_subject_id').where('subject_id', '=', other.id).execute()).map((r) => r.case_subject_id);
    await moveMembers(trx, p, moved, id, 'analyst-merge');
    // records already here are pinned too: the analyst decided they are one subject
    await trx.updateTable('subject_members').set({ pinned: true }).where('subject_id', '=', id).execute();
    await trx.updateTable('subjects').set({ merged_into: id, version: other.version + 1, updated_at: clock.now() }).where('id', '=', other.id).execute();
    await trx.updateTable('subjects').set({ version: target.version + 1 }).where('id', '=', id).execute();
    const decisionId = randomUUID();
    await trx
      .insertInto('subject_decisions')
      .values({ id: decisionId, action: 'merge', subject_id: id, other_subject_id: other.id, case_subject_ids: moved, reason: body.reason, decided_by: p.userId, decided_at: clock.now(), reverted_at: null, reverted_by: null })
      .execute();
    await refreshSubjects(trx, [id, other.id]);
    await audit.record({ action: 'subject.merge', actor: actorOf(p), entityType: 'subject', entityId: id, detail: { decisionId, otherId: other.id, records: moved.length, reason: body.reason }, requestId }, trx);
    return decisionId;
  }

  /** Takes records the analyst sees out of `id` into a new subject, pinned there. */
  async function split(p: Principal, id: string, body: SplitSubjectBody, requestId?: string): Promise<SubjectDetail> {
    assertDecider(p);
    const newId = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      const subject = await visibleSubject(p, trx, id);
      if (subject.merged_into) throw new AppError('CONFLICT', 'This subject was merged into another; open that one');
      const mine = await visibleMembers(p, trx).select('m.case_subject_id').where('m.subject_id', '=', id).execute();
      const visible = new Set(mine.map((r) => r.case_subject_id));
      const ids = [...new Set(body.caseSubjectIds)];
      const bad = ids.findIndex((x) => !visible.has(x));
      if (bad >= 0) throw invalidField(`caseSubjectIds.${bad}`, 'invalid_value', 'is not a record of this subject');
      const total = await trx.selectFrom('subject_members').select(sql<number>`count(*)::int`.as('n')).where('subject_id', '=', id).executeTakeFirstOrThrow();
      if (ids.length >= total.n) throw invalidField('caseSubjectIds', 'invalid_value', 'leave at least one record in the subject');
      const now = clock.now();
      await trx.insertInto('subjects').values({ id: newId, kind: subject.kind, display_name: subject.display_name, identifiers: [], member_count: 0, merged_into: null, version: 1, created_at: now, updated_at: now }).execute();
      await moveMembers(trx, p, ids, newId, 'analyst-split');
      await trx.updateTable('subject_members').set({ pinned: true }).where('subject_id', '=', id).execute();
      await trx.updateTable('subjects').set({ version: subject.version + 1 }).where('id', '=', id).execute();
      const decisionId = randomUUID();
      await trx
        .insertInto('subject_decisions')
        .values({ id: decisionId, action: 'split', subject_id: id, other_subject_id: newId, case_subject_ids: ids, reason: body.reason, decided_by: p.userId, decided_at: now, reverted_at: null, reverted_by: null })
        .execute();
      await refreshSubjects(trx, [id, newId]);
      await audit.record({ action: 'subject.split', actor: actorOf(p), entityType: 'subject', entityId: id, detail: { decisionId, newSubjectId: newId, records: ids.length, reason: body.reason }, requestId }, trx);
    });
    return get(p, newId, requestId);
  }

  /** Undoes a merge (records go back to the merged subject) or a split (records come back). */
  async function revert(p: Principal, decisionId: string, requestId?: string): Promise<SubjectDetail> {
    assertDecider(p);
    let show = '';
    await db.kysely.transaction().execute(async (trx) => {
      const d = await trx.selectFrom('subject_decisions').selectAll().where('id', '=', decisionId).forUpdate().executeTakeFirst();
      if (!d) throw notFound('Decision');
      await visibleSubject(p, trx, d.subject_id);
      if (d.reverted_at) throw new AppError('CONFLICT', 'This decision was already reverted');
      // records still where the decision put them
      const where = d.action === 'merge' ? d.subject_id : d.other_subject_id;
      const back = d.action === 'merge' ? d.other_subject_id : d.subject_id;
      const still = d.case_subject_ids.length
        ? (await trx.selectFrom('subject_members').select('case_subject_id').where('case_subject_id', 'in', d.case_subject_ids).where('subject_id', '=', where).execute()).map((r) => r.case_subject_id)
        : [];
      await moveMembers(trx, p, still, back, d.action === 'merge' ? 'analyst-split' : 'analyst-merge');
      const now = clock.now();
      if (d.action === 'merge') await trx.updateTable('subjects').set({ merged_into: null, updated_at: now }).where('id', '=', d.other_subject_id).execute();
      else await trx.updateTable('subjects').set({ merged_into: d.subject_id, updated_at: now }).where('id', '=', d.other_subject_id).execute();
      await trx.updateTable('subject_decisions').set({ reverted_at: now, reverted_by: p.userId }).where('id', '=', d.id).execute();
      await reopenProposals(trx, d.id);
      await refreshSubjects(trx, [d.subject_id, d.other_subject_id]);
      await audit.record({ action: 'subject.revert', actor: actorOf(p), entityType: 'subject', entityId: d.subject_id, detail: { decisionId: d.id, action: d.action, records: still.length }, requestId }, trx);
      show = d.subject_id;
    });
    return get(p, show, requestId);
  }

  return { sync, search, summaries, get, merge, mergeIn, split, revert, visibleMembers, visibleSubject };
}

export type SubjectsService = ReturnType<typeof createSubjectsService>;
