// The baseline's activities: they do nothing, so a baseline run measures Temporal and the worker alone.
// `noopWithHeartbeats` is the same no-op wrapped as every product activity is (src/activities/heartbeats.ts), so
// bench:feature-costs can weigh what the wrapper costs.
import { withHeartbeats } from '../src/activities/heartbeats.js';

export function createBenchActivities() {
  const noop = async (_step: number): Promise<number> => 1;
  return {
    noop,
    noopWithHeartbeats: withHeartbeats({ noop }).noop,
    /** Echoes a payload of the size the caller asks for, as a provisioning's larger arguments and results are. */
    async echo(payload: string): Promise<string> {
      return payload;
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
