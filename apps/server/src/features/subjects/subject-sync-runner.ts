import { SyncDeclined, type SubjectsService } from './subjects.service.js';

/**
 * Runs the subject sync (entity resolution, `subjects.sync`) in the background after cases change, so a
 * subject recorded by hand or imported is found in the subjects screens within seconds, without an
 * administrator running `cordon entities sync`.
 *
 * Nudged by the writes that bring subject records: a case recorded or its subjects edited (the cases
 * service's hooks) and imported cases once the search indexer has taken them (which covers imports by
 * `cordon import cases` from another process too). A nudge waits `delayMs` for more (an officer saving
 * several cases, an import's batches), but never longer than `maxDelayMs` after the first; nudges during
 * a run make one more run after it. Incremental syncs resolve only what changed, so a run after one case
 * costs about a second on the demo data. A run over more than `maxRecords` records (a first or full
 * run on a large database, a very large import) is declined and logged, and the runner waits
 * `quietAfterDeclineMs` before trying again: on PGlite a run holds the only connection, so those are for
 * `cordon entities sync`. Not started, it does nothing: tests run the sync themselves.
 */
export function createSubjectSyncRunner({ subjects, delayMs = 3_000, maxDelayMs = 30_000, maxRecords = 10_000, quietAfterDeclineMs = 600_000 }: {
  subjects: Pick<SubjectsService, 'sync'>; delayMs?: number; maxDelayMs?: number; maxRecords?: number; quietAfterDeclineMs?: number;
}) {
  let quietUntil = 0;
  let started = false;
  let onError: ((err: unknown) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let firstNudge: number | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let runs = 0;

  function run(): void {
    timer = undefined;
    firstNudge = undefined;
    if (running) {
      again = true;
      return;
    }
    runs++;
    running = subjects
      .sync(null, undefined, { declineAbove: maxRecords })
      .then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof SyncDeclined) quietUntil = Date.now() + quietAfterDeclineMs;
          onError?.(err);
        },
      )
      .finally(() => {
        running = undefined;
        if (again && started) {
          again = false;
          nudge();
        }
      });
  }

  /** Something changed: sync soon (after `delayMs` of quiet, at most `maxDelayMs` after the first nudge). */
  function nudge(): void {
    if (!started || Date.now() < quietUntil) return;
    const now = Date.now();
    firstNudge ??= now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(delayMs, firstNudge + maxDelayMs - now)));
    timer.unref();
  }

  function start(options: { onError?: (err: unknown) => void } = {}): void {
    started = true;
    onError = options.onError;
  }

  /** No new runs; waits for the one in progress (the sync is one transaction: nothing is left half-done). */
  async function stop(): Promise<void> {
    started = false;
    again = false;
    if (timer) clearTimeout(timer);
    timer = undefined;
    await running;
  }

  /** Resolves once no run is waiting or in progress. */
  async function idle(): Promise<void> {
    while (timer || running) await (running ?? new Promise((r) => setTimeout(r, 10)));
  }

  return { nudge, start, stop, idle, runs: () => runs };
}

export type SubjectSyncRunner = ReturnType<typeof createSubjectSyncRunner>;
