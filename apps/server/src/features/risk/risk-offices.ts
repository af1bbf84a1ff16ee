// Per-office scoping inside Customs (issue 6). Every Customs risk analyst and officer used to see every
// declaration of every office; now each office code of a mapping's data (its `office` column) is
// assigned to a Customs org unit (risk_office_units, migration 0019), and:
//   - a user of the Customs root unit (the force itself, HQ level) sees every declaration;
//   - a user of a unit below it sees the declarations whose office is assigned to their unit or to a
//     unit below it (Principal.unitIds);
//   - declarations of an office assigned to no unit are seen by root-level users only.
// The rule is applied on the server in every read and write of declarations (risk.service.ts calls
// `scopeOf` and `scopeSql`); scoring and training stay mapping-wide (a model learns from all offices).
import type { RiskOfficeAssignBody, RiskOfficeList } from '@cordon/contracts';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { RISK_MANAGE_ROLES, RISK_READ_ROLES, type RiskAccess } from './risk-access.js';

type Ex = Kysely<Database>;

/** What a user may see of a mapping's declarations: everything (Customs root), or the offices assigned to these units. */
export type RiskScope = { all: true } | { all: false; unitIds: string[] };

/**
 * SQL condition on a declaration aliased `d` (needs d.office and d.mapping_id): true for root-level
 * users, else "its office is assigned to one of the user's units". Unassigned offices never match.
 */
export function scopeSql(scope: RiskScope) {
  if (scope.all) return sql`true`;
  return sql`d.office IN (SELECT u.office_code FROM risk_office_units u WHERE u.mapping_id = d.mapping_id
    AND u.unit_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(scope.unitIds)}::jsonb)::uuid))`;
}

