import { randomUUID } from 'node:crypto';
import { decideAccess, readIsAudited, RECORD_READER_ROLES, type AccessDecision, type RecordAccessFacts, type Sensitivity } from '@cordon/engine';
import { sql, type Db, type Database, type Kysely } from '@cordon/db';
import { forbidden, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';

/**
 * Need-to-know for records, on the server. Features (cases now, tips and subjects later) give the
 * record's own facts (sensitivity, handling units, named users); this service adds the explicit shares,
 * asks the pure policy, writes the audit trail (reads of restricted/secret records, every denial) and
 * offers the same rule as an SQL condition for lists.
 */
export function createAccessService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  async function sharesOf(recordType: string, recordId: string, trx: Kysely<Database> = db.kysely) {
    const rows = await trx
      .selectFrom('record_shares')
      .select(['unit_id', 'user_id'])
      .where('record_type', '=', recordType)
      .where('record_id', '=', recordId)
      .where('revoked_at', 'is', null)
      .execute();
    return {
      sharedUnitIds: rows.flatMap((r) => (r.unit_id ? [r.unit_id] : [])),
      sharedUserIds: rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
    };
  }

  /**
   * Decides whether `p` may read the record, audits as the rules require, and returns the decision.
   * Throws NOT_FOUND (not FORBIDDEN) when the user may not know the record exists.
   */
  async function checkRead(
    p: Principal,
    record: { type: string; id: string; facts: Omit<RecordAccessFacts, 'sharedUnitIds' | 'sharedUserIds'> },
    requestId?: string,
  ): Promise<AccessDecision> {
    const facts: RecordAccessFacts = { ...record.facts, ...(await sharesOf(record.type, record.id)) };
    const decision = decideAccess(p, facts);
    if (decision.level === 'none') {
      await audit.record({ action: `${record.type}.read`, outcome: 'denied', actor: actorOf(p), entityType: record.type, entityId: record.id, detail: { rule: decision.rule }, requestId });
      throw notFound(record.type);
    }
    if (decision.level === 'full' && readIsAudited(facts)) {
      await audit.record({ action: `${record.type}.read`, actor: actorOf(p), entityType: record.type, entityId: record.id, detail: { rule: decision.rule, sensitivity: facts.sensitivity }, requestId });
    }
    return decision;
  }

  /** Shares a record with a unit or a user, with a reason. Only someone with full access may share. */
  async function share(
    p: Principal,
    record: { type: string; id: string; facts: Omit<RecordAccessFacts, 'sharedUnitIds' | 'sharedUserIds'> },
    to: { unitId?: string; userId?: string; reason: string },
    requestId?: string,
  ) {
    if (!to.reason.trim()) throw invalidField('reason', 'required', 'say why the record is shared');
    if (!to.unitId === !to.userId) throw invalidField('unitId', 'invalid_value', 'share with exactly one unit or one user');
    const decision = decideAccess(p, { ...record.facts, ...(await sharesOf(record.type, record.id)) });
    if (decision.level !== 'full') throw forbidden('Only users with full access to a record may share it');
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('record_shares')
        .values({ id, record_type: record.type, record_id: record.id, unit_id: to.unitId ?? null, user_id: to.userId ?? null, reason: to.reason.trim(), granted_by: p.userId, created_at: clock.now(), revoked_at: null })
        .execute();
      await audit.record({ action: `${record.type}.share`, actor: actorOf(p), entityType: record.type, entityId: record.id, detail: { ...to }, requestId }, trx);
    });
    return id;
  }

  return { sharesOf, checkRead, share };
}

export type AccessService = ReturnType<typeof createAccessService>;

/**
 * The same need-to-know rule as an SQL condition, for lists: rows the principal may see at least in
 * summary. The table must have `id uuid` and `sensitivity text`; `handlingUnits` is an SQL expression
 * giving the row's handling unit ids as uuid[]; `namedUsers` the row's named user ids as uuid[].
 */
export function visibleRowsCondition(
  p: Principal,
  t: { alias: string; recordType: string; handlingUnits: string; namedUsers: string },
) {
  const units = sql`${sql.val(p.unitIds)}::uuid[]`;
  const shared = sql`EXISTS (SELECT 1 FROM record_shares s WHERE s.record_type = ${t.recordType} AND s.record_id = ${sql.ref(`${t.alias}.id`)}
    AND s.revoked_at IS NULL AND (s.user_id = ${p.userId} OR (s.unit_id = ANY(${units}) AND ${sql.ref(`${t.alias}.sensitivity`)} <> 'secret')))`;
  if (!p.roles.some((r) => RECORD_READER_ROLES.includes(r))) return sql<boolean>`false`;
  return sql<boolean>`(
    (${sql.ref(`${t.alias}.sensitivity`)} = 'secret' AND (${p.userId}::uuid = ANY(${sql.raw(t.namedUsers)}) OR ${shared}))
    OR (${sql.ref(`${t.alias}.sensitivity`)} = 'restricted' AND (${sql.raw(t.handlingUnits)} && ${units} OR ${shared}))
    OR ${sql.ref(`${t.alias}.sensitivity`)} = 'internal'
  )`;
}

export type { Sensitivity };
