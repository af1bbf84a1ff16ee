// Declaration risk on the server: saved column mappings, declarations and their inspection outcomes,
// versioned models trained on those outcomes (off the request, in a worker thread), selectivity rules
// as data with a shadow mode, scoring with channel allocation under the red budget, and drift. The
// engine (@cordon/engine, pure) does the arithmetic; this file feeds it and keeps the records.
import { createHash, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type {
  CreateRiskRuleBody, RiskBulkOutcomesBody, RiskDeclarationQuery, RiskDeclarationView, RiskDriftQuery, RiskDriftView, RiskMappingView,
  RiskHitRatesQuery, RiskHitRatesView, RiskModelView, RiskOutcomeBody, RiskOutcomeView, RiskReasons, RiskRuleView, RiskScoreBody, RiskScoreResponse, RiskTrainBody, RiskTrainJobView,
  UpdateRiskRuleBody, CaseImportProblem, RiskRuleBacktest, RiskRuleBacktestBody,
} from '@cordon/contracts';
import type { z } from 'zod';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import {
  allocateChannels, applyRules, readDeclarations as engineRead, compileRules, driftAgainst, explain, loadModel, parseRiskMapping, probability, riskRng, RiskInputError, topReasons,
  type Channel, type Declaration, type RiskMapping, type RiskModel, type ScoreReference, type SelectivityRule,
} from '@cordon/engine';
import { AppError, invalidField, notFound, staleVersion } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { readRiskTable } from './risk-files.js';
import { createRiskAccess, RISK_MANAGE_ROLES, RISK_OUTCOME_ROLES, RISK_READ_ROLES } from './risk-access.js';
import { createRiskOffices, scopeSql, type RiskScope } from './risk-offices.js';
import { splitWindows, trainWithReference, type TrainInput, type TrainOutput } from './risk-train.js';

type Ex = Kysely<Database>;
type Z<T extends z.ZodType> = z.infer<T>;

const rowsOf = async <T>(ex: Ex, q: ReturnType<typeof sql<T>>) => (await q.execute(ex)).rows;
const iso = (d: Date | string | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
/** NaN and ±Infinity do not survive JSON: stored as null. */
const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Rows per write when importing, and the most declarations one scoring request may load. */
export const RISK_IMPORT_BATCH = 1000;
export const RISK_PENDING_MAX = 50_000;
const MAX_PROBLEMS = 10_000;
/**
 * How long this process trusts its cached active model and rules of a mapping without asking the
 * database. A promotion, retirement or rule change made by this process clears the cache at once;
 * one made by another server process (several behind a load balancer) is seen within this time.
 */
export const RISK_CACHE_MS = 5_000;
/**
 * How many of the latest declarations a rule backtest reads (newest first). Each row costs about
 * 0.1–0.3 ms on PGlite under load (3,000 rows: 0.5–1.3 s at load 16), so this keeps a click under a
 * few seconds; a larger window belongs in a background job, not a button.
 */
export const RISK_BACKTEST_MAX = 20_000;
/** Scoring requests of at most this many declarations share a transaction with whoever is waiting (group commit). */
const GROUP_MAX_ROWS = 200;

export interface RiskServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** 'worker' (the server): train in a worker thread; 'process' (the CLI, tests of failures): in this thread. */
  trainIn?: 'worker' | 'process';
}

interface MappingRec {
  id: string;
  name: string;
  mapping: RiskMapping;
}

interface ModelRec {
  id: string;
  seq: number;
  mappingId: string;
  model: RiskModel;
  reference: ScoreReference;
}

interface RuleRow {
  id: string;
  mapping_id: string;
  code: string;
  description: string;
  conditions: unknown;
  channel: Channel | null;
  weight: number | null;
  mode: 'active' | 'shadow' | 'retired';
  valid_from: string | null;
  valid_to: string | null;
  version: number;
  updated_at: Date;
}

interface MappingRules {
  byCode: Map<string, RuleRow>;
  compiled: ReturnType<typeof compileRules>;
}

/** The columns a mapping reads, in a fixed order: what `fields` keeps of each row. */
const mappedColumns = (m: RiskMapping) => [...new Set([m.id, m.date, m.office, m.label, m.revenue, ...m.categorical, ...m.numeric].filter((c): c is string => !!c))];

const dayTime = (day: string | null, position: number) => (day ? Date.parse(`${day}T00:00:00Z`) : position);

/** An engine issue → a row problem (line, the file's column, a stable reason). */
function problemOf(i: { line?: number; column?: string; message: string }, line: number): CaseImportProblem {
  const reason = /empty id/.test(i.message) ? 'required' : /not a date/.test(i.message) ? 'invalid_format' : /not in the file's header/.test(i.message) ? 'missing_column' : 'invalid_value';
  return { line: i.line ?? line, field: i.column ?? '', reason, message: i.message };
}

export function createRiskService({ db, clock, audit, trainIn = 'worker' }: RiskServiceDeps) {
  const access = createRiskAccess(db);
  // Per-office scoping inside Customs: every read and write of declarations below is limited by scopeSql(scope).
  const offices = createRiskOffices({ db, clock, audit, access });
  const mappings = new Map<string, MappingRec>();
  const models = new Map<string, ModelRec>();
  // mapping id → its active model (decoded) / its rules compiled, and when they were read (RISK_CACHE_MS).
  const activeByMapping = new Map<string, { rec: ModelRec; at: number }>();
  const rulesByMapping = new Map<string, { rules: MappingRules; at: number }>();

  // ---------- mappings ----------

  async function mappingById(id: string, ex: Ex = db.kysely): Promise<MappingRec> {
    const hit = mappings.get(id);
    if (hit) return hit;
    const [row] = await rowsOf(ex, sql<{ id: string; name: string; mapping: unknown }>`SELECT id, name, mapping FROM risk_mappings WHERE id = ${id}`);
    if (!row) throw notFound('Column mapping');
    // Mappings are never edited (a new one is made instead), so caching them is safe.
    const rec = { id: row.id, name: row.name, mapping: parseRiskMapping(json(row.mapping)) };
    mappings.set(id, rec);
    return rec;
  }

  async function createMapping(p: Principal, body: { name: string; mapping: unknown }, requestId?: string): Promise<RiskMappingView> {
    await access.require(p, RISK_MANAGE_ROLES);
    let mapping: RiskMapping;
    try {
      mapping = parseRiskMapping(body.mapping);
    } catch (e) {
      if (e instanceof RiskInputError) throw new AppError('INVALID_INPUT', `mapping: ${e.message}`, e.issues.map((i) => ({ field: 'mapping', reason: 'invalid_value', message: i.message })));
      throw e;
    }
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      const [dup] = await rowsOf(trx, sql<{ id: string }>`SELECT id FROM risk_mappings WHERE name = ${body.name}`);
      if (dup) throw new AppError('CONFLICT', `name: a mapping named "${body.name}" exists`, [{ field: 'name', reason: 'not_unique', message: 'a mapping with this name exists' }]);
      await sql`INSERT INTO risk_mappings (id, name, mapping, created_by) VALUES (${id}, ${body.name}, ${JSON.stringify(mapping)}::jsonb, ${p.userId})`.execute(trx);
      await audit.record({ action: 'risk.mapping.create', actor: actorOf(p), entityType: 'risk_mapping', entityId: id, detail: { name: body.name, mapping }, requestId }, trx);
    });
    return (await listMappings(p)).items.find((m) => m.id === id)!;
  }

  async function listMappings(p: Principal): Promise<{ items: RiskMappingView[] }> {
    await access.require(p, RISK_READ_ROLES);
    const scope = await offices.scopeOf(p);
    const rows = await rowsOf(db.kysely, sql<{ id: string; name: string; mapping: unknown; created_at: Date; version: number; declarations: number; outcomes: number; active: string | null }>`
      SELECT m.id, m.name, m.mapping, m.created_at, m.version,
        (SELECT count(*)::int FROM risk_declarations d WHERE d.mapping_id = m.id AND ${scopeSql(scope)}) AS declarations,
        (SELECT count(*)::int FROM risk_declarations d JOIN risk_outcomes o ON o.declaration_id = d.id WHERE d.mapping_id = m.id AND ${scopeSql(scope)}) AS outcomes,
        (SELECT id FROM risk_models x WHERE x.mapping_id = m.id AND x.status = 'active') AS active
      FROM risk_mappings m ORDER BY m.created_at, m.name`);
    return {
      items: rows.map((r) => ({ id: r.id, name: r.name, mapping: json(r.mapping), declarations: r.declarations, outcomes: r.outcomes, activeModelId: r.active, createdAt: iso(r.created_at)!, version: r.version })),
    };
  }

  /** Renames a mapping (its columns never change: models, rules, offices and declarations keep pointing at its id). */
  async function renameMapping(p: Principal, id: string, body: { name: string; version: number }, requestId?: string): Promise<RiskMappingView> {
    await access.require(p, RISK_MANAGE_ROLES);
    await db.kysely.transaction().execute(async (trx) => {
      const [cur] = await rowsOf(trx, sql<{ name: string; version: number }>`SELECT name, version FROM risk_mappings WHERE id = ${id} FOR UPDATE`);
      if (!cur) throw notFound('Column mapping');
      if (cur.version !== body.version) throw staleVersion('The mapping');
      const [dup] = await rowsOf(trx, sql<{ id: string }>`SELECT id FROM risk_mappings WHERE name = ${body.name} AND id <> ${id}`);
      if (dup) throw new AppError('CONFLICT', `name: a mapping named "${body.name}" exists`, [{ field: 'name', reason: 'not_unique', message: 'a mapping with this name exists' }]);
      await sql`UPDATE risk_mappings SET name = ${body.name}, version = version + 1, updated_at = ${clock.now()} WHERE id = ${id}`.execute(trx);
      await audit.record({ action: 'risk.mapping.rename', actor: actorOf(p), entityType: 'risk_mapping', entityId: id, detail: { from: cur.name, to: body.name }, requestId }, trx);
    });
    mappings.delete(id); // after the commit; another process keeps the old name in messages until it restarts
    return (await listMappings(p)).items.find((m) => m.id === id)!;
  }

  // ---------- declarations: import ----------

  interface PendingRow {
    line: number;
    d: Declaration;
    fields: Record<string, string>;
    hasLabel: boolean;
  }

  /** Writes one batch: new declarations (existing ids are duplicates), and outcomes from the label column where none is recorded yet. */
  async function writeDeclarations(trx: Ex, p: Principal | null, mappingId: string, batch: PendingRow[], importId: string | null) {
    const payload = batch.map(({ d, fields }, pos) => ({
      pos, id: randomUUID(), ref: d.id, declared_on: d.day || null, office: d.office, cat: d.cat, num: d.num.map(finite), fields,
    }));
    const created = await rowsOf(trx, sql<{ id: string; ref: string }>`
      INSERT INTO risk_declarations (id, mapping_id, ref, declared_on, office, cat, num, fields, import_id, created_by)
      SELECT x.id, ${mappingId}, x.ref, x.declared_on, x.office, x.cat, x.num, x.fields, ${importId}, ${p?.userId ?? null}
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(pos int, id uuid, ref text, declared_on date, office text, cat text[], num double precision[], fields jsonb)
      -- file order: seq stands in for time when the mapping has no date column
      ORDER BY x.pos
      ON CONFLICT (mapping_id, ref) DO NOTHING
      RETURNING id, ref`);
    const labelled = batch.filter((b) => b.hasLabel && b.d.label !== undefined).map((b) => ({ ref: b.d.id, found: b.d.label === 1, revenue: Math.max(0, Math.round(b.d.revenue)), day: b.d.day || null }));
    let outcomes = 0;
    if (labelled.length) {
      const rows = await rowsOf(trx, sql<{ declaration_id: string }>`
        INSERT INTO risk_outcomes (declaration_id, found, revenue_vnd, inspected_on, recorded_by)
        SELECT d.id, x.found, x.revenue, x.day, ${p?.userId ?? null}
        FROM jsonb_to_recordset(${JSON.stringify(labelled)}::jsonb) AS x(ref text, found boolean, revenue bigint, day date)
        JOIN risk_declarations d ON d.mapping_id = ${mappingId} AND d.ref = x.ref
        ON CONFLICT (declaration_id) DO NOTHING
        RETURNING declaration_id`);
      outcomes = rows.length;
    }
    return { created, outcomes };
  }

  async function importDeclarations(
    p: Principal,
    input: { mappingId: string; fileName: string; bytes: Uint8Array; mode: 'partial' | 'all_or_nothing' },
    requestId?: string,
    /** After the file is read (written 0) and after each batch written (the CLI prints it). */
    onProgress?: (p: { written: number; toWrite: number; totalRows: number; rejected: number }) => void,
  ) {
    await access.require(p, RISK_MANAGE_ROLES);
    const rec = await mappingById(input.mappingId);
    const m = rec.mapping;
    const table = await readRiskTable(input.fileName, input.bytes, m);
    // Every mapped feature, the id and the date must be in the header, or no row could pass.
    try {
      readDeclarations(m, table.header, []);
    } catch (e) {
      if (e instanceof RiskInputError) {
        const issues = e.issues.map((i) => ({ field: i.column ?? 'file', reason: 'missing_column', message: `line ${table.headerLine}: ${i.message}` }));
        throw new AppError('INVALID_INPUT', `file: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
      }
      throw e;
    }
    const hasLabel = !!m.label && table.header.includes(m.label);
    const cols = mappedColumns(m).map((c) => [c, table.header.indexOf(c)] as const).filter(([, i]) => i >= 0);

    const importId = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      await sql`INSERT INTO risk_imports (id, mapping_id, file_name, sha256, mode, user_id, started_at)
        VALUES (${importId}, ${rec.id}, ${input.fileName}, ${createHash('sha256').update(input.bytes).digest('hex')}, ${input.mode}, ${p.userId}, ${clock.now()})`.execute(trx);
      await audit.record({ action: 'risk.import.start', actor: actorOf(p), entityType: 'risk_import', entityId: importId, detail: { mappingId: rec.id, fileName: input.fileName, mode: input.mode, bytes: input.bytes.byteLength }, requestId }, trx);
    });

    const counts = { totalRows: 0, imported: 0, duplicates: 0, outcomes: 0, rejected: 0 };
    const problems: CaseImportProblem[] = [];
    let problemCount = 0;
    const good: PendingRow[] = [];
    const firstLine = new Map<string, number>();
    for (const row of table.rows) {
      counts.totalRows++;
      let d: Declaration | undefined;
      const rowProblems: CaseImportProblem[] = [];
      try {
        d = readDeclarations(m, table.header, [row])[0];
      } catch (e) {
        if (!(e instanceof RiskInputError)) throw e;
        rowProblems.push(...e.issues.map((i) => problemOf(i, row.line)));
      }
      if (d) {
        const first = firstLine.get(d.id);
        if (first !== undefined) rowProblems.push({ line: row.line, field: m.id, reason: 'not_unique', message: `repeats the declaration id "${d.id}" of line ${first}` });
        else firstLine.set(d.id, row.line);
      }
      if (rowProblems.length || !d) {
        counts.rejected++;
        problemCount += rowProblems.length;
        for (const x of rowProblems) if (problems.length < MAX_PROBLEMS) problems.push(x);
        continue;
      }
      good.push({ line: row.line, d, hasLabel, fields: Object.fromEntries(cols.map(([c, i]) => [c, (row.values[i] ?? '').trim()])) });
    }

    let written = 0;
    const progress = () => onProgress?.({ written, toWrite: input.mode === 'all_or_nothing' && counts.rejected ? 0 : good.length, totalRows: counts.totalRows, rejected: counts.rejected });
    progress();
    const writeBatch = async (trx: Ex, batch: PendingRow[], n: number) => {
      const { created, outcomes } = await writeDeclarations(trx, p, rec.id, batch, importId);
      written += batch.length;
      counts.imported += created.length;
      counts.duplicates += batch.length - created.length;
      counts.outcomes += outcomes;
      await audit.record({
        action: 'risk.import.batch', actor: actorOf(p), entityType: 'risk_import', entityId: importId,
        detail: { batch: n, lines: [batch[0]!.line, batch[batch.length - 1]!.line], created: created.length, duplicates: batch.length - created.length, outcomes }, requestId,
      }, trx);
      progress();
    };
    const batches: PendingRow[][] = [];
    for (let i = 0; i < good.length; i += RISK_IMPORT_BATCH) batches.push(good.slice(i, i + RISK_IMPORT_BATCH));
    if (input.mode === 'partial') {
      let n = 0;
      for (const b of batches) await db.kysely.transaction().execute((trx) => writeBatch(trx, b, ++n));
    } else if (counts.rejected === 0) {
      await db.kysely.transaction().execute(async (trx) => {
        let n = 0;
        for (const b of batches) await writeBatch(trx, b, ++n);
      });
    }

    problems.sort((a, b) => a.line - b.line);
    await db.kysely.transaction().execute(async (trx) => {
      await sql`UPDATE risk_imports SET total_rows = ${counts.totalRows}, imported = ${counts.imported}, duplicates = ${counts.duplicates}, outcomes = ${counts.outcomes},
        rejected = ${counts.rejected}, problems = ${JSON.stringify(problems)}::jsonb, finished_at = ${clock.now()} WHERE id = ${importId}`.execute(trx);
      await audit.record({ action: 'risk.import', actor: actorOf(p), entityType: 'risk_import', entityId: importId, detail: { mappingId: rec.id, fileName: input.fileName, mode: input.mode, ...counts }, requestId }, trx);
    });
    return {
      importId, fileName: input.fileName, mode: input.mode, ...counts, problems, problemsTruncated: problemCount > problems.length,
      errorReportUrl: problems.length ? `/api/risk/imports/${importId}/errors.csv` : null,
    };
  }

  /** The problems of one of your imports as CSV: line, field, reason, message. */
  async function importErrorsCsv(p: Principal, importId: string): Promise<{ fileName: string; csv: string }> {
    await access.require(p, RISK_MANAGE_ROLES);
    const [row] = await rowsOf(db.kysely, sql<{ file_name: string; problems: unknown; user_id: string }>`SELECT file_name, problems, user_id FROM risk_imports WHERE id = ${importId}`);
    if (!row || row.user_id !== p.userId) throw notFound('Import');
    const cell = (v: string | number) => {
      const s = typeof v === 'number' ? String(v) : /^[=+\-@]/.test(v) ? `'${v}` : v;
      return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const list = json<CaseImportProblem[]>(row.problems);
    const lines = ['line,field,reason,message', ...list.map((x) => [x.line, x.field, x.reason, x.message].map(cell).join(','))];
    return { fileName: `${row.file_name.replace(/\.[^.]+$/, '')}.errors.csv`, csv: '\uFEFF' + lines.join('\r\n') + '\r\n' };
  }

  // ---------- declarations: read ----------

  interface DeclRow {
    id: string;
    mapping_id: string;
    ref: string;
    declared_on: string | null;
    office: string;
    fields: unknown;
    s_score: number | null;
    s_channel: Channel | null;
    s_selected_by: string | null;
    s_reasons: unknown;
    s_model_id: string | null;
    s_scored_at: Date | null;
    o_found: boolean | null;
    o_violation_type: string | null;
    o_revenue_vnd: number | null;
    o_inspected_on: string | null;
    o_note: string | null;
    o_version: number | null;
    o_updated_at: Date | null;
  }

  /** The row's cells in the mapping's column order (jsonb keeps its own key order). */
  const ordered = (fields: Record<string, string>, m: RiskMapping) => Object.fromEntries(mappedColumns(m).filter((c) => c in fields).map((c) => [c, fields[c]!]));

  const declView = (r: DeclRow, m: RiskMapping): RiskDeclarationView => ({
    id: r.id,
    mappingId: r.mapping_id,
    ref: r.ref,
    declaredOn: r.declared_on,
    office: r.office,
    fields: ordered(json(r.fields), m),
    latestScore: r.s_channel
      ? { score: r.s_score!, channel: r.s_channel, selectedBy: r.s_selected_by as 'risk', reasons: json(r.s_reasons), modelId: r.s_model_id!, scoredAt: iso(r.s_scored_at)! }
      : null,
    outcome: outcomeView(r),
  });

  const outcomeView = (r: Pick<DeclRow, 'o_found' | 'o_violation_type' | 'o_revenue_vnd' | 'o_inspected_on' | 'o_note' | 'o_version' | 'o_updated_at'>): RiskOutcomeView | null =>
    r.o_found === null
      ? null
      : { found: r.o_found, violationType: r.o_violation_type, revenueVnd: r.o_revenue_vnd ?? 0, inspectedOn: r.o_inspected_on, note: r.o_note, version: r.o_version!, recordedAt: iso(r.o_updated_at)! };

  const DECL_SELECT = sql`d.id, d.mapping_id, d.ref, d.declared_on, d.office, d.fields,
    s.score AS s_score, s.channel AS s_channel, s.selected_by AS s_selected_by, s.reasons AS s_reasons, s.model_id AS s_model_id, s.scored_at AS s_scored_at,
    o.found AS o_found, o.violation_type AS o_violation_type, o.revenue_vnd AS o_revenue_vnd, o.inspected_on AS o_inspected_on, o.note AS o_note, o.version AS o_version, o.updated_at AS o_updated_at`;
  const LATEST_SCORE = sql`LEFT JOIN LATERAL (SELECT * FROM risk_scores x WHERE x.declaration_id = d.id ORDER BY x.scored_at DESC, x.id DESC LIMIT 1) s ON true
    LEFT JOIN risk_outcomes o ON o.declaration_id = d.id`;

  async function listDeclarations(p: Principal, q: Z<typeof RiskDeclarationQuery>) {
    await access.require(p, RISK_READ_ROLES);
    const rec = await mappingById(q.mappingId);
    const where = [sql`d.mapping_id = ${q.mappingId}`, scopeSql(await offices.scopeOf(p))];
    if (q.channel) where.push(sql`s.channel = ${q.channel}`);
    if (q.scored === 'yes') where.push(sql`s.id IS NOT NULL`);
    if (q.scored === 'no') where.push(sql`s.id IS NULL`);
    if (q.outcome === 'found') where.push(sql`o.found = true`);
    if (q.outcome === 'not_found') where.push(sql`o.found = false`);
    if (q.outcome === 'none') where.push(sql`o.declaration_id IS NULL`);
    if (q.ref) where.push(sql`d.ref LIKE ${q.ref.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`);
    const cond = sql.join(where, sql` AND `);
    const offset = Number(q.cursor ?? 0);
    const order = q.sort === 'score' ? sql`s.score DESC NULLS LAST, d.seq DESC` : sql`d.seq DESC`;
    const rows = await rowsOf(db.kysely, sql<DeclRow>`SELECT ${DECL_SELECT} FROM risk_declarations d ${LATEST_SCORE} WHERE ${cond} ORDER BY ${order} LIMIT ${q.limit + 1} OFFSET ${offset}`);
    const [{ n }] = (await rowsOf(db.kysely, sql<{ n: number }>`SELECT count(*)::int AS n FROM risk_declarations d ${LATEST_SCORE} WHERE ${cond}`)) as [{ n: number }];
    return { items: rows.slice(0, q.limit).map((r) => declView(r, rec.mapping)), nextCursor: rows.length > q.limit ? String(offset + q.limit) : null, total: n };
  }

  async function getDeclaration(p: Principal, id: string): Promise<RiskDeclarationView> {
    await access.require(p, RISK_READ_ROLES);
    // Out of the caller's offices reads as not found: the same answer as an id that does not exist.
    const [row] = await rowsOf(db.kysely, sql<DeclRow>`SELECT ${DECL_SELECT} FROM risk_declarations d ${LATEST_SCORE} WHERE d.id = ${id} AND ${scopeSql(await offices.scopeOf(p))}`);
    if (!row) throw notFound('Declaration');
    return declView(row, (await mappingById(row.mapping_id)).mapping);
  }

  // ---------- outcomes ----------

  async function recordOutcome(p: Principal, declarationId: string, body: Z<typeof RiskOutcomeBody>, requestId?: string): Promise<RiskOutcomeView> {
    await access.require(p, RISK_OUTCOME_ROLES);
    const scope = await offices.scopeOf(p);
    return db.kysely.transaction().execute(async (trx) => {
      const [d] = await rowsOf(trx, sql<{ id: string }>`SELECT d.id FROM risk_declarations d WHERE d.id = ${declarationId} AND ${scopeSql(scope)}`);
      if (!d) throw notFound('Declaration');
      const [cur] = await rowsOf(trx, sql<{ version: number }>`SELECT version FROM risk_outcomes WHERE declaration_id = ${declarationId} FOR UPDATE`);
      if (cur) {
        if (body.version === undefined) throw new AppError('CONFLICT', 'version: this declaration already has an outcome; send its version to correct it', [{ field: 'version', reason: 'required', message: 'send the outcome\'s version to correct it' }]);
        if (body.version !== cur.version) throw staleVersion('The outcome');
        await sql`UPDATE risk_outcomes SET found = ${body.found}, violation_type = ${body.violationType}, revenue_vnd = ${body.revenueVnd}, inspected_on = ${body.inspectedOn},
          note = ${body.note}, recorded_by = ${p.userId}, version = version + 1, updated_at = ${clock.now()} WHERE declaration_id = ${declarationId}`.execute(trx);
      } else {
        await sql`INSERT INTO risk_outcomes (declaration_id, found, violation_type, revenue_vnd, inspected_on, note, recorded_by, created_at, updated_at)
          VALUES (${declarationId}, ${body.found}, ${body.violationType}, ${body.revenueVnd}, ${body.inspectedOn}, ${body.note}, ${p.userId}, ${clock.now()}, ${clock.now()})`.execute(trx);
      }
      await audit.record({ action: cur ? 'risk.outcome.correct' : 'risk.outcome.record', actor: actorOf(p), entityType: 'risk_declaration', entityId: declarationId, detail: { found: body.found, violationType: body.violationType, revenueVnd: body.revenueVnd }, requestId }, trx);
      const [o] = await rowsOf(trx, sql<DeclRow>`SELECT o.found AS o_found, o.violation_type AS o_violation_type, o.revenue_vnd AS o_revenue_vnd, o.inspected_on AS o_inspected_on,
        o.note AS o_note, o.version AS o_version, o.updated_at AS o_updated_at FROM risk_outcomes o WHERE o.declaration_id = ${declarationId}`);
      return outcomeView(o!)!;
    });
  }

  /** Many outcomes by declaration id (a correction replaces the earlier outcome). */
  async function recordOutcomes(p: Principal, body: Z<typeof RiskBulkOutcomesBody>, requestId?: string) {
    await access.require(p, RISK_OUTCOME_ROLES);
    const rec = await mappingById(body.mappingId);
    const scope = await offices.scopeOf(p);
    return db.kysely.transaction().execute(async (trx) => {
      const refs = body.outcomes.map((o) => o.ref);
      // A declaration of an office outside the caller's units is reported like an unknown id.
      const known = new Map(
        (await rowsOf(trx, sql<{ id: string; ref: string }>`SELECT d.id, d.ref FROM risk_declarations d WHERE d.mapping_id = ${rec.id} AND d.ref IN (SELECT jsonb_array_elements_text(${JSON.stringify(refs)}::jsonb)) AND ${scopeSql(scope)}`)).map((r) => [r.ref, r.id]),
      );
      const problems: CaseImportProblem[] = [];
      const seen = new Map<string, number>();
      const ok: { id: string; o: (typeof body.outcomes)[number] }[] = [];
      body.outcomes.forEach((o, i) => {
        const line = i + 1;
        const id = known.get(o.ref);
        if (seen.has(o.ref)) problems.push({ line, field: 'ref', reason: 'not_unique', message: `repeats the declaration id "${o.ref}" of line ${seen.get(o.ref)}` });
        else if (!id) problems.push({ line, field: 'ref', reason: 'not_found', message: `no declaration "${o.ref}" under the mapping "${rec.name}"` });
        else ok.push({ id, o });
        seen.set(o.ref, seen.get(o.ref) ?? line);
      });
      if (body.mode === 'all_or_nothing' && problems.length) return { recorded: 0, rejected: problems.length, problems };
      if (ok.length) {
        const payload = ok.map(({ id, o }) => ({ id, found: o.found, vt: o.violationType, rev: o.revenueVnd, day: o.inspectedOn, note: o.note }));
        await sql`INSERT INTO risk_outcomes (declaration_id, found, violation_type, revenue_vnd, inspected_on, note, recorded_by, created_at, updated_at)
          SELECT x.id, x.found, x.vt, x.rev, x.day, x.note, ${p.userId}, ${clock.now()}, ${clock.now()}
          FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(id uuid, found boolean, vt text, rev bigint, day date, note text)
          ON CONFLICT (declaration_id) DO UPDATE SET found = excluded.found, violation_type = excluded.violation_type, revenue_vnd = excluded.revenue_vnd,
            inspected_on = excluded.inspected_on, note = excluded.note, recorded_by = excluded.recorded_by, version = risk_outcomes.version + 1, updated_at = excluded.updated_at`.execute(trx);
        await audit.record({ action: 'risk.outcome.bulk', actor: actorOf(p), entityType: 'risk_mapping', entityId: rec.id, detail: { recorded: ok.length, found: ok.filter((x) => x.o.found).length, rejected: problems.length }, requestId }, trx);
      }
      return { recorded: ok.length, rejected: problems.length, problems };
    });
  }

  // ---------- models and training ----------

  interface ModelRow {
    id: string;
    mapping_id: string;
    seq: number;
    status: 'candidate' | 'active' | 'retired';
    params: unknown;
    train_from: string | null;
    train_to: string | null;
    train_rows: number;
    train_positives: number;
    valid_from: string | null;
    valid_to: string | null;
    valid_rows: number;
    valid_positives: number;
    trees: number;
    metrics: unknown;
    trained_by_name: string | null;
    promoted_by_name: string | null;
    promoted_at: Date | null;
    retired_at: Date | null;
    version: number;
    created_at: Date;
  }
  const MODEL_SELECT = sql`m.id, m.mapping_id, m.seq, m.status, m.params, m.train_from, m.train_to, m.train_rows, m.train_positives, m.valid_from, m.valid_to,
    m.valid_rows, m.valid_positives, m.trees, m.metrics, tu.username AS trained_by_name, pu.username AS promoted_by_name, m.promoted_at, m.retired_at, m.version, m.created_at
    FROM risk_models m LEFT JOIN users tu ON tu.id = m.trained_by LEFT JOIN users pu ON pu.id = m.promoted_by`;
  const modelView = (r: ModelRow): RiskModelView => ({
    id: r.id, mappingId: r.mapping_id, seq: r.seq, status: r.status, trainFrom: r.train_from, trainTo: r.train_to, trainRows: r.train_rows, trainPositives: r.train_positives,
    validFrom: r.valid_from, validTo: r.valid_to, validRows: r.valid_rows, validPositives: r.valid_positives, trees: r.trees, params: json(r.params), metrics: json(r.metrics) ?? null,
    trainedBy: r.trained_by_name, promotedBy: r.promoted_by_name, promotedAt: iso(r.promoted_at), retiredAt: iso(r.retired_at), version: r.version, createdAt: iso(r.created_at)!,
  });
  interface JobRow {
    id: string;
    mapping_id: string;
    status: RiskTrainJobView['status'];
    model_id: string | null;
    error: string | null;
    created_at: Date;
    started_at: Date | null;
    finished_at: Date | null;
  }
  const jobView = (r: JobRow): RiskTrainJobView => ({
    id: r.id, mappingId: r.mapping_id, status: r.status, modelId: r.model_id, error: r.error, createdAt: iso(r.created_at)!, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
  });

  async function listModels(p: Principal, mappingId: string) {
    await access.require(p, RISK_READ_ROLES);
    await mappingById(mappingId);
    const items = (await rowsOf(db.kysely, sql<ModelRow>`SELECT ${MODEL_SELECT} WHERE m.mapping_id = ${mappingId} ORDER BY m.seq DESC`)).map(modelView);
    const jobs = (await rowsOf(db.kysely, sql<JobRow>`SELECT * FROM risk_train_jobs WHERE mapping_id = ${mappingId} ORDER BY created_at DESC LIMIT 20`)).map(jobView);
    return { items, jobs };
  }

  async function getJob(p: Principal, id: string): Promise<RiskTrainJobView> {
    await access.require(p, RISK_READ_ROLES);
    const [row] = await rowsOf(db.kysely, sql<JobRow>`SELECT * FROM risk_train_jobs WHERE id = ${id}`);
    if (!row) throw notFound('Training job');
    return jobView(row);
  }

  /** Declarations with outcomes under a mapping, in time order (import order without dates). */
  async function labelledDeclarations(mappingId: string): Promise<Declaration[]> {
    const rows = await rowsOf(db.kysely, sql<{ ref: string; day: string | null; office: string; cat: string[]; num: (number | null)[]; found: boolean; revenue_vnd: number }>`
      SELECT d.ref, d.declared_on::text AS day, d.office, to_jsonb(d.cat) AS cat, to_jsonb(d.num) AS num, o.found, o.revenue_vnd
      FROM risk_declarations d JOIN risk_outcomes o ON o.declaration_id = d.id
      WHERE d.mapping_id = ${mappingId} ORDER BY d.declared_on NULLS LAST, d.seq`);
    return rows.map((r, i) => ({
      line: i + 1, id: r.ref, time: dayTime(r.day, i), day: r.day ?? '', office: r.office, label: r.found ? 1 : 0, revenue: r.revenue_vnd,
      cat: json<string[]>(r.cat), num: json<(number | null)[]>(r.num).map((x) => (x === null ? NaN : Number(x))),
    }));
  }

  function runTrainer(input: TrainInput): Promise<TrainOutput> {
    if (trainIn === 'process') return Promise.resolve().then(() => trainWithReference(input));
    return new Promise((resolve, reject) => {
      // The worker registers tsx itself and loads the same TypeScript sources (risk-train.worker.mjs).
      const w = new Worker(new URL('./risk-train.worker.mjs', import.meta.url), { workerData: input });
      let settled = false;
      w.once('message', (m: { ok: true; result: TrainOutput } | { ok: false; error: string }) => {
        settled = true;
        if (m.ok) resolve(m.result);
        else reject(new Error(m.error));
        void w.terminate();
      });
      w.once('error', (e) => {
        if (!settled) reject(e);
      });
      w.once('exit', (code) => {
        if (!settled) reject(new Error(`the training worker stopped (exit code ${code})`));
      });
    });
  }

  /** Runs one queued job to its end: the model becomes a candidate, or the job records why it failed. */
  async function runJob(jobId: string, actor: Principal | null): Promise<RiskTrainJobView> {
    const [job] = await rowsOf(db.kysely, sql<JobRow & { params: unknown }>`UPDATE risk_train_jobs SET status = 'running', started_at = ${clock.now()} WHERE id = ${jobId} AND status = 'queued' RETURNING *`);
    if (!job) throw notFound('Queued training job');
    const body = json<RiskTrainBody>(job.params);
    try {
      const rec = await mappingById(job.mapping_id);
      const { train, valid } = splitWindows(await labelledDeclarations(rec.id), body);
      const pos = train.reduce((s, d) => s + (d.label ?? 0), 0);
      if (train.length < 50 || pos === 0 || pos === train.length)
        throw new Error(`the training window has ${train.length} declarations with outcomes (${pos} found): at least 50 are needed, some found and some not`);
      const out = await runTrainer({ train, valid, columns: { categorical: rec.mapping.categorical, numeric: rec.mapping.numeric }, params: body.params ?? {} });
      const modelId = randomUUID();
      await db.kysely.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(3890612)`.execute(trx); // one seq per mapping at a time
        const [{ next }] = (await rowsOf(trx, sql<{ next: number }>`SELECT coalesce(max(seq), 0) + 1 AS next FROM risk_models WHERE mapping_id = ${rec.id}`)) as [{ next: number }];
        const metrics = out.validation ? JSON.parse(JSON.stringify(out.validation, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) : null;
        await sql`INSERT INTO risk_models (id, mapping_id, seq, params, train_from, train_to, train_rows, train_positives, valid_from, valid_to, valid_rows, valid_positives,
            trees, metrics, reference, model, trained_by, created_at)
          VALUES (${modelId}, ${rec.id}, ${next}, ${JSON.stringify(out.params)}::jsonb, ${out.train.from || null}, ${out.train.to || null}, ${out.train.rows}, ${out.train.positives},
            ${out.valid?.from || null}, ${out.valid?.to || null}, ${out.valid?.rows ?? 0}, ${out.valid?.positives ?? 0}, ${out.trees}, ${metrics === null ? null : JSON.stringify(metrics)}::jsonb,
            ${JSON.stringify(out.reference)}::jsonb, ${out.modelJson}, ${actor?.userId ?? null}, ${clock.now()})`.execute(trx);
        await sql`UPDATE risk_train_jobs SET status = 'succeeded', model_id = ${modelId}, finished_at = ${clock.now()} WHERE id = ${jobId}`.execute(trx);
        await audit.record({ action: 'risk.model.train', actor: actor ? actorOf(actor) : null, entityType: 'risk_model', entityId: modelId, detail: { jobId, mappingId: rec.id, seq: next, train: out.train, valid: out.valid, trees: out.trees }, requestId: undefined }, trx);
      });
    } catch (e) {
      await db.kysely.transaction().execute(async (trx) => {
        await sql`UPDATE risk_train_jobs SET status = 'failed', error = ${(e as Error).message}, finished_at = ${clock.now()} WHERE id = ${jobId}`.execute(trx);
        await audit.record({ action: 'risk.model.train', outcome: 'failure', actor: actor ? actorOf(actor) : null, entityType: 'risk_train_job', entityId: jobId, detail: { error: (e as Error).message } }, trx);
      });
    }
    const [done] = await rowsOf(db.kysely, sql<JobRow>`SELECT * FROM risk_train_jobs WHERE id = ${jobId}`);
    return jobView(done!);
  }

  const running = new Set<Promise<unknown>>();

  /**
   * Queues a training job and starts it after the response: the caller polls GET /api/risk/jobs/:id.
   * `wait` (the CLI) runs it to the end before returning.
   */
  async function startTraining(p: Principal, body: RiskTrainBody, opts: { wait?: boolean; requestId?: string } = {}): Promise<RiskTrainJobView> {
    await access.require(p, RISK_MANAGE_ROLES);
    const trainOn = await mappingById(body.mappingId);
    // Hand-picked derived features name the mapping's columns: a wrong name is a 400 now, not a failed job later.
    for (const [key, kind] of [['pairs', 'categorical'], ['ratios', 'numeric']] as const) {
      const list = body.params?.[key];
      if (Array.isArray(list)) list.forEach((pair, i) => pair.forEach((c, j) => {
        if (!trainOn.mapping[kind].includes(c)) throw invalidField(`params.${key}.${i}.${j}`, 'invalid_value', `"${c}" is not a ${kind} column of the mapping`);
      }));
    }
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      await sql`INSERT INTO risk_train_jobs (id, mapping_id, params, requested_by, created_at) VALUES (${id}, ${body.mappingId}, ${JSON.stringify(body)}::jsonb, ${p.userId}, ${clock.now()})`.execute(trx);
      await audit.record({ action: 'risk.train.request', actor: actorOf(p), entityType: 'risk_train_job', entityId: id, detail: { ...body }, requestId: opts.requestId }, trx);
    });
    if (opts.wait) return runJob(id, p);
    const run = runJob(id, p).catch(() => undefined);
    running.add(run);
    void run.finally(() => running.delete(run));
    return getJob(p, id);
  }

  /**
   * Waits for every training and scoring request started by this process (tests, shutdown, the
   * bench before it drops its schema): a request whose client went away still writes its scores.
   */
  const idle = async () => {
    while (running.size) await Promise.all([...running]);
  };
  /** Runs f counted in `running` (see idle). */
  function tracked<T>(f: () => Promise<T>): Promise<T> {
    const run = f();
    const settled = run.then(() => undefined, () => undefined);
    running.add(settled);
    void settled.finally(() => running.delete(settled));
    return run;
  }

  async function changeModelStatus(p: Principal, id: string, version: number, to: 'active' | 'retired', requestId?: string): Promise<RiskModelView> {
    await access.require(p, RISK_MANAGE_ROLES);
    await db.kysely.transaction().execute(async (trx) => {
      const [m] = await rowsOf(trx, sql<{ mapping_id: string; status: string; version: number; seq: number }>`SELECT mapping_id, status, version, seq FROM risk_models WHERE id = ${id} FOR UPDATE`);
      if (!m) throw notFound('Model');
      if (m.version !== version) throw staleVersion('The model');
      if (m.status === to) throw new AppError('CONFLICT', `The model is already ${to}`);
      let replaced: string | null = null;
      if (to === 'active') {
        const [cur] = await rowsOf(trx, sql<{ id: string }>`UPDATE risk_models SET status = 'retired', retired_at = ${clock.now()}, version = version + 1
          WHERE mapping_id = ${m.mapping_id} AND status = 'active' RETURNING id`);
        replaced = cur?.id ?? null;
        await sql`UPDATE risk_models SET status = 'active', promoted_by = ${p.userId}, promoted_at = ${clock.now()}, retired_at = NULL, version = version + 1 WHERE id = ${id}`.execute(trx);
      } else {
        await sql`UPDATE risk_models SET status = 'retired', retired_at = ${clock.now()}, version = version + 1 WHERE id = ${id}`.execute(trx);
      }
      await audit.record({ action: to === 'active' ? 'risk.model.promote' : 'risk.model.retire', actor: actorOf(p), entityType: 'risk_model', entityId: id, detail: { mappingId: m.mapping_id, seq: m.seq, from: m.status, replaced }, requestId }, trx);
      return m.mapping_id;
    }).then((mappingId) => {
      // After the commit: a request reading in between would otherwise cache the old model again.
      activeByMapping.delete(mappingId);
    });
    const [row] = await rowsOf(db.kysely, sql<ModelRow>`SELECT ${MODEL_SELECT} WHERE m.id = ${id}`);
    return modelView(row!);
  }

  async function modelById(id: string): Promise<ModelRec> {
    const hit = models.get(id);
    if (hit) return hit;
    // A model's trees and history never change once trained: cached for the life of the process.
    const [row] = await rowsOf(db.kysely, sql<{ id: string; seq: number; mapping_id: string; model: string; reference: unknown }>`SELECT id, seq, mapping_id, model, reference FROM risk_models WHERE id = ${id}`);
    if (!row) throw notFound('Model');
    const rec = { id: row.id, seq: row.seq, mappingId: row.mapping_id, model: loadModel(row.model), reference: json<ScoreReference>(row.reference) };
    models.set(id, rec);
    return rec;
  }

  /** The mapping's active model, decoded once and kept (see RISK_CACHE_MS); scoring asks for it on every request. */
  async function activeModel(mappingId: string): Promise<ModelRec> {
    const hit = activeByMapping.get(mappingId);
    if (hit && Date.now() - hit.at < RISK_CACHE_MS) return hit.rec;
    const [row] = await rowsOf(db.kysely, sql<{ id: string }>`SELECT id FROM risk_models WHERE mapping_id = ${mappingId} AND status = 'active'`);
    if (!row) {
      activeByMapping.delete(mappingId);
      throw new AppError('CONFLICT', 'No active model for this mapping: train one and promote it');
    }
    const rec = await modelById(row.id);
    activeByMapping.set(mappingId, { rec, at: Date.now() });
    return rec;
  }

  // ---------- rules ----------

  const ruleOf = (r: Pick<RuleRow, 'code' | 'conditions' | 'channel' | 'weight' | 'mode' | 'valid_from' | 'valid_to'>): SelectivityRule => ({
    id: r.code,
    // A weight rule never forces a channel: the engine sees it as a shadow rule; its weight is added here.
    channel: r.channel ?? 'green',
    when: json(r.conditions),
    mode: r.channel && r.mode === 'active' ? 'active' : 'shadow',
    ...(r.valid_from ? { validFrom: r.valid_from } : {}),
    ...(r.valid_to ? { validTo: r.valid_to } : {}),
  });

  function checkRule(rec: MappingRec, r: Parameters<typeof ruleOf>[0]) {
    if ((r.channel === null) === (r.weight === null)) throw invalidField('channel', 'invalid_value', 'give either a channel to force or a weight to add, not both and not neither');
    if (r.valid_from && r.valid_to && r.valid_from > r.valid_to) throw invalidField('validTo', 'too_small', 'is before validFrom');
    try {
      compileRules([ruleOf(r)], rec.mapping);
    } catch (e) {
      throw invalidField('conditions', 'invalid_value', (e as Error).message.replace(/^rule [^:]*: /, ''));
    }
  }

  const RULE_COLS = sql`id, mapping_id, code, description, conditions, channel, weight, mode, valid_from::text AS valid_from, valid_to::text AS valid_to, version, updated_at`;

  /** The mapping's rules that are not retired, compiled once and kept (see RISK_CACHE_MS). */
  async function scoringRules(rec: MappingRec): Promise<MappingRules> {
    const hit = rulesByMapping.get(rec.id);
    if (hit && Date.now() - hit.at < RISK_CACHE_MS) return hit.rules;
    const rows = await rowsOf(db.kysely, sql<RuleRow>`SELECT ${RULE_COLS} FROM risk_rules WHERE mapping_id = ${rec.id} AND mode <> 'retired' ORDER BY code`);
    const rules = { byCode: new Map(rows.map((r) => [r.code, r])), compiled: compileRules(rows.map(ruleOf), rec.mapping) };
    rulesByMapping.set(rec.id, { rules, at: Date.now() });
    return rules;
  }

  async function ruleStats(mappingId: string, scope: RiskScope): Promise<Map<string, RiskRuleView['stats']>> {
    const rows = await rowsOf(db.kysely, sql<{ code: string; fired: number; inspected: number; found: number }>`
      WITH latest AS (
        SELECT DISTINCT ON (s.declaration_id) s.declaration_id, s.reasons FROM risk_scores s JOIN risk_declarations d ON d.id = s.declaration_id
        WHERE d.mapping_id = ${mappingId} AND ${scopeSql(scope)} ORDER BY s.declaration_id, s.scored_at DESC, s.id DESC
      ), fired AS (
        SELECT l.declaration_id, x.code FROM latest l, jsonb_array_elements_text((l.reasons -> 'rules') || (l.reasons -> 'shadowRules')) AS x(code)
      )
      SELECT f.code, count(*)::int AS fired, count(o.declaration_id)::int AS inspected, (count(*) FILTER (WHERE o.found))::int AS found
      FROM fired f LEFT JOIN risk_outcomes o ON o.declaration_id = f.declaration_id GROUP BY f.code`);
    return new Map(rows.map((r) => [r.code, { fired: r.fired, inspected: r.inspected, found: r.found, hitRate: r.inspected ? r.found / r.inspected : null }]));
  }

  const ruleView = (r: RuleRow, stats?: RiskRuleView['stats']): RiskRuleView => ({
    id: r.id, mappingId: r.mapping_id, code: r.code, description: r.description, conditions: json(r.conditions), channel: r.channel, weight: r.weight, mode: r.mode,
    validFrom: r.valid_from, validTo: r.valid_to, version: r.version, updatedAt: iso(r.updated_at)!, stats: stats ?? { fired: 0, inspected: 0, found: 0, hitRate: null },
  });

  async function listRules(p: Principal, mappingId: string) {
    await access.require(p, RISK_READ_ROLES);
    await mappingById(mappingId);
    const rows = await rowsOf(db.kysely, sql<RuleRow>`SELECT ${RULE_COLS} FROM risk_rules WHERE mapping_id = ${mappingId} ORDER BY (mode = 'retired'), code`);
    const stats = await ruleStats(mappingId, await offices.scopeOf(p));
    return { items: rows.map((r) => ruleView(r, stats.get(r.code))) };
  }

  /**
   * A draft rule tried on the declarations already stored (the latest RISK_BACKTEST_MAX the user may
   * read): how many it selects, and its hit rate among those with an outcome against everyone's. A new
   * rule's own stats count only declarations scored after it exists; this answers "what would it have
   * selected" at once, before saving or activating it.
   */
  async function backtestRule(p: Principal, body: RiskRuleBacktestBody): Promise<RiskRuleBacktest> {
    await access.require(p, RISK_READ_ROLES);
    const rec = await mappingById(body.mappingId);
    let test: (d: Declaration) => boolean;
    try {
      const draft: SelectivityRule = { id: 'draft', channel: 'red', when: body.conditions, mode: 'shadow', ...(body.validFrom ? { validFrom: body.validFrom } : {}), ...(body.validTo ? { validTo: body.validTo } : {}) };
      test = compileRules([draft], rec.mapping)[0]!.test;
    } catch (e) {
      throw invalidField('conditions', 'invalid_value', (e as Error).message.replace(/^rule [^:]*: /, ''));
    }
    const rows = await rowsOf(db.kysely, sql<{ day: string | null; cat: string[]; num: (number | null)[]; found: boolean | null }>`
      SELECT d.declared_on::text AS day, to_jsonb(d.cat) AS cat, to_jsonb(d.num) AS num, o.found
      FROM risk_declarations d LEFT JOIN risk_outcomes o ON o.declaration_id = d.id
      WHERE d.mapping_id = ${rec.id} AND ${scopeSql(await offices.scopeOf(p))}
      ORDER BY d.declared_on DESC NULLS LAST, d.seq DESC LIMIT ${RISK_BACKTEST_MAX}`);
    let matched = 0, inspected = 0, found = 0, allInspected = 0, allFound = 0;
    let from: string | null = null, to: string | null = null;
    for (const r of rows) {
      if (r.day) {
        if (to === null || r.day > to) to = r.day;
        if (from === null || r.day < from) from = r.day;
      }
      if (r.found !== null) {
        allInspected++;
        if (r.found) allFound++;
      }
      const d = { day: r.day ?? '', cat: json<string[]>(r.cat), num: json<(number | null)[]>(r.num).map((x) => (x === null ? NaN : Number(x))) } as Declaration;
      if (!test(d)) continue;
      matched++;
      if (r.found !== null) {
        inspected++;
        if (r.found) found++;
      }
    }
    return { considered: rows.length, from, to, matched, inspected, found, hitRate: inspected ? found / inspected : null, baseHitRate: allInspected ? allFound / allInspected : null };
  }

  async function ruleById(ex: Ex, id: string, lock = false): Promise<RuleRow> {
    const [row] = await rowsOf(ex, lock ? sql<RuleRow>`SELECT ${RULE_COLS} FROM risk_rules WHERE id = ${id} FOR UPDATE` : sql<RuleRow>`SELECT ${RULE_COLS} FROM risk_rules WHERE id = ${id}`);
    if (!row) throw notFound('Rule');
    return row;
  }

  async function createRule(p: Principal, body: CreateRiskRuleBody, requestId?: string): Promise<RiskRuleView> {
    await access.require(p, RISK_MANAGE_ROLES);
    const rec = await mappingById(body.mappingId);
    const r = { code: body.code, conditions: body.conditions, channel: body.channel, weight: body.weight, mode: body.mode, valid_from: body.validFrom, valid_to: body.validTo };
    checkRule(rec, r);
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      const [dup] = await rowsOf(trx, sql<{ id: string }>`SELECT id FROM risk_rules WHERE mapping_id = ${rec.id} AND code = ${body.code}`);
      if (dup) throw new AppError('CONFLICT', `code: a rule "${body.code}" exists under this mapping`, [{ field: 'code', reason: 'not_unique', message: 'a rule with this code exists' }]);
      await sql`INSERT INTO risk_rules (id, mapping_id, code, description, conditions, channel, weight, mode, valid_from, valid_to, created_by, updated_by, created_at, updated_at)
        VALUES (${id}, ${rec.id}, ${body.code}, ${body.description}, ${JSON.stringify(body.conditions)}::jsonb, ${body.channel}, ${body.weight}, ${body.mode}, ${body.validFrom}, ${body.validTo},
          ${p.userId}, ${p.userId}, ${clock.now()}, ${clock.now()})`.execute(trx);
      await audit.record({ action: 'risk.rule.create', actor: actorOf(p), entityType: 'risk_rule', entityId: id, detail: { ...body }, requestId }, trx);
    });
    rulesByMapping.delete(rec.id);
    return ruleView(await ruleById(db.kysely, id));
  }

  async function updateRule(p: Principal, id: string, body: UpdateRiskRuleBody, requestId?: string): Promise<RiskRuleView> {
    await access.require(p, RISK_MANAGE_ROLES);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await ruleById(trx, id, true);
      if (cur.version !== body.version) throw staleVersion('The rule');
      const next = {
        code: cur.code,
        conditions: body.conditions ?? json(cur.conditions),
        channel: body.channel !== undefined ? body.channel : cur.channel,
        weight: body.weight !== undefined ? body.weight : cur.weight,
        mode: body.mode ?? cur.mode,
        valid_from: body.validFrom !== undefined ? body.validFrom : cur.valid_from,
        valid_to: body.validTo !== undefined ? body.validTo : cur.valid_to,
      };
      // Switching between a channel and a weight sends one and nulls the other.
      if (body.channel && body.weight === undefined) next.weight = null;
      if (body.weight !== undefined && body.weight !== null && body.channel === undefined) next.channel = null;
      checkRule(await mappingById(cur.mapping_id, trx), next);
      await sql`UPDATE risk_rules SET description = ${body.description ?? cur.description}, conditions = ${JSON.stringify(next.conditions)}::jsonb, channel = ${next.channel}, weight = ${next.weight},
        mode = ${next.mode}, valid_from = ${next.valid_from}, valid_to = ${next.valid_to}, updated_by = ${p.userId}, version = version + 1, updated_at = ${clock.now()} WHERE id = ${id}`.execute(trx);
      const { version: _v, ...changes } = body;
      await audit.record({ action: 'risk.rule.update', actor: actorOf(p), entityType: 'risk_rule', entityId: id, detail: { code: cur.code, changes, from: { mode: cur.mode, channel: cur.channel, weight: cur.weight } }, requestId }, trx);
      return cur.mapping_id;
    }).then((mappingId) => rulesByMapping.delete(mappingId)); // after the commit, as for models
    const row = await ruleById(db.kysely, id);
    return ruleView(row, (await ruleStats(row.mapping_id, await offices.scopeOf(p))).get(row.code));
  }

  // ---------- scoring ----------

  /** Inline rows → declarations through the mapping; every bad cell is reported as rows.<index>.<column>. */
  function rowsToDeclarations(m: RiskMapping, rows: Record<string, string | number | null>[]) {
    const header = mappedColumns(m).filter((c) => c !== m.label && c !== m.revenue);
    const lines = rows.map((r, i) => ({ line: i + 1, values: header.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))) }));
    let decls: Declaration[];
    try {
      decls = readDeclarations(m, header, lines);
    } catch (e) {
      if (!(e instanceof RiskInputError)) throw e;
      const issues = e.issues.map((i) => ({ field: `rows.${(i.line ?? 1) - 1}.${i.column ?? ''}`, reason: problemOf(i, 0).reason, message: i.message }));
      throw new AppError('INVALID_INPUT', issues.slice(0, 5).map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    }
    const seen = new Map<string, number>();
    decls.forEach((d, i) => {
      if (seen.has(d.id)) throw invalidField(`rows.${i}.${m.id}`, 'not_unique', `repeats the declaration id "${d.id}" of rows.${seen.get(d.id)}`);
      seen.set(d.id, i);
    });
    const fields = lines.map((l) => Object.fromEntries(header.map((c, j) => [c, l.values[j]!.trim()])));
    return { decls, fields };
  }

  async function storedDeclarations(mappingId: string, by: { refs: string[] } | { pending: true }): Promise<{ decls: Declaration[]; ids: string[] }> {
    const rows = await rowsOf(db.kysely, 'refs' in by
      ? sql<{ id: string; ref: string; day: string | null; office: string; cat: string[]; num: (number | null)[] }>`
        SELECT d.id, d.ref, d.declared_on::text AS day, d.office, to_jsonb(d.cat) AS cat, to_jsonb(d.num) AS num FROM risk_declarations d
        WHERE d.mapping_id = ${mappingId} AND d.ref IN (SELECT jsonb_array_elements_text(${JSON.stringify(by.refs)}::jsonb)) ORDER BY d.seq`
      : sql<{ id: string; ref: string; day: string | null; office: string; cat: string[]; num: (number | null)[] }>`
        SELECT d.id, d.ref, d.declared_on::text AS day, d.office, to_jsonb(d.cat) AS cat, to_jsonb(d.num) AS num FROM risk_declarations d
        WHERE d.mapping_id = ${mappingId} AND NOT EXISTS (SELECT 1 FROM risk_scores s WHERE s.declaration_id = d.id) ORDER BY d.seq LIMIT ${RISK_PENDING_MAX}`);
    if ('refs' in by) {
      const found = new Set(rows.map((r) => r.ref));
      const missing = by.refs.map((r, i) => [r, i] as const).filter(([r]) => !found.has(r));
      if (missing.length) throw new AppError('INVALID_INPUT', `refs: ${missing.length} unknown declaration id(s), e.g. "${missing[0]![0]}"`, missing.slice(0, 100).map(([r, i]) => ({ field: `refs.${i}`, reason: 'not_found', message: `no declaration "${r}"` })));
    }
    return {
      ids: rows.map((r) => r.id),
      decls: rows.map((r, i) => ({
        line: i + 1, id: r.ref, time: dayTime(r.day, i), day: r.day ?? '', office: r.office, revenue: 0,
        cat: json<string[]>(r.cat), num: json<(number | null)[]>(r.num).map((x) => (x === null ? NaN : Number(x))),
      })),
    };
  }

  async function score(p: Principal, body: RiskScoreBody, requestId?: string): Promise<RiskScoreResponse> {
    await access.require(p, RISK_MANAGE_ROLES);
    const given = [body.rows, body.refs, body.pending].filter((x) => x !== undefined && x !== false).length;
    if (given !== 1) throw invalidField('rows', 'required', 'send exactly one of rows, refs or pending: true');
    if (body.randomShare > body.redShare) throw invalidField('randomShare', 'too_big', 'is part of the red budget and cannot exceed redShare');
    const rec = await mappingById(body.mappingId);
    const m = rec.mapping;
    if (body.allocate === 'office-day' && !m.office) throw invalidField('allocate', 'invalid_value', 'office-day needs an office column in the mapping');
    const active = await activeModel(rec.id);

    let decls: Declaration[];
    let fields: Record<string, string>[] | undefined;
    let ids: string[] | undefined;
    if (body.rows) ({ decls, fields } = rowsToDeclarations(m, body.rows));
    else ({ decls, ids } = await storedDeclarations(rec.id, body.refs ? { refs: body.refs } : { pending: true }));
    await offices.checkScoring(p, rec.id, m.office, body, decls); // below the Customs root: only declarations of the caller's offices
    const n = decls.length;
    if (n === 0) return { modelId: active.id, modelSeq: active.seq, batches: 0, counts: { red: 0, yellow: 0, green: 0, random: 0 }, overBudget: { red: 0, yellow: 0 }, results: [] };

    const { byCode, compiled } = await scoringRules(rec);

    const e = explain(active.model, decls);
    const raw = Float64Array.from(e.raw);
    const hits = decls.map((d) => applyRules(compiled, d));
    const reasons: RiskReasons[] = hits.map((h, i) => {
      const fired: string[] = [];
      const shadow: string[] = [];
      for (const code of h.hits) {
        const r = byCode.get(code)!;
        if (r.mode === 'active') {
          fired.push(code);
          if (r.weight !== null) raw[i] = raw[i]! + r.weight;
        } else shadow.push(code);
      }
      return { features: [], rules: fired, shadowRules: shadow, forcedBy: h.forcedBy ?? null };
    });
    const scores = Array.from(raw, probability);

    const channel: Channel[] = new Array(n);
    const why: ('rule' | 'random' | 'risk' | 'default')[] = new Array(n);
    const batchOf: string[] = new Array(n);
    const counts = { red: 0, yellow: 0, green: 0, random: 0 };
    const overBudget = { red: 0, yellow: 0 };
    let batches = 0;
    const seed = body.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (body.allocate === 'threshold') {
      // One by one against the cut-offs of the model's reference window: the budgets hold on average
      // (the drift figure shows the red rate actually reached).
      const rand = riskRng(seed);
      const batchId = randomUUID();
      batches = 1;
      const ref = active.reference;
      for (let i = 0; i < n; i++) {
        batchOf[i] = batchId;
        const forced = hits[i]!.forced;
        if (forced) [channel[i], why[i]] = [forced, 'rule'];
        else if (rand() < body.randomShare) [channel[i], why[i]] = ['red', 'random'];
        else if (body.redShare > 0 && scores[i]! >= ref.redCut) [channel[i], why[i]] = ['red', 'risk'];
        else if (body.yellowShare > 0 && scores[i]! >= ref.yellowCut) [channel[i], why[i]] = ['yellow', 'risk'];
        else [channel[i], why[i]] = ['green', 'default'];
      }
    } else {
      const groups = new Map<string, number[]>();
      decls.forEach((d, i) => {
        const key = body.allocate === 'office-day' ? `${d.office}\u0000${d.day}` : '';
        const g = groups.get(key);
        if (g) g.push(i);
        else groups.set(key, [i]);
      });
      for (const idx of groups.values()) {
        const batchId = randomUUID();
        const a = allocateChannels(idx.map((i) => scores[i]!), idx.map((i) => hits[i]!.forced), {
          redShare: body.redShare, yellowShare: body.yellowShare, randomShare: body.randomShare, seed: (seed + batches++) >>> 0,
        });
        overBudget.red += a.overBudget.red;
        overBudget.yellow += a.overBudget.yellow;
        idx.forEach((i, k) => {
          channel[i] = a.channel[k]!;
          why[i] = a.why[k]!;
          batchOf[i] = batchId;
        });
      }
    }
    for (let i = 0; i < n; i++) {
      counts[channel[i]!]++;
      if (why[i] === 'random') counts.random++;
      reasons[i]!.features = topReasons(active.model, e, decls, i, body.reasons).map((r) => ({ column: r.column, value: r.value, contribution: Number(r.contribution.toFixed(4)) }));
      if (why[i] !== 'rule') reasons[i]!.forcedBy = null;
    }

    const write: ScoreWrite = {
      p, mappingId: rec.id, modelId: active.id, decls, fields, ids, batchOf, scores, channel, why, reasons,
      event: { modelId: active.id, modelSeq: active.seq, declarations: n, allocate: body.allocate, counts, overBudget, batches: [...new Set(batchOf)].slice(0, 50) }, requestId,
    };
    const declIds = n <= GROUP_MAX_ROWS ? await scoreWriter.write(write) : await writeAlone(write);
    const results = decls.map((d, i) => ({ ref: d.id, declarationId: declIds[i]!, score: scores[i]!, channel: channel[i]!, selectedBy: why[i]!, reasons: reasons[i]! }));
    return { modelId: active.id, modelSeq: active.seq, batches, counts, overBudget, results };
  }

  /** What one scoring request stores: its declarations (when given as rows), their scores, and its audit event. */
  interface ScoreWrite {
    p: Principal;
    mappingId: string;
    modelId: string;
    decls: Declaration[];
    fields?: Record<string, string>[];
    ids?: string[];
    batchOf: string[];
    scores: number[];
    channel: Channel[];
    why: string[];
    reasons: RiskReasons[];
    event: Record<string, unknown>;
    requestId?: string;
  }

  /**
   * Stores several scoring requests in one transaction (three statements however many requests) and
   * returns each request's declaration ids. Each request keeps its own audit event, appended to the
   * chain in this same transaction, so every stored score commits with the event that records it.
   */
  async function writeScores(trx: Ex, writes: ScoreWrite[]): Promise<string[][]> {
    const key = (mappingId: string, ref: string) => `${mappingId}\u0000${ref}`;
    // Scored rows are kept as declarations (by id: a known id keeps its first record), so outcomes can
    // be recorded against them. Declarations and scores go in one statement (one round trip): a score
    // names its declaration by id when it was given as a ref, else by (mapping, ref).
    const decls = writes.filter((w) => !w.ids).flatMap((w) => w.decls.map((d, i) => ({
      id: randomUUID(), m: w.mappingId, ref: d.id, day: d.day || null, office: d.office, cat: d.cat, num: d.num.map(finite), fields: w.fields![i]!, u: w.p.userId,
    }))).map((x, pos) => ({ ...x, pos }));
    const scores = writes.flatMap((w) => w.decls.map((d, i) => ({
      id: randomUUID(), d: w.ids?.[i] ?? null, dm: w.mappingId, ref: d.id, m: w.modelId, b: w.batchOf[i], s: w.scores[i], c: w.channel[i], w: w.why[i], r: w.reasons[i], u: w.p.userId,
    })));
    const rows = await rowsOf(trx, sql<{ id: string; mapping_id: string; ref: string }>`
      WITH x AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(decls)}::jsonb) AS x(pos int, id uuid, m uuid, ref text, day date, office text, cat text[], num double precision[], fields jsonb, u uuid)),
      ins AS (
        INSERT INTO risk_declarations (id, mapping_id, ref, declared_on, office, cat, num, fields, created_by)
        SELECT x.id, x.m, x.ref, x.day, x.office, x.cat, x.num, x.fields, x.u FROM x ORDER BY x.pos
        ON CONFLICT (mapping_id, ref) DO NOTHING
        RETURNING id, mapping_id, ref
      ),
      -- the second part reads the table as it was before this statement: the declarations already known
      known AS (
        SELECT id, mapping_id, ref FROM ins
        UNION ALL
        SELECT d.id, d.mapping_id, d.ref FROM risk_declarations d WHERE (d.mapping_id, d.ref) IN (SELECT x.m, x.ref FROM x)
      ),
      -- a declaration inserted meanwhile by another transaction is in neither part: its score gets no
      -- declaration id, the NOT NULL constraint refuses the statement and the writer retries alone
      sc AS (
        INSERT INTO risk_scores (id, declaration_id, model_id, batch_id, score, channel, selected_by, reasons, scored_by, scored_at)
        SELECT y.id, coalesce(y.d, k.id), y.m, y.b, y.s, y.c, y.w, y.r, y.u, ${clock.now()}
        FROM jsonb_to_recordset(${JSON.stringify(scores)}::jsonb) AS y(id uuid, d uuid, dm uuid, ref text, m uuid, b uuid, s double precision, c text, w text, r jsonb, u uuid)
        LEFT JOIN known k ON y.d IS NULL AND k.mapping_id = y.dm AND k.ref = y.ref
      )
      SELECT id, mapping_id, ref FROM known`);
    const known = new Map(rows.map((r) => [key(r.mapping_id, r.ref), r.id]));
    const declIds = writes.map((w) => w.ids ?? w.decls.map((d) => known.get(key(w.mappingId, d.id))!));
    // One event per request, appended together: one lock, one read of the chain's head, one insert.
    await audit.recordMany(writes.map((w) => ({ action: 'risk.score', actor: actorOf(w.p), entityType: 'risk_mapping', entityId: w.mappingId, detail: w.event, requestId: w.requestId })), trx);
    return declIds;
  }

  /**
   * A large request in its own transaction. A declaration id another transaction inserted while this
   * statement ran is not seen by it (the score gets no declaration: NOT NULL, 23502): tried once more.
   */
  async function writeAlone(w: ScoreWrite): Promise<string[]> {
    const once = () => db.kysely.transaction().execute(async (trx) => (await writeScores(trx, [w]))[0]!);
    try {
      return await once();
    } catch (e) {
      if ((e as { code?: string }).code !== '23502') throw e;
      return once();
    }
  }

  /**
   * Group commit for small scoring requests. Appending to the audit chain serialises transactions
   * (an advisory lock held to the commit), so under load one-declaration requests used to queue for
   * the lock one commit at a time. Here at most two transactions are open for them (one on PGlite);
   * the requests that arrive meanwhile wait and go together in the next one. Nothing about the chain changes: one event
   * per request, appended under the same lock, in the transaction that stores that request's scores;
   * a request is answered only after that transaction committed. If a transaction fails, each of its
   * requests is tried again alone, so one bad request cannot fail the others.
   */
  function createScoreWriter() {
    const waiting: { w: ScoreWrite; done: (ids: string[]) => void; fail: (e: unknown) => void }[] = [];
    // Two transactions at a time on PostgreSQL: the next group stores its declarations and scores while
    // the previous one appends to the audit chain and commits (it then waits for the chain's lock).
    // PGlite is one connection: a second transaction would only wait for it with a smaller group.
    const maxOpen = db.engine === 'pglite' ? 1 : 2;
    let open = 0;
    const alone = async (x: (typeof waiting)[number]) => {
      try {
        x.done((await db.kysely.transaction().execute((trx) => writeScores(trx, [x.w])))[0]!);
      } catch (e) {
        x.fail(e);
      }
    };
    async function commit(group: typeof waiting) {
      try {
        const ids = await db.kysely.transaction().execute((trx) => writeScores(trx, group.map((x) => x.w)));
        group.forEach((x, i) => x.done(ids[i]!));
      } catch {
        // One bad request must not fail the others; and a declaration another open transaction inserted
        // meanwhile (two requests scoring the same new id) is only seen by a new statement: retry alone.
        for (const x of group) await alone(x);
      }
    }
    function pump() {
      while (open < maxOpen && waiting.length) {
        open++;
        void commit(waiting.splice(0, 100)).finally(() => {
          open--;
          pump();
        });
      }
    }
    return {
      write: (w: ScoreWrite) =>
        new Promise<string[]>((done, fail) => {
          waiting.push({ w, done, fail });
          pump();
        }),
    };
  }
  const scoreWriter = createScoreWriter();

  // ---------- drift and hit rates ----------

  /** First day (yyyy-MM-dd) of each of the last `count` weeks (Monday) or months, ending with today's (Vietnam). */
  function periodStarts(period: 'week' | 'month', count: number): string[] {
    const today = new Date(`${vietnamToday(clock)}T00:00:00Z`);
    const out: string[] = [];
    for (let k = count - 1; k >= 0; k--) {
      const d = period === 'week'
        ? new Date(today.getTime() - (((today.getUTCDay() + 6) % 7) + 7 * k) * 86_400_000)
        : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - k, 1));
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  }

  /**
   * Hit rates over time: for each week or month (by declaration date; the day it was scored when the
   * mapping has no date), how many declarations were scored, inspected (have an outcome) and found, per
   * channel, per way of choosing (the random share is the unbiased one), per rule (active or shadow)
   * and per office. Counted on each declaration's latest score, read fresh: an outcome recorded a
   * moment ago counts at once.
   */
  async function hitRates(p: Principal, q: Z<typeof RiskHitRatesQuery>): Promise<RiskHitRatesView> {
    await access.require(p, RISK_READ_ROLES);
    const rec = await mappingById(q.mappingId);
    const scope = await offices.scopeOf(p);
    const periods = periodStarts(q.period, q.periods);
    const rows = await rowsOf(db.kysely, sql<{ by: RiskHitRatesView['series'][number]['by']; key: string; period: string; scored: number; inspected: number; found: number }>`
      WITH latest AS (
        SELECT DISTINCT ON (s.declaration_id) s.declaration_id, s.channel, s.selected_by, s.reasons, d.office,
          date_trunc(${q.period}, coalesce(d.declared_on, ((s.scored_at AT TIME ZONE 'UTC') + interval '7 hours')::date)::timestamp)::date::text AS period
        FROM risk_scores s JOIN risk_declarations d ON d.id = s.declaration_id
        WHERE d.mapping_id = ${rec.id} AND ${scopeSql(scope)} AND coalesce(d.declared_on, ((s.scored_at AT TIME ZONE 'UTC') + interval '7 hours')::date) >= ${periods[0]}::date
        ORDER BY s.declaration_id, s.scored_at DESC, s.id DESC
      ), f AS (
        SELECT l.*, o.declaration_id IS NOT NULL AS inspected, coalesce(o.found, false) AS found FROM latest l LEFT JOIN risk_outcomes o ON o.declaration_id = l.declaration_id
      )
      SELECT 'channel' AS by, channel AS key, period, count(*)::int AS scored, (count(*) FILTER (WHERE inspected))::int AS inspected, (count(*) FILTER (WHERE found))::int AS found FROM f GROUP BY channel, period
      UNION ALL
      SELECT 'selection', selected_by, period, count(*)::int, (count(*) FILTER (WHERE inspected))::int, (count(*) FILTER (WHERE found))::int FROM f GROUP BY selected_by, period
      UNION ALL
      SELECT 'office', office, period, count(*)::int, (count(*) FILTER (WHERE inspected))::int, (count(*) FILTER (WHERE found))::int FROM f GROUP BY office, period
      UNION ALL
      SELECT 'rule', x.code, period, count(*)::int, (count(*) FILTER (WHERE inspected))::int, (count(*) FILTER (WHERE found))::int
      FROM f, jsonb_array_elements_text((f.reasons -> 'rules') || (f.reasons -> 'shadowRules')) AS x(code) GROUP BY x.code, period`);
    const series = new Map<string, RiskHitRatesView['series'][number]>();
    for (const r of rows) {
      const id = `${r.by}\u0000${r.key}`;
      let x = series.get(id);
      if (!x) series.set(id, (x = { by: r.by, key: r.key, points: [], total: { scored: 0, inspected: 0, found: 0 } }));
      x.points.push({ period: r.period, scored: r.scored, inspected: r.inspected, found: r.found });
      x.total.scored += r.scored;
      x.total.inspected += r.inspected;
      x.total.found += r.found;
    }
    const order = (by: string) => ['channel', 'selection', 'rule', 'office'].indexOf(by);
    const list = [...series.values()].sort((a, b) => order(a.by) - order(b.by) || b.total.scored - a.total.scored || a.key.localeCompare(b.key));
    for (const x of list) x.points.sort((a, b) => a.period.localeCompare(b.period));
    return { period: q.period, periods, series: list };
  }

  async function drift(p: Principal, q: Z<typeof RiskDriftQuery>): Promise<RiskDriftView> {
    await access.require(p, RISK_READ_ROLES);
    const rec = await mappingById(q.mappingId);
    const since = new Date(clock.now().getTime() - q.days * 86_400_000);
    const scope = await offices.scopeOf(p);
    const [act] = await rowsOf(db.kysely, sql<{ id: string }>`SELECT id FROM risk_models WHERE mapping_id = ${rec.id} AND status = 'active'`);
    const channels = await rowsOf(db.kysely, sql<{ channel: Channel; selected_by: 'rule' | 'random' | 'risk' | 'default'; scored: number; inspected: number; found: number }>`
      SELECT s.channel, s.selected_by, count(*)::int AS scored, count(o.declaration_id)::int AS inspected, (count(*) FILTER (WHERE o.found))::int AS found
      FROM risk_scores s JOIN risk_declarations d ON d.id = s.declaration_id LEFT JOIN risk_outcomes o ON o.declaration_id = s.declaration_id
      WHERE d.mapping_id = ${rec.id} AND ${scopeSql(scope)} AND s.scored_at >= ${since} GROUP BY s.channel, s.selected_by ORDER BY s.channel, s.selected_by`);
    const total = channels.reduce((s, c) => s + c.scored, 0);
    const rate = (f: (c: (typeof channels)[number]) => boolean) => (total ? channels.filter(f).reduce((s, c) => s + c.scored, 0) / total : null);
    const base = {
      days: q.days,
      channels: channels.map((c) => ({ channel: c.channel, selectedBy: c.selected_by, scored: c.scored, inspected: c.inspected, found: c.found })),
    };
    const rates = { redRate: rate((c) => c.channel === 'red'), yellowRate: rate((c) => c.channel === 'yellow'), randomRate: rate((c) => c.selected_by === 'random') };
    if (!act) return { ...base, modelId: null, modelSeq: null, reference: null, recent: { n: 0, mean: null, shares: [], psi: null, aboveRedCut: null, ...rates } };
    const model = await modelById(act.id);
    const recent = (await rowsOf(db.kysely, sql<{ score: number }>`SELECT s.score FROM risk_scores s ${scope.all ? sql`` : sql`JOIN risk_declarations d ON d.id = s.declaration_id AND ${scopeSql(scope)}`}
      WHERE s.model_id = ${act.id} AND s.scored_at >= ${since}`)).map((r) => Number(r.score));
    const d = driftAgainst(model.reference, recent);
    const nz = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      ...base,
      modelId: model.id,
      modelSeq: model.seq,
      reference: { n: model.reference.n, mean: model.reference.mean, shares: model.reference.shares, redCut: model.reference.redCut, yellowCut: model.reference.yellowCut },
      recent: { n: d.n, mean: nz(d.mean), shares: d.shares, psi: nz(d.psi), aboveRedCut: nz(d.aboveRedCut), ...rates },
    };
  }

  return {
    access, createMapping, renameMapping, listMappings, importDeclarations, importErrorsCsv, listDeclarations, getDeclaration, recordOutcome, recordOutcomes,
    listModels, getJob, startTraining, runJob, idle, promote: (p: Principal, id: string, version: number, requestId?: string) => changeModelStatus(p, id, version, 'active', requestId),
    retire: (p: Principal, id: string, version: number, requestId?: string) => changeModelStatus(p, id, version, 'retired', requestId),
    listRules, createRule, updateRule, backtestRule, drift, hitRates, offices,
    score: (p: Principal, body: RiskScoreBody, requestId?: string) => tracked(() => score(p, body, requestId)),
  };
}

/** The engine's reader with labels optional (a label column in the file is read when present). */
function readDeclarations(m: RiskMapping, header: string[], rows: { line: number; values: string[] }[]): Declaration[] {
  return engineRead(m, header, rows, { needLabel: false });
}

export type RiskService = ReturnType<typeof createRiskService>;