export function createRiskOffices({ db, clock, audit, access }: { db: Db; clock: Clock; audit: AuditService; access: RiskAccess }) {
  /** The caller's scope; call after access.require (which has already refused users outside Customs). */
  async function scopeOf(p: Principal): Promise<RiskScope> {
    return (await access.customsPlace(p.unitId)) === 'root' ? { all: true } : { all: false, unitIds: p.unitIds.length ? p.unitIds : [p.unitId] };
  }

  async function mappingOffice(ex: Ex, mappingId: string): Promise<{ name: string; office: string | null }> {
    const { rows } = await sql<{ name: string; office: string | null }>`SELECT name, mapping ->> 'office' AS office FROM risk_mappings WHERE id = ${mappingId}`.execute(ex);
    if (!rows[0]) throw notFound('Column mapping');
    return rows[0];
  }

  /** Offices seen in the mapping's data (and offices assigned but not seen yet), with their unit; a scoped user sees their own only. */
  async function list(p: Principal, mappingId: string): Promise<RiskOfficeList> {
    await access.require(p, RISK_READ_ROLES);
    await mappingOffice(db.kysely, mappingId);
    const scope = await scopeOf(p);
    const { rows } = await sql<{ office: string; n: number; unit_id: string | null; code: string | null; name_vi: string | null; name_en: string | null; updated_at: Date | null }>`
      WITH seen AS (SELECT d.office, count(*)::int AS n FROM risk_declarations d WHERE d.mapping_id = ${mappingId} GROUP BY d.office),
      offices AS (
        SELECT office, n FROM seen
        UNION ALL
        SELECT u.office_code, 0 FROM risk_office_units u WHERE u.mapping_id = ${mappingId} AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.office = u.office_code)
      )
      SELECT x.office, x.n, u.unit_id, o.code, o.name_vi, o.name_en, u.updated_at
      FROM offices x LEFT JOIN risk_office_units u ON u.mapping_id = ${mappingId} AND u.office_code = x.office LEFT JOIN org_units o ON o.id = u.unit_id
      ORDER BY x.n DESC, x.office`.execute(db.kysely);
    const mine = scope.all ? null : new Set(scope.unitIds);
    return {
      seesAll: scope.all,
      canAssign: RISK_MANAGE_ROLES.some((r) => p.roles.includes(r)),
      items: rows
        .filter((r) => !mine || (r.unit_id !== null && mine.has(r.unit_id)))
        .map((r) => ({
          office: r.office, declarations: r.n, updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
          unit: r.unit_id ? { id: r.unit_id, code: r.code!, nameVi: r.name_vi!, nameEn: r.name_en! } : null,
        })),
    };
  }

  /**
   * Assigns offices to Customs units (unitId null removes the assignment). A root-level risk analyst
   * or admin changes any office; one below the root only moves offices already assigned to one of
   * their units, to one of their units (they cannot take an office from another unit). Audited, one
   * event per request listing every change.
   */
  async function assign(p: Principal, body: RiskOfficeAssignBody, requestId?: string): Promise<RiskOfficeList> {
    await access.require(p, RISK_MANAGE_ROLES);
    const scope = await scopeOf(p);
    const seen = new Map<string, number>();
    body.assignments.forEach((a, i) => {
      if (seen.has(a.office)) throw invalidField(`assignments.${i}.office`, 'not_unique', `repeats the office "${a.office}" of assignments.${seen.get(a.office)}`);
      seen.set(a.office, i);
    });
    for (const [i, a] of body.assignments.entries()) {
      if (a.unitId !== null && !(await access.inCustoms(a.unitId))) throw invalidField(`assignments.${i}.unitId`, 'invalid_value', 'is not a unit of Customs');
    }
    await db.kysely.transaction().execute(async (trx) => {
      const m = await mappingOffice(trx, body.mappingId);
      if (!m.office) throw invalidField('mappingId', 'invalid_value', `the mapping "${m.name}" has no office column: nothing to assign`);
      const { rows: current } = await sql<{ office_code: string; unit_id: string }>`
        SELECT office_code, unit_id FROM risk_office_units WHERE mapping_id = ${body.mappingId}
          AND office_code IN (SELECT jsonb_array_elements_text(${JSON.stringify(body.assignments.map((a) => a.office))}::jsonb)) FOR UPDATE`.execute(trx);
      const from = new Map(current.map((r) => [r.office_code, r.unit_id]));
      const changes: { office: string; from: string | null; to: string | null }[] = [];
      body.assignments.forEach((a, i) => {
        const was = from.get(a.office) ?? null;
        if (!scope.all) {
          const mine = new Set(scope.unitIds);
          if (was === null || !mine.has(was)) throw new AppError('FORBIDDEN', `assignments.${i}.office: the office "${a.office}" is not assigned to your unit; a user of the Customs root unit assigns it`);
          if (a.unitId !== null && !mine.has(a.unitId)) throw new AppError('FORBIDDEN', `assignments.${i}.unitId: you can assign offices only to your unit or a unit below it`);
        }
        if (was !== a.unitId) changes.push({ office: a.office, from: was, to: a.unitId });
      });
      const set = changes.filter((c) => c.to !== null);
      const unset = changes.filter((c) => c.to === null).map((c) => c.office);
      if (set.length) {
        await sql`INSERT INTO risk_office_units (mapping_id, office_code, unit_id, assigned_by, created_at, updated_at)
          SELECT ${body.mappingId}, x.office, x.unit, ${p.userId}, ${clock.now()}, ${clock.now()}
          FROM jsonb_to_recordset(${JSON.stringify(set.map((c) => ({ office: c.office, unit: c.to })))}::jsonb) AS x(office text, unit uuid)
          ON CONFLICT (mapping_id, office_code) DO UPDATE SET unit_id = excluded.unit_id, assigned_by = excluded.assigned_by, updated_at = excluded.updated_at`.execute(trx);
      }
      if (unset.length) {
        await sql`DELETE FROM risk_office_units WHERE mapping_id = ${body.mappingId} AND office_code IN (SELECT jsonb_array_elements_text(${JSON.stringify(unset)}::jsonb))`.execute(trx);
      }
      if (changes.length) {
        await audit.record({ action: 'risk.office.assign', actor: actorOf(p), entityType: 'risk_mapping', entityId: body.mappingId, detail: { changes: changes.slice(0, 500), count: changes.length }, requestId }, trx);
      }
    });
    return list(p, body.mappingId);
  }

  /**
   * Scoring stays mapping-wide for root-level users. Below the root, a request may score only
   * declarations of the caller's offices: `pending` (every office's pending declarations) is refused,
   * a ref of another office is reported like an unknown id, a row of another office names its cell.
   */
  async function checkScoring(p: Principal, mappingId: string, officeColumn: string | null, body: { rows?: unknown[]; refs?: string[]; pending?: boolean }, decls: { id: string; office: string }[]) {
    const scope = await scopeOf(p);
    if (scope.all) return;
    if (body.pending) throw new AppError('FORBIDDEN', 'pending: scoring every pending declaration covers every office; a user of the Customs root unit does it, or send refs of your offices');
    const { rows } = await sql<{ office_code: string }>`SELECT office_code FROM risk_office_units WHERE mapping_id = ${mappingId}
      AND unit_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(scope.unitIds)}::jsonb)::uuid)`.execute(db.kysely);
    const mine = new Set(rows.map((r) => r.office_code));
    const outside = decls.map((d, i) => [d, i] as const).filter(([d]) => !mine.has(d.office));
    if (!outside.length) return;
    if (body.rows) {
      const [d, i] = outside[0]!;
      throw invalidField(`rows.${i}.${officeColumn ?? 'office'}`, 'invalid_value', `the office "${d.office}" is not assigned to your unit or a unit below it`);
    }
    const refIndex = new Map((body.refs ?? []).map((r, i) => [r, i]));
    throw new AppError('INVALID_INPUT', `refs: ${outside.length} unknown declaration id(s), e.g. "${outside[0]![0].id}"`,
      outside.slice(0, 100).map(([d]) => ({ field: `refs.${refIndex.get(d.id) ?? 0}`, reason: 'not_found', message: `no declaration "${d.id}"` })));
  }

  return { scopeOf, list, assign, checkScoring };
}

export type RiskOffices = ReturnType<typeof createRiskOffices>;
