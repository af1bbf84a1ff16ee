// Per-office scoping inside Customs (issue 6). Every Customs risk analyst and officer used to see every
// declaration of every office; now each office code of a mapping's data (its `office` column) is
// assigned to a Customs org unit (risk_office_units, migration 0019), and:
//   - a user of the Customs root unit (the force itself, HQ level) sees every declaration;
//   - a user of a unit below it sees the declarations whose office is assigned to their unit or to a
//     unit below it (Principal.unitIds);
//   - declarations of an office assigned to no unit are seen by root-level users only.
// The rule is applied on the server in every read and write of declarations (risk.service.ts calls
// `scopeOf` and `scopeSql`); scoring and training stay mapping-wide (a model learns from all offices).
import type { CaseImportProblem, RiskOfficeAssignBody, RiskOfficeImportBody, RiskOfficeImportReport, RiskOfficeList } from '@cordon/contracts';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, invalidField, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { readCsvRecords } from '../cases/import/csv-reader.js';
import { RISK_MANAGE_ROLES, RISK_READ_ROLES, type RiskAccess } from './risk-access.js';
import { sniffDelimiter } from './risk-files.js';

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

/**
 * How long a process trusts its cached office → unit map of a mapping (scoring below the Customs root
 * reads it on every request). An assignment made by this process empties it at once; one made by
 * another server process is seen within this time. Reads (lists, hit rates …) never use it.
 */
export const RISK_OFFICE_CACHE_MS = 5_000;

/** An office code as the import accepts it (the data's office column values: 20BC, 03CE, 40 …). */
const OFFICE_CODE = /^[\p{L}\p{N}][\p{L}\p{N}._/-]{0,39}$/u;
/** A first line naming the columns rather than an office (skipped). */
const HEADER_OFFICE = /^(office|office code|office_code|office id|chi cục|mã chi cục|ma chi cuc|mã hải quan)$/iu;
const HEADER_UNIT = /^(unit|unit code|unit_code|đơn vị|mã đơn vị|ma don vi)$/iu;

