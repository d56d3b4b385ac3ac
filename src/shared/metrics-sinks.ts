// What workflows tell the worker's metrics (src/metrics/sinks.ts) through Temporal sinks: a sink call is no history
// event and is not made again when a worker replays a run, so a run that ends is counted once by the worker that
// ran its last task (see the SDK's caveat on a workflow task that fails after the call: rare, and a counter).
import type { Sinks } from '@temporalio/workflow';

export type RunOutcome = 'completed' | 'failed' | 'aborted' | 'cancelled';

export interface OvhflowMetricsSinks extends Sinks {
  ovhflowMetrics: {
    runFinished(kind: string, outcome: RunOutcome): void;
    /** A nightly dumps run ended; `failedDumps` databases of it were not dumped. */
    nightlyFinished(failedDumps: number): void;
  };
}
