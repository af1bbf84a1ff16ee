import { createHash } from 'node:crypto';
import type { AuditEntryView, AuditQuery, AuditVerifyResult } from '@cordon/contracts';
import { sql, type Db, type Kysely, type Database } from '@cordon/db';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';

export type Executor = Kysely<Database>;

export interface AuditEvent {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  actor?: { userId: string; username: string; unitId: string } | null;
  /** For events before anyone is known (a failed login), the name that was tried. */
  actorUsername?: string;
  entityType?: string;
  entityId?: string;
  detail?: Record<string, unknown>;
  requestId?: string;
}

export const GENESIS_HASH = '0'.repeat(64);
// Appends are serialised by an advisory lock (3890002, taken in `audit_append`, migration 0031) so
// each row can carry its predecessor's hash.

/** JSON with object keys sorted at every depth, so jsonb's key reordering never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

interface ChainRow {
  seq: number;
  at: string;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_unit_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  detail: unknown;
  request_id: string | null;
  prev_hash: string;
}

/**
 * The hashed columns between seq and prev_hash, as canonical JSON array elements joined by commas: what
 * Node knows of a row before the database numbers it (`audit_append`, migration 0031, wraps it in
 * `[seq,` … `,"prev_hash"]` and hashes that). One list of columns for both sides of the chain.
 */
function hashMiddle(r: Omit<ChainRow, 'seq' | 'prev_hash'>): string {
  return [r.at, r.actor_user_id, r.actor_username, r.actor_unit_id, r.action, r.entity_type, r.entity_id, r.outcome, r.detail, r.request_id].map(canonicalJson).join(',');
}

/** What a row's hash covers: every column but the hash itself and created_at (canonical JSON of the array). */
export function rowHash(r: ChainRow): string {
  const material = `[${canonicalJson(r.seq)},${hashMiddle(r)},${canonicalJson(r.prev_hash)}]`;
  return createHash('sha256').update(material).digest('hex');
}

export function createAuditService({ db, clock }: { db: Db; clock: Clock }) {
  /**
   * Appends one event. Pass the caller's transaction so the event commits (or rolls back) with the
   * change it describes; without one, the event is written in its own transaction.
   */
  async function record(event: AuditEvent, trx?: Executor): Promise<void> {
    // Without a transaction the one statement is its own (the lock is released at its end).
    await recordMany([event], trx ?? db.kysely);
  }

  /**
   * Appends several events in the caller's transaction, in order, in one round trip: `audit_append`
   * (migration 0031) takes the chain's lock, reads its head, hashes and inserts. The chain is the
   * same as appending them one by one (each row's hash covers the previous row's), so verification
   * cannot tell the difference. Node sends each event's canonical JSON without the two elements only
   * the database knows (seq first, prev_hash last): see `rowHash`.
   */
  async function recordMany(events: AuditEvent[], trx: Executor): Promise<void> {
    if (!events.length) return;
    const rows = events.map((event) => {
      // Milliseconds only, so the instant read back from timestamptz hashes the same.
      const row = {
        at: clock.now().toISOString(),
        actor_user_id: event.actor?.userId ?? null,
        actor_username: event.actor?.username ?? event.actorUsername ?? null,
        actor_unit_id: event.actor?.unitId ?? null,
        action: event.action,
        entity_type: event.entityType ?? null,
        entity_id: event.entityId ?? null,
        outcome: event.outcome ?? 'success',
        detail: JSON.parse(canonicalJson(event.detail ?? {})) as unknown,
        request_id: event.requestId ?? null,
      };
      return { ...row, middle: hashMiddle(row) };
    });
    await sql`SELECT audit_append(${JSON.stringify(rows)}::jsonb)`.execute(trx);
  }

  async function list(q: AuditQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    let query = db.kysely.selectFrom('audit_log').selectAll();
    if (q.from) query = query.where('at', '>=', new Date(q.from));
    if (q.to) query = query.where('at', '<', new Date(q.to));
    if (q.actor) query = query.where('actor_username', '=', q.actor);
    if (q.action) {
      query = q.action.endsWith('.')
        ? query.where('action', 'like', q.action.replace(/[%_\\]/g, '\\$&') + '%')
        : query.where('action', '=', q.action);
    }
    if (q.entityType) query = query.where('entity_type', '=', q.entityType);
    if (q.entityId) query = query.where('entity_id', '=', q.entityId);
    if (q.outcome) query = query.where('outcome', '=', q.outcome);
    const after = decodeCursor(q.cursor, 1);
    if (after) query = query.where('seq', '<', Number(after[0]));
    const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        actorUserId: r.actor_user_id,
        actorUsername: r.actor_username,
        actorUnitId: r.actor_unit_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        outcome: r.outcome as AuditEntryView['outcome'],
        detail: r.detail,
        requestId: r.request_id,
        hash: r.hash,
      })),
      nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.seq]) : null,
    };
  }

  /** Re-computes the chain from the first row; reports the first row that does not fit. */
  async function verify(): Promise<AuditVerifyResult> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(2000)
        .execute();
      for (const r of rows) {
        if (r.seq !== expectedSeq) return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: 'gap' }, headHash: prevHash };
        if (r.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'prev_mismatch' }, headHash: prevHash };
        const recomputed = rowHash({ ...r, at: new Date(r.at).toISOString(), detail: r.detail });
        if (recomputed !== r.hash) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'hash_mismatch' }, headHash: prevHash };
        prevHash = r.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < 2000) break;
    }
    return { ok: true, checked, firstBroken: null, headHash: checked ? prevHash : null };
  }

  return { record, recordMany, list, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;
