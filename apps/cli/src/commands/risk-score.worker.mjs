// Worker entry of `cordon risk score` (risk-score.ts): the code is TypeScript, so register tsx in
// this thread first (a worker does not inherit the parent's loader hooks).
import { register } from 'tsx/esm/api';

register();
await import('./risk-score.worker.ts');
