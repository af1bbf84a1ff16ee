import { createHash, randomUUID } from 'node:crypto';
import type { CaseImportMode, CaseImportReport } from '@cordon/contracts';
import type { Database, Db, Kysely } from '@cordon/db';
import { AppError, forbidden, notFound } from '../../../errors.js';
import type { Clock } from '../../../lib/clock.js';
import type { AuditService } from '../../audit/audit.service.js';
import { actorOf, type Principal } from '../../auth/principal.js';
import type { CasesService } from '../cases.service.js';
import { importRowPreparer } from './cases-import.prepare.js';
import { encodingFor, writeStaged, type StagedRow } from './cases-import.stage.js';
import { rowToBody, toRowProblems, withValue, type RowProblem } from './rows.js';
import { readTable } from './table.js';
import { TEMPLATE_COLUMNS } from './template.js';
import { csvLine } from './files.js';

type Tx = Kysely<Database>;

/** A problem with its column's Vietnamese header: an officer's file carries those, not the English keys. */
const VI_HEADER = new Map(TEMPLATE_COLUMNS.map((c) => [c.key, c.vi]));
const withColumn = (x: RowProblem): RowProblem & { column?: string } => {
  const column = VI_HEADER.get(x.field);
  return column ? { ...x, column } : x;
};

export interface ImportInput {
  fileName: string;
  bytes: Uint8Array;
  mode: CaseImportMode;
}

export interface ImportProgress {
  /** Rows read so far, and the expected total (an estimate until the end for CSV). */
  done: number;
  total: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

/** Rows per transaction in partial mode: a crash loses at most this many, and a rerun skips the rest. */
export const IMPORT_BATCH_ROWS = 500;
/**
 * The same on PostgreSQL, where a batch travels by COPY (cases-import.copy.ts): the report sums are
 * upserted once per statement, and a bigger batch folds more cases into each sum row (5,000 rows: a
 * third less database CPU per case than 500, docs/development.md). PGlite keeps 500: its one
 * connection is held for the whole batch.
 */
export const IMPORT_BATCH_ROWS_POSTGRES = 5_000;
/**
 * The first batch is smaller and each next one twice as big, up to the batch size: the database starts
 * writing after 1,000 rows are read instead of 5,000 (it waited for the whole first batch, and it is the
 * slower side), and each batch is read while the one half its size is written.
 */
export const IMPORT_FIRST_BATCH_ROWS = 1_000;
/** Problems kept in the report and the database; the counts stay exact beyond it. */
export const MAX_PROBLEMS = 10_000;

class RollBack extends Error {}

export function createCasesImportService({ db, clock, audit, cases, batchRows: batchRowsOption }: { db: Db; clock: Clock; audit: AuditService; cases: CasesService; batchRows?: number }) {
  /**
   * Imports a CSV or XLSX file in the template (see template.ts) as cases of the user's unit. Each row
   * is checked like POST /api/cases; rows whose reference the unit already has are skipped.
   */
  async function importCases(p: Principal, input: ImportInput, onProgress?: (progress: ImportProgress) => void, requestId?: string): Promise<CaseImportReport> {
    if (!cases.canWrite(p)) throw forbidden('Importing cases needs the officer, provincial coordinator, analyst or admin role');
    const table = await readTable(input.fileName, input.bytes);
    // Required columns must be in the header: without them no row could pass.
    const present = new Set(table.columns);
    const missing = TEMPLATE_COLUMNS.filter((c) => c.required && !present.has(c.key));
    if (missing.length) {
      throw new AppError('INVALID_INPUT', `file: the header lacks ${missing.map((c) => `"${c.vi}" (${c.key})`).join(', ')}`, missing.map((c) => ({ field: c.key, reason: 'missing_column', message: `the header (line ${table.headerLine}) has no column "${c.vi}" / "${c.key}"` })));
    }

    const unit = (await cases.unitsById([p.unitId])).get(p.unitId);
    if (!unit?.active) throw forbidden('Your unit is not active');
    const prepare = importRowPreparer(p, clock, unit);

    // PostgreSQL: COPY into staging tables; PGlite: JSON parameters (cases-import.stage.ts).
    const encoding = encodingFor(db.engine);
    const batchRows = batchRowsOption ?? (db.engine === 'postgres' ? IMPORT_BATCH_ROWS_POSTGRES : IMPORT_BATCH_ROWS);
    const importId = randomUUID();
    const startedAt = clock.now();
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('case_imports').values({
        id: importId, file_name: input.fileName, sha256: createHash('sha256').update(input.bytes).digest('hex'), unit_id: p.unitId, user_id: p.userId, mode: input.mode, started_at: startedAt,
      }).execute();
      await audit.record({ action: 'case.import.start', actor: actorOf(p), entityType: 'case_import', entityId: importId, detail: { fileName: input.fileName, mode: input.mode, bytes: input.bytes.byteLength }, requestId }, trx);
    });

    const problems: RowProblem[] = [];
    let problemCount = 0;
    const addProblems = (ps: RowProblem[]) => {
      problemCount += ps.length;
      for (const x of ps) if (problems.length < MAX_PROBLEMS) problems.push(x);
    };
    const counts = { totalRows: 0, imported: 0, duplicates: 0, rejected: 0 };
    const firstLineOfRef = new Map<string, number>();
    let pending: StagedRow[] = [];
    let batchNo = 0;

