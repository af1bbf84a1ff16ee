import { randomUUID } from 'node:crypto';
import type { CreateWatchBody, MarkAlertsReadBody, SubjectIdentifier, WatchAlertList, WatchAlertView, WatchList, WatchView } from '@cordon/contracts';
import { identifierKey, identifierKeysInText } from '@cordon/engine';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { createRiskAccess, RISK_READ_ROLES } from '../risk/risk-access.js';
import { createRiskOffices, scopeSql } from '../risk/risk-offices.js';
import { fullCaseCondition, type SubjectsService } from './subjects.service.js';

type Tx = Kysely<Database>;

/** Roles that follow subjects: those who work with subjects (the navigation's subjects section). */
export const WATCHER_ROLES = ['admin', 'analyst', 'officer', 'provincial_coordinator'] as const;
/** Unread alerts read for the count and the list; older ones stay in the table. */
const ALERT_WINDOW = 500;

const identifierOf = (key: string): SubjectIdentifier => {
  const c = key.indexOf(':');
  return { kind: key.slice(0, c) as SubjectIdentifier['kind'], value: key.slice(c + 1) };
};

/**
 * Watchlists (issue 7): a user follows a subject or an identifier; a recorded case (or an edit adding
 * the identifier to a case), a tip whose text names it, or a declaration carrying it as a tax code
 * (the trigger of migration 0020) raises an alert for that user. Alerts are written for every matching case, and shown only when the watcher sees
 * the case in full (the rule of every subject screen), so an alert never reveals a restricted case; one
 * becomes visible if the case is shared later. For a followed subject, only identifiers the watcher sees
 * on the subject's own visible records count as a match: otherwise an alert would tie a new case to an
 * identifier taken from a record the watcher may not see.
 */