export function createRiskOffices({ db, clock, audit, access }: { db: Db; clock: Clock; audit: AuditService; access: RiskAccess }) {
  const officeUnits = new Map<string, { units: Map<string, string>; at: number }>();

  /** The mapping's office → unit id assignments (cached, see RISK_OFFICE_CACHE_MS). */
  async function assignedUnits(mappingId: string): Promise<Map<string, string>> {
    const hit = officeUnits.get(mappingId);
    if (hit && Date.now() - hit.at < RISK_OFFICE_CACHE_MS) return hit.units;
    const { rows } = await sql<{ office_code: string; unit_id: string }>`SELECT office_code, unit_id FROM risk_office_units WHERE mapping_id = ${mappingId}`.execute(db.kysely);
    const units = new Map(rows.map((r) => [r.office_code, r.unit_id]));
    officeUnits.set(mappingId, { units, at: Date.now() });
    return units;
  }
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
    officeUnits.delete(body.mappingId); // after the commit: a scoring request in between would cache the old map again
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
    const units = await assignedUnits(mappingId);
    const myUnits = new Set(scope.unitIds);
    const outside = decls.map((d, i) => [d, i] as const).filter(([d]) => !myUnits.has(units.get(d.office) ?? ''));
    if (!outside.length) return;
    if (body.rows) {
      const [d, i] = outside[0]!;
      throw invalidField(`rows.${i}.${officeColumn ?? 'office'}`, 'invalid_value', `the office "${d.office}" is not assigned to your unit or a unit below it`);
    }
    const refIndex = new Map((body.refs ?? []).map((r, i) => [r, i]));
    throw new AppError('INVALID_INPUT', `refs: ${outside.length} unknown declaration id(s), e.g. "${outside[0]![0].id}"`,
      outside.slice(0, 100).map(([d]) => ({ field: `refs.${refIndex.get(d.id) ?? 0}`, reason: 'not_found', message: `no declaration "${d.id}"` })));
  }

  /**
   * Office → unit assignments from a CSV file (the "Chi cục" tab's import): one line per office,
   * "office code,unit code" (`,` `;` or tab; a first line naming the columns is skipped; an empty unit
   * code removes the assignment). Every bad line is reported with its line number and what is wrong:
   * an office code in an unknown format, a unit code that names no unit, a unit outside Customs, an
   * office twice in the file, an office or unit outside the caller's units (below the root). In
   * all_or_nothing mode (the default) nothing is written if any line is bad; in partial mode the good
   * lines are. Written through `assign`: the same checks and one audit event.
   */
  async function importCsv(p: Principal, body: RiskOfficeImportBody, requestId?: string): Promise<RiskOfficeImportReport> {
    await access.require(p, RISK_MANAGE_ROLES);
    const m = await mappingOffice(db.kysely, body.mappingId);
    if (!m.office) throw invalidField('mappingId', 'invalid_value', `the mapping "${m.name}" has no office column: nothing to assign`);
    const scope = await scopeOf(p);
    const bytes = Buffer.from(body.csv, 'utf8');
    const records = [...readCsvRecords(bytes, sniffDelimiter(body.csv.slice(0, 4096)))].filter((r) => r.cells.some((c) => c.trim() !== ''));
    if (records[0] && HEADER_OFFICE.test(records[0].cells[0]?.trim() ?? '') && HEADER_UNIT.test(records[0].cells[1]?.trim() ?? '')) records.shift();
    if (!records.length) throw invalidField('csv', 'empty', 'has no line "office code,unit code"');
    if (records.length > 2000) throw invalidField('csv', 'too_big', `has ${records.length} lines; at most 2,000 per file`);

    const codes = [...new Set(records.map((r) => (r.cells[1] ?? '').trim().toUpperCase()).filter((c) => c))];
    const { rows: found } = await sql<{ id: string; code: string; active: boolean }>`SELECT id, code, active FROM org_units
      WHERE upper(code) IN (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`.execute(db.kysely);
    const unitByCode = new Map(found.map((u) => [u.code.toUpperCase(), u]));
    const current = await assignedUnits(body.mappingId);
    const mine = scope.all ? null : new Set(scope.unitIds);

    const problems: CaseImportProblem[] = [];
    const good: { line: number; office: string; unitId: string | null }[] = [];
    const seen = new Map<string, number>();
    for (const r of records) {
      const bad = (field: string, reason: string, message: string) => problems.push({ line: r.line, field, reason, message });
      const [officeCell = '', unitCell = '', ...rest] = r.cells;
      const office = officeCell.trim();
      const code = unitCell.trim();
      if (rest.some((c) => c.trim() !== '')) { bad('', 'invalid_format', `has ${r.cells.length} cells: write "office code,unit code"`); continue; }
      if (!office) { bad('office', 'required', 'the office code is empty'); continue; }
      if (!OFFICE_CODE.test(office)) { bad('office', 'invalid_format', `"${office.slice(0, 60)}" is not an office code (1–40 letters, digits, . _ - /, no spaces)`); continue; }
      if (seen.has(office)) { bad('office', 'not_unique', `the office "${office}" is already on line ${seen.get(office)}`); continue; }
      seen.set(office, r.line);
      let unitId: string | null = null;
      if (code) {
        const u = unitByCode.get(code.toUpperCase());
        if (!u) { bad('unit', 'not_found', `no unit has the code "${code.slice(0, 60)}"`); continue; }
        if (!u.active) { bad('unit', 'invalid_value', `the unit ${u.code} is deactivated`); continue; }
        if (!(await access.inCustoms(u.id))) { bad('unit', 'invalid_value', `the unit ${u.code} is not part of Customs`); continue; }
        unitId = u.id;
      }
      if (mine) {
        const was = current.get(office);
        if (!was || !mine.has(was)) { bad('office', 'forbidden', `the office "${office}" is not assigned to your unit; a user of the Customs root unit assigns it`); continue; }
        if (unitId !== null && !mine.has(unitId)) { bad('unit', 'forbidden', 'you can assign offices only to your unit or a unit below it'); continue; }
      }
      good.push({ line: r.line, office, unitId });
    }
    const write = body.mode === 'partial' || problems.length === 0;
    const changed = write ? good.filter((g) => (current.get(g.office) ?? null) !== g.unitId).length : 0;
    const offices = write && good.length
      ? await assign(p, { mappingId: body.mappingId, assignments: good.map((g) => ({ office: g.office, unitId: g.unitId })) }, requestId)
      : await list(p, body.mappingId);
    return { mode: body.mode, lines: records.length, applied: write ? good.length : 0, changed, problems, offices };
  }

  return { scopeOf, list, assign, checkScoring, importCsv };
}

export type RiskOffices = ReturnType<typeof createRiskOffices>;
