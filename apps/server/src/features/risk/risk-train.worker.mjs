// Worker entry: the trainer is TypeScript, so register tsx in this thread first (a worker does not
// inherit the parent's loader hooks, and `--import tsx` in execArgv is not honoured under every runner).
import { register } from 'tsx/esm/api';

register();
await import('./risk-train.worker.ts');