    const write = async (trx: Tx, batch: StagedRow[]) => {
      const { created, duplicates } = await writeStaged(trx, encoding, batch, p.unitId, p.userId, () => clock.now());
      counts.imported += created.length;
      counts.duplicates += duplicates;
      batchNo++;
      if (created.length || duplicates) {
        let first = batch[0]!.line;
        let last = first;
        for (const r of batch) {
          if (r.line < first) first = r.line;
          if (r.line > last) last = r.line;
        }
        await audit.record({
          action: 'case.import.batch', actor: actorOf(p), entityType: 'case_import', entityId: importId,
          detail: { batch: batchNo, lines: [first, last], created: created.length, duplicates, caseIds: created.map((x) => x.id) }, requestId,
        }, trx);
      }
    };

    const total = () => Math.max(table.estimatedRows, counts.totalRows);
    const progress = () => onProgress?.({ done: counts.totalRows, total: total(), imported: counts.imported, duplicates: counts.duplicates, rejected: counts.rejected });

    const readAll = async (withTrx: (fn: (trx: Tx) => Promise<void>) => Promise<void>) => {
      // The database writes one batch while the next one is read and checked: the writes stay one at a
      // time and in file order, only the parsing overlaps them.
      let writing: Promise<void> | undefined;
      let busy = false;
      const flush = async () => {
        if (!pending.length) return;
        const next = pending;
        pending = [];
        await writing;
        busy = true;
        const w = withTrx((trx) => write(trx, next)).then(() => {
          busy = false;
          progress();
        });
        w.catch(() => {}); // awaited by the next flush or below; this only keeps an early failure from going unhandled
        writing = w;
      };
      let sinceYield = 0;
      let limit = Math.min(batchRows, IMPORT_FIRST_BATCH_ROWS);
      try {
        for await (const row of table.rows) {
          // Let the write in flight advance (its query results are I/O callbacks) while rows are parsed:
          // every 10 rows (≈ 1 ms), since the database is the slower side and waits for each callback.
          if (busy && ++sinceYield >= 10) {
            sinceYield = 0;
            await new Promise<void>((r) => setImmediate(r));
          }
          counts.totalRows++;
          const { body, problems: rowProblems } = rowToBody(row);
          const ref = (body?.sourceRef ?? String(row.cells.get('source_ref') ?? '')).trim();
          const first = ref ? firstLineOfRef.get(ref) : undefined;
          if (first !== undefined) {
            rowProblems.push({ line: row.line, field: 'source_ref', reason: 'not_unique', message: `repeats the reference "${ref}" of line ${first}` });
          } else if (ref) firstLineOfRef.set(ref, row.line);
          if (rowProblems.length || !body) {
            counts.rejected++;
            addProblems(rowProblems.map((x) => withValue(x, row.cells)));
            continue;
          }
          // Checked and encoded now, while the previous batch is written: the batch keeps a few strings per row.
          const { prepared, issues } = prepare(body);
          if (!prepared) {
            counts.rejected++;
            addProblems(toRowProblems(row.line, issues).map((x) => withValue(x, row.cells)));
            continue;
          }
          pending.push(encoding.encode(prepared, importId, row.line));
          if (pending.length >= limit) {
            await flush();
            limit = Math.min(batchRows, limit * 2);
          }
        }
        const last = pending.length;
        await flush();
        await writing;
        if (!last) progress();
      } finally {
        // A failed read must not end the transaction under a write still in flight.
        await writing?.catch(() => {});
      }
    };

    try {
      if (input.mode === 'partial') {
        await readAll((fn) => db.kysely.transaction().execute(fn));
      } else {
        await db.kysely.transaction().execute(async (trx) => {
          await readAll((fn) => fn(trx));
          if (counts.rejected > 0) throw new RollBack();
        });
      }
    } catch (e) {
      if (!(e instanceof RollBack)) throw e;
      counts.imported = 0;
    }

    problems.sort((a, b) => a.line - b.line);
    const report: CaseImportReport = {
      importId, fileName: input.fileName, mode: input.mode, ...counts, problems: problems.map(withColumn), problemsTruncated: problemCount > problems.length,
      ignoredColumns: table.ignoredColumns, errorReportUrl: problems.length ? `/api/cases/imports/${importId}/errors.csv` : null,
    };
    await db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('case_imports').set({ ...{ total_rows: counts.totalRows, imported: counts.imported, duplicates: counts.duplicates, rejected: counts.rejected }, problems: JSON.stringify(problems), finished_at: clock.now() }).where('id', '=', importId).execute();
      await audit.record({ action: 'case.import', actor: actorOf(p), entityType: 'case_import', entityId: importId, detail: { fileName: input.fileName, mode: input.mode, ...counts }, requestId }, trx);
    });
    return report;
  }

  /** The problems of one import as CSV (line, field, column, reason, message, value), for the user who ran it. */
  async function errorsCsv(p: Principal, importId: string): Promise<{ fileName: string; csv: string }> {
    const row = await db.kysely.selectFrom('case_imports').select(['id', 'file_name', 'problems', 'user_id']).where('id', '=', importId).executeTakeFirst();
    if (!row || row.user_id !== p.userId) throw notFound('Import');
    const list = (typeof row.problems === 'string' ? JSON.parse(row.problems) : row.problems) as RowProblem[];
    const lines = [csvLine(['line', 'field', 'column', 'reason', 'message', 'value']), ...list.map(withColumn).map((x) => csvLine([x.line, x.field, x.column ?? '', x.reason, x.message, x.value ?? '']))];
    return { fileName: `${row.file_name.replace(/\.[^.]+$/, '')}.errors.csv`, csv: '\uFEFF' + lines.join('\r\n') + '\r\n' };
  }

  return { importCases, errorsCsv };
}

export type CasesImportService = ReturnType<typeof createCasesImportService>;
