// Runs one training in a worker thread so the server keeps answering while the trees grow.
import { parentPort, workerData } from 'node:worker_threads';
import { trainWithReference, type TrainInput } from './risk-train.js';

try {
  parentPort!.postMessage({ ok: true, result: trainWithReference(workerData as TrainInput) });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: (e as Error).message });
}
