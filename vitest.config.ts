import { defineConfig } from 'vitest/config';

/**
 * Files that measure time (how fast a killed worker's activity is retried, the chaos suite's stall percentiles, a
 * worker's graceful stop, the simulator's latency faults): they run alone, after the rest, so the load of other
 * files cannot make their figures lie.
 */
const TIMED = [
  'test/backups/worker-crash.test.ts',
  'test/provisioning/worker-crash.test.ts',
  'test/chaos/chaos-short.test.ts',
  'test/deploy/production-worker.test.ts',
  'test/simulator/faults.test.ts',
  'test/simulator/tasks.test.ts',
  'test/ovh/rate-limit-across-workers.test.ts',
];

/**
 * Most files spend their time waiting (on simulated OVH tasks, on Temporal timers), not computing: with vitest's
 * default on a 2-core machine (one fork) the suite ran one file at a time. `OVHFLOW_TEST_FORKS` overrides the width.
 */
/** Each project starts its own Temporal dev server (about a second): a timed file shares it with no one. */
const globalSetup = ['./test/global-setup.ts'];

const forks = Number(process.env.OVHFLOW_TEST_FORKS ?? 3);

export default defineConfig({
  test: {
    // Temporal's native worker does not run in worker_threads; one process per test file.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'concurrent', globalSetup, include: ['test/**/*.test.ts'], exclude: TIMED, maxWorkers: forks, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timed', globalSetup, include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
