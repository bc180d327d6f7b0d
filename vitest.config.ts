import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time even on a 2-core machine (vitest's default there is one): most of the long files
    // wait on child processes (the CLI, redis-server, Chromium), so two overlap well. `npm test` on the 2-core CI
    // machine: 692 s of vitest with one worker, 417 s with two (same 1,830 tests, all passing).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
