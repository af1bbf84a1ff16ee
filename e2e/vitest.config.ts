import { defineConfig } from 'vitest/config';

// Browser tests: the built app served by the real server, driven in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    // One seeded demo database per run, copied for each file's server (see global-setup.ts).
    globalSetup: ['./e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two files at a time (each its own server and Chromium): the crash test (servers only, several
    // first starts) overlaps the browser files. Measured in docs/development.md ("Test run").
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
