// The baseline's activities: they do nothing, so a baseline run measures Temporal and the worker alone.
// `noopWithHeartbeats` is the same no-op wrapped as every product activity is (src/activities/heartbeats.ts), so
// bench:feature-costs can weigh what the wrapper costs.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { withHeartbeats } from '../src/activities/heartbeats.js';

export function createBenchActivities() {
  const noop = async (_step: number): Promise<number> => 1;
  return {
    noop,
    noopWithHeartbeats: withHeartbeats({ noop }).noop,
    /**
     * Fails its first attempt, asking for the next in 0.5 s, as a wait's first attempt did when it only scheduled
     * the wait's first check (before issue 22): what such an attempt costs.
     */
    async pendingOnce(_step: number): Promise<number> {
      if (Context.current().info.attempt === 1) throw ApplicationFailure.create({ message: 'first check in 0.5 s', nonRetryable: false, nextRetryDelay: '500ms' });
      return 1;
    },
    /** Echoes a payload of the size the caller asks for, as a provisioning's larger arguments and results are. */
    async echo(payload: string): Promise<string> {
      return payload;
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
