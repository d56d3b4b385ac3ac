import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native worker does not run in worker_threads; one process per test file.
    pool: 'forks',
    globalSetup: ['./test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
