import { randomUUID } from 'node:crypto';
import type { CreateWatchBody, MarkAlertsReadBody, SubjectIdentifier, WatchAlertList, WatchAlertView, WatchList, WatchView } from '@cordon/contracts';
import { identifierKey } from '@cordon/engine';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
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
 * Watchlists (issue 7): a user follows a subject or an identifier; a recorded case naming it raises an
 * alert for that user. Alerts are written for every matching case, and shown only when the watcher sees
 * the case in full (the rule of every subject screen), so an alert never reveals a restricted case; one
 * becomes visible if the case is shared later. For a followed subject, only identifiers the watcher sees
 * on the subject's own visible records count as a match: otherwise an alert would tie a new case to an
 * identifier taken from a record the watcher may not see.
 */
export function createWatchlistsService({ db, clock, audit, subjects }: { db: Db; clock: Clock; audit: AuditService; subjects: SubjectsService }) {
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
   * away is followed through the one it went into). One alert per watch and case.
   */
  async function alertFor(trx: Tx, caseId: string): Promise<void> {
    const now = clock.now();
    await sql`INSERT INTO subject_watch_alerts (id, watch_id, user_id, case_id, matched_keys, created_at)
      SELECT gen_random_uuid(), w.id, w.user_id, c.id, ARRAY[w.identifier_key], ${now}::timestamptz
        FROM cases c JOIN subject_watches w ON w.identifier_key = ANY(c.subject_keys) AND w.removed_at IS NULL
       WHERE c.id = ${caseId}
      UNION ALL
      SELECT gen_random_uuid(), w.id, w.user_id, c.id, ARRAY(SELECT unnest(s.identifiers) INTERSECT SELECT unnest(c.subject_keys) ORDER BY 1), ${now}::timestamptz
        FROM cases c
        JOIN subject_watches w ON w.subject_id IS NOT NULL AND w.removed_at IS NULL
        JOIN subjects s0 ON s0.id = w.subject_id
        JOIN subjects s ON s.id = coalesce(s0.merged_into, s0.id)
       WHERE c.id = ${caseId} AND s.identifiers && c.subject_keys
      ON CONFLICT (watch_id, case_id) DO NOTHING`.execute(trx);
  }

  /** The identifier keys of a subject's records that `p` sees in full. */
  async function visibleKeys(p: Principal, subjectId: string): Promise<Set<string>> {
    const target = await db.kysely.selectFrom('subjects').select(['id', 'merged_into']).where('id', '=', subjectId).executeTakeFirst();
    const rows = await subjects.visibleMembers(p).select('m.keys').where('m.subject_id', '=', target?.merged_into ?? subjectId).execute();
    return new Set(rows.flatMap((r) => r.keys));
  }

  /** The user's alerts they may see, newest first, each limited to the identifiers they may see. */
  async function visibleAlerts(p: Principal, unreadOnly: boolean): Promise<WatchAlertView[]> {
    let q = db.kysely
      .selectFrom('subject_watch_alerts as a')
      .innerJoin('subject_watches as w', 'w.id', 'a.watch_id')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select(['a.id', 'a.case_id', 'a.matched_keys', 'a.read_at', 'a.created_at', 'c.code', 'c.title', 'c.detected_on', 'w.id as watch_id', 'w.subject_id', 'w.identifier_key', 'w.label', 'w.created_at as watch_created_at'])
      .where('a.user_id', '=', p.userId)
      .where(fullCaseCondition(p, 'c'));
    if (unreadOnly) q = q.where('a.read_at', 'is', null);
    const rows = await q.orderBy('a.created_at', 'desc').orderBy('a.id').limit(ALERT_WINDOW).execute();
    const keysOf = new Map<string, Set<string>>();
    for (const id of new Set(rows.flatMap((r) => (r.subject_id ? [r.subject_id] : [])))) keysOf.set(id, await visibleKeys(p, id));
    return rows.flatMap((r) => {
      const matched = r.subject_id ? r.matched_keys.filter((k) => keysOf.get(r.subject_id!)!.has(k)) : r.matched_keys;
      if (!matched.length) return [];
      return [{
        id: r.id,
        watch: view({ id: r.watch_id, subject_id: r.subject_id, identifier_key: r.identifier_key, label: r.label, created_at: r.watch_created_at }),
        caseId: r.case_id,
        caseCode: r.code,
        caseTitle: r.title,
        detectedOn: r.detected_on,
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

  return { list, follow, unfollow, alertFor, alerts, unreadCount, markRead };
}

export type WatchlistsService = ReturnType<typeof createWatchlistsService>;
