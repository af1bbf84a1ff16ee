// `npm test`: every test. Unit, service and route tests (on PGlite, and on PostgreSQL as well when
// DATABASE_URL is set), then the browser tests against the built app in Debian's Chromium.
// Ends with one line "N passed, N failed, N skipped" and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

const phases = [];
function run(cmd, args, label = [cmd, ...args].join(' ')) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const started = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  phases.push(`${label}: ${Math.round((performance.now() - started) / 1000)} s`);
  return r.status === 0;
}

function vitest(name, extra) {
  const out = `.tmp/vitest-${name}.json`;
  rmSync(out, { force: true });
  const passed = run('npx', ['vitest', 'run', ...extra, '--reporter=default', '--reporter=json', `--outputFile=${out}`], `${name} tests`);
  try {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (r.numTotalTests === 0) {
      console.error(`${name}: no tests ran`);
      ok = false;
    }
  } catch {
    totals.failed += 1; // the runner itself failed before writing results
  }
  if (!passed) ok = false;
}

console.log(process.env.DATABASE_URL ? 'Database tests run on PGlite and on PostgreSQL (DATABASE_URL).' : 'Database tests run on PGlite (set DATABASE_URL to add PostgreSQL).');
vitest('unit', []);
if (!run('node', ['scripts/ensure-chromium.mjs'])) ok = false;
else if (!run('npm', ['run', 'build'])) ok = false;
else vitest('e2e', ['--config', 'e2e/vitest.config.ts']);

console.log(`\nTime per step: ${phases.join('; ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
