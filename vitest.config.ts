import { defineConfig } from 'vitest/config';

/**
 * Files that measure time finely (the chaos suite's stall percentiles, the call rate across workers, the simulator's
 * latency faults): they run alone, after the rest, so the load of other files cannot make their figures lie.
 */
const TIMED = [
  'test/chaos/chaos-short.test.ts',
  'test/simulator/faults.test.ts',
  'test/simulator/tasks.test.ts',
  'test/ovh/rate-limit-across-workers.test.ts',
];

/**
 * Files that kill or stop worker processes and bound the recovery coarsely (a killed worker's activity retried within
 * 30 s, a graceful stop within 20 s): two at a time, after the concurrent files and before the timed ones.
 */
const TIMED_IN_PAIRS = ['test/backups/worker-crash.test.ts', 'test/provisioning/worker-crash.test.ts', 'test/deploy/production-worker.test.ts'];

/**
 * Most files spend their time waiting (on simulated OVH tasks, on Temporal timers), not computing: with vitest's
 * default on a 2-core machine (one fork) the suite ran one file at a time. Four forks keep both cores busy (measured on
 * 2 cores, 2026-12-06: the concurrent files took 569 s with 3 forks, 523 s with 4, CPU 80–100 % busy).
 * `OVHFLOW_TEST_FORKS` overrides the width.
 */
/** Each project starts its own Temporal dev server (about a second): a timed file shares it with no one. */
const globalSetup = ['./test/global-setup.ts'];

const forks = Number(process.env.OVHFLOW_TEST_FORKS ?? 4);

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
        test: { name: 'concurrent', globalSetup, include: ['test/**/*.test.ts'], exclude: [...TIMED, ...TIMED_IN_PAIRS], maxWorkers: forks, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timed-pairs', globalSetup, include: TIMED_IN_PAIRS, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'timed', globalSetup, include: TIMED, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