export function createWatchlistsService({ db, clock, audit, subjects, tipsVisible }: {
  db: Db; clock: Clock; audit: AuditService; subjects: SubjectsService;
  /** The tips' own need-to-know rule (tips.visibleIds): which of these tips the user may open. */
  tipsVisible?: (p: Principal, ids: readonly string[]) => Promise<Set<string>>;
}) {
  // the risk feature's own rule for reading a declaration (Customs, read roles, the user's offices)
  const riskAccess = createRiskAccess(db);
  const riskOffices = createRiskOffices({ db, clock, audit, access: riskAccess });

  function assertWatcher(p: Principal) {
    if (!p.roles.some((r) => (WATCHER_ROLES as readonly string[]).includes(r))) throw forbidden('Your roles do not follow subjects');
  }

  const view = (w: { id: string; subject_id: string | null; identifier_key: string | null; label: string; created_at: Date | string }): WatchView => ({
    id: w.id,
    subjectId: w.subject_id,
    identifier: w.identifier_key ? identifierOf(w.identifier_key) : null,
    label: w.label,
    createdAt: new Date(w.created_at).toISOString(),
  });

  async function list(p: Principal): Promise<WatchList> {
    assertWatcher(p);
    const rows = await db.kysely.selectFrom('subject_watches').selectAll().where('user_id', '=', p.userId).where('removed_at', 'is', null).orderBy('created_at', 'desc').execute();
    return { items: rows.map(view) };
  }

  /** Follows a subject `p` may see (404 otherwise) or an identifier; CONFLICT when already followed. */
  async function follow(p: Principal, body: CreateWatchBody, requestId?: string): Promise<WatchView> {
    assertWatcher(p);
    return db.kysely.transaction().execute(async (trx) => {
      let target: { subject_id: string | null; identifier_key: string | null; label: string };
      if ('subjectId' in body) {
        await subjects.visibleSubject(p, trx, body.subjectId);
        // the name as the watcher sees it, never one taken from a record hidden from them
        const [seen] = await subjects.summaries(p, [body.subjectId], trx);
        target = { subject_id: body.subjectId, identifier_key: null, label: seen?.name ?? '' };
      } else {
        const key = identifierKey(body.identifier.kind, body.identifier.value);
        if (!key) throw invalidField('identifier.value', 'invalid_value', 'is too short once separators are removed');
        target = { subject_id: null, identifier_key: key, label: key.slice(key.indexOf(':') + 1) };
      }
      const dup = await trx
        .selectFrom('subject_watches')
        .select('id')
        .where('user_id', '=', p.userId)
        .where('removed_at', 'is', null)
        .where(target.subject_id ? sql<boolean>`subject_id = ${target.subject_id}` : sql<boolean>`identifier_key = ${target.identifier_key}`)
        .executeTakeFirst();
      if (dup) throw new AppError('CONFLICT', 'You already follow this');
      const row = { id: randomUUID(), user_id: p.userId, ...target, created_at: clock.now(), removed_at: null };
      await trx.insertInto('subject_watches').values(row).execute();
      await audit.record({ action: 'subject.watch.follow', actor: actorOf(p), entityType: 'subject_watch', entityId: row.id, detail: { subjectId: row.subject_id, identifier: row.identifier_key }, requestId }, trx);
      return view(row);
    });
  }

  /** Stops following; only the watcher's own watches (NOT_FOUND for anyone else's). */
  async function unfollow(p: Principal, id: string, requestId?: string): Promise<void> {
    assertWatcher(p);
    await db.kysely.transaction().execute(async (trx) => {
      const w = await trx.selectFrom('subject_watches').selectAll().where('id', '=', id).where('user_id', '=', p.userId).where('removed_at', 'is', null).forUpdate().executeTakeFirst();
      if (!w) throw notFound('Watch');
      await trx.updateTable('subject_watches').set({ removed_at: clock.now() }).where('id', '=', id).execute();
      await audit.record({ action: 'subject.watch.unfollow', actor: actorOf(p), entityType: 'subject_watch', entityId: id, detail: { subjectId: w.subject_id, identifier: w.identifier_key }, requestId }, trx);
    });
  }

  /**
   * Raises alerts for a newly recorded case, inside the transaction that records it: identifier watches
   * on any of its subject keys, subject watches on the followed subject's identifiers (a subject merged
   * away is followed through the one it went into). One alert per watch and case. After an edit of the
   * case's subjects, `previousKeys` are the keys it had: only identifiers the edit added count, and a
   * watch already alerted about the case is not alerted again.
   */
  async function alertFor(trx: Tx, caseIds: string | readonly string[], previousKeys: string[] = []): Promise<void> {
    const ids = typeof caseIds === 'string' ? [caseIds] : [...caseIds];
    if (!ids.length) return;
    const now = clock.now();
    const old = sql`${sql.val(previousKeys)}::text[]`;
    const inCases = sql`c.id = ANY(${sql.val(ids)}::uuid[])`;
    await sql`INSERT INTO subject_watch_alerts (id, watch_id, user_id, case_id, matched_keys, created_at)
      SELECT gen_random_uuid(), w.id, w.user_id, c.id, ARRAY[w.identifier_key], ${now}::timestamptz
        FROM cases c JOIN subject_watches w ON w.identifier_key = ANY(c.subject_keys) AND w.removed_at IS NULL
       WHERE ${inCases} AND NOT w.identifier_key = ANY(${old})
      UNION ALL
      SELECT gen_random_uuid(), w.id, w.user_id, c.id, ARRAY(SELECT unnest(s.identifiers) INTERSECT SELECT unnest(c.subject_keys) EXCEPT SELECT unnest(${old}) ORDER BY 1), ${now}::timestamptz
        FROM cases c
        JOIN subject_watches w ON w.subject_id IS NOT NULL AND w.removed_at IS NULL
        JOIN subjects s0 ON s0.id = w.subject_id
        JOIN subjects s ON s.id = coalesce(s0.merged_into, s0.id)
       WHERE ${inCases} AND EXISTS (SELECT unnest(s.identifiers) INTERSECT SELECT unnest(c.subject_keys) EXCEPT SELECT unnest(${old}))
      ON CONFLICT (watch_id, case_id) DO NOTHING`.execute(trx);
  }

  /**
   * Raises alerts for a new tip, inside the transaction that stores it: the identifiers its text names
   * (phones, plates, CCCD/CMND, tax codes, IMO numbers; `identifierKeysInText`) against identifier
   * watches and followed subjects' identifiers. One alert per watch and tip.
   */
  async function alertForTip(trx: Tx, tipId: string, text: string): Promise<void> {
    const keys = identifierKeysInText(text);
    if (!keys.length) return;
    const now = clock.now();
    const ks = sql`${sql.val(keys)}::text[]`;
    await sql`INSERT INTO subject_watch_alerts (id, watch_id, user_id, tip_id, matched_keys, created_at)
      SELECT gen_random_uuid(), w.id, w.user_id, ${tipId}::uuid, ARRAY[w.identifier_key], ${now}::timestamptz
        FROM subject_watches w WHERE w.identifier_key = ANY(${ks}) AND w.removed_at IS NULL
      UNION ALL
      SELECT gen_random_uuid(), w.id, w.user_id, ${tipId}::uuid, ARRAY(SELECT unnest(s.identifiers) INTERSECT SELECT unnest(${ks}) ORDER BY 1), ${now}::timestamptz
        FROM subject_watches w
        JOIN subjects s0 ON s0.id = w.subject_id
        JOIN subjects s ON s.id = coalesce(s0.merged_into, s0.id)
       WHERE w.subject_id IS NOT NULL AND w.removed_at IS NULL AND s.identifiers && ${ks}
      ON CONFLICT (watch_id, tip_id) WHERE tip_id IS NOT NULL DO NOTHING`.execute(trx);
  }

  /** The identifier keys of a subject's records that `p` sees in full. */
  async function visibleKeys(p: Principal, subjectId: string): Promise<Set<string>> {
    const target = await db.kysely.selectFrom('subjects').select(['id', 'merged_into']).where('id', '=', subjectId).executeTakeFirst();
    const rows = await subjects.visibleMembers(p).select('m.keys').where('m.subject_id', '=', target?.merged_into ?? subjectId).execute();
    return new Set(rows.flatMap((r) => r.keys));
  }

  /** Whether `p` may read declarations at all: the risk feature's rule (Customs units, risk read roles). */
  async function readsDeclarations(p: Principal): Promise<boolean> {
    return RISK_READ_ROLES.some((r) => p.roles.includes(r)) && (await riskAccess.inCustoms(p.unitId));
  }

  /**
   * The user's alerts they may see, newest first, each limited to the identifiers they may see. Each
   * source has its own rule: cases seen in full, tips the user may open (triage roles and scope),
   * declarations only for Customs users who read risk data, of the offices they see (risk-offices.ts).
   */
  async function visibleAlerts(p: Principal, unreadOnly: boolean): Promise<WatchAlertView[]> {
    const base = () => {
      let q = db.kysely
        .selectFrom('subject_watch_alerts as a')
        .innerJoin('subject_watches as w', 'w.id', 'a.watch_id')
        .select(['a.id', 'a.matched_keys', 'a.read_at', 'a.created_at', 'w.id as watch_id', 'w.subject_id', 'w.identifier_key', 'w.label', 'w.created_at as watch_created_at'])
        .where('a.user_id', '=', p.userId);
      if (unreadOnly) q = q.where('a.read_at', 'is', null);
      return q.orderBy('a.created_at', 'desc').orderBy('a.id').limit(ALERT_WINDOW);
    };
    type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number] & { source: WatchAlertView['source'] };
    const caseRows = (await base().innerJoin('cases as c', 'c.id', 'a.case_id').select(['c.id as source_id', 'c.code', 'c.title', 'c.detected_on']).where(fullCaseCondition(p, 'c')).execute())
      .map((r): Row => ({ ...r, source: { kind: 'case', id: r.source_id, code: r.code, title: r.title, on: r.detected_on } }));
    const rows: Row[] = [...caseRows];
    if (tipsVisible) {
      const tipRows = await base().innerJoin('tips as t', 't.id', 'a.tip_id').select(['t.id as source_id', 't.receipt', 't.subject', 't.description', 't.received_at']).execute();
      const open = await tipsVisible(p, [...new Set(tipRows.map((r) => r.source_id))]);
      for (const r of tipRows) {
        if (!open.has(r.source_id)) continue;
        // received_at as the Vietnamese calendar day (UTC+7, no daylight saving)
        const on = new Date(new Date(r.received_at).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
        rows.push({ ...r, source: { kind: 'tip', id: r.source_id, code: r.receipt, title: (r.subject || r.description).slice(0, 120), on } });
      }
    }
    if (await readsDeclarations(p)) {
      // risk tables are not in the typed schema (the risk feature writes them in SQL)
      const { rows: declRows } = await sql<Omit<Row, 'source'> & { source_id: string; ref: string; office: string; declared_on: string | null }>`
        SELECT a.id, a.matched_keys, a.read_at, a.created_at, w.id AS watch_id, w.subject_id, w.identifier_key, w.label, w.created_at AS watch_created_at,
               d.id AS source_id, d.ref, d.office, d.declared_on::text AS declared_on
          FROM subject_watch_alerts a JOIN subject_watches w ON w.id = a.watch_id JOIN risk_declarations d ON d.id = a.declaration_id
         WHERE a.user_id = ${p.userId} ${unreadOnly ? sql`AND a.read_at IS NULL` : sql``} AND ${scopeSql(await riskOffices.scopeOf(p))}
         ORDER BY a.created_at DESC, a.id LIMIT ${ALERT_WINDOW}`.execute(db.kysely);
      for (const r of declRows) rows.push({ ...r, source: { kind: 'declaration', id: r.source_id, code: r.ref, title: r.office, on: r.declared_on } });
    }
    rows.sort((x, y) => new Date(y.created_at).getTime() - new Date(x.created_at).getTime() || (x.id < y.id ? -1 : 1));
    rows.length = Math.min(rows.length, ALERT_WINDOW);
    const keysOf = new Map<string, Set<string>>();
    for (const id of new Set(rows.flatMap((r) => (r.subject_id ? [r.subject_id] : [])))) keysOf.set(id, await visibleKeys(p, id));
    return rows.flatMap((r) => {
      const matched = r.subject_id ? r.matched_keys.filter((k) => keysOf.get(r.subject_id!)!.has(k)) : r.matched_keys;
      if (!matched.length) return [];
      const isCase = r.source.kind === 'case';
      return [{
        id: r.id,
        watch: view({ id: r.watch_id, subject_id: r.subject_id, identifier_key: r.identifier_key, label: r.label, created_at: r.watch_created_at }),
        source: r.source,
        caseId: isCase ? r.source.id : null,
        caseCode: isCase ? r.source.code : null,
        caseTitle: isCase ? r.source.title : null,
        detectedOn: isCase ? r.source.on : null,
        matched: matched.map(identifierOf),
        createdAt: new Date(r.created_at).toISOString(),
        read: r.read_at !== null,
      }];
    });
  }

  async function alerts(p: Principal): Promise<WatchAlertList> {
    assertWatcher(p);
    const items = await visibleAlerts(p, false);
    return { items, unread: items.filter((a) => !a.read).length };
  }

  /** The count in the navigation: unread alerts the user may see. */
  async function unreadCount(p: Principal): Promise<number> {
    if (!p.roles.some((r) => (WATCHER_ROLES as readonly string[]).includes(r))) return 0;
    return (await visibleAlerts(p, true)).length;
  }

  /** Marks the user's own alerts read (ids of others' alerts are ignored). */
  async function markRead(p: Principal, body: MarkAlertsReadBody): Promise<number> {
    assertWatcher(p);
    await db.kysely.updateTable('subject_watch_alerts').set({ read_at: clock.now() }).where('user_id', '=', p.userId).where('id', 'in', body.ids).where('read_at', 'is', null).execute();
    return unreadCount(p);
  }

  return { list, follow, unfollow, alertFor, alertForTip, alerts, unreadCount, markRead };
}

export type WatchlistsService = ReturnType<typeof createWatchlistsService>;
