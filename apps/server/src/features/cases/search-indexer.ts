import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { refreshTrigramCountsIfStale } from './search-plan.js';

/** Cases per indexing transaction: small enough that PGlite's one connection is not held for long. */
export const INDEX_BATCH = 1000;

/**
 * A drain of this many cases ends with `VACUUM (ANALYZE) cases`: clearing the flag leaves every old row
 * version in the pending index until a vacuum, and every text search looked there (0.4–1.2 s for an
 * absent word right after indexing 600,000 cases, 7–16 ms after the vacuum); the planner also needs
 * fresh statistics for that many new cases. Smaller drains leave it to autovacuum.
 */
export const VACUUM_AFTER = 50_000;

/** Runs in the indexing transaction with the cases just indexed (joint-case proposals for imported ones). */
export type AfterIndex = (trx: Kysely<Database>, cases: { id: string; importId: string | null }[]) => Promise<unknown>;

/**
 * Adds cases that bulk writes (imports, the demo seed) stored with `search_pending` to the trigram
 * index, batch by batch: clearing the flag is what writes their GIN entries (the index is partial,
 * migration 0006). Search finds pending cases all along through the pending index, so the indexer
 * only makes them cheaper to find. Safe to run from several processes (SKIP LOCKED); a crash leaves
 * the rest pending for the next run.
 */
export function createCaseSearchIndexer({ db, batchSize = INDEX_BATCH, vacuumAfter = VACUUM_AFTER, onError, afterIndex }: { db: Db; batchSize?: number; vacuumAfter?: number; onError?: (err: unknown) => void; afterIndex?: AfterIndex }) {
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let statsChecked = false;

  /** Indexes one batch; returns how many cases it took (0 when nothing is pending). */
  async function indexBatch(): Promise<number> {
    return db.kysely.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string; import_id: string | null }>`UPDATE cases SET search_pending = false
        WHERE id IN (SELECT id FROM cases WHERE search_pending ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
        RETURNING id, import_id`.execute(trx);
      if (rows.length && afterIndex) await afterIndex(trx, rows.map((r) => ({ id: r.id, importId: r.import_id })));
      return rows.length;
    });
  }

  /**
   * Indexes until nothing is pending; returns the number of cases indexed; vacuums after a large drain
   * (VACUUM_AFTER). After indexing any (and on
   * the first drain of the process, for cases recorded one at a time), counts the search trigrams again
   * if the cases grew or shrank by a tenth: the statistics the search chooses its plan with.
   */
  async function drain(onProgress?: (indexed: number) => void): Promise<number> {
    let total = 0;
    while (!stopped) {
      const n = await indexBatch();
      if (!n) break;
      total += n;
      onProgress?.(total);
    }
    if (total >= vacuumAfter && !stopped) await sql`VACUUM (ANALYZE) cases`.execute(db.kysely);
    if ((total || !statsChecked) && !stopped) {
      statsChecked = true;
      await refreshTrigramCountsIfStale(db.kysely, total);
    }
    return total;
  }

  /** Starts a drain in the background unless one runs; a kick during a run makes it look again. */
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((err) => {
        onError?.(err);
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  async function pending(): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE search_pending`.execute(db.kysely);
    return rows[0]!.n;
  }

  /** Kicks now and every `intervalMs` (cases a command-line import left while the server ran). */
  function start(intervalMs = 30_000): void {
    kick();
    timer = setInterval(kick, intervalMs);
    timer.unref();
  }

  /** Stops the timer and any drain after its current batch; the rest stays pending for the next start. */
  async function stop(): Promise<void> {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = undefined;
    again = false;
    await running;
  }

  /** Resolves when the current background drain (if any) has finished. */
  const idle = async (): Promise<void> => {
    while (running) await running;
  };

  return { drain, kick, pending, start, stop, idle };
}

export type CaseSearchIndexer = ReturnType<typeof createCaseSearchIndexer>;
