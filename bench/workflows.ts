// The benchmarks' workflow bundle: every product workflow, plus a do-nothing baseline that runs the same number of
// activities (and local activities) as a provisioning, one after the other, so the throughput benchmark can tell
// what ovhflow's own work costs on top of Temporal's.
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { BenchActivities } from './baseline-activities.js';

export * from '../src/workflows/index.js';

const activity = proxyActivities<BenchActivities>({ startToCloseTimeout: '60 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

export async function benchBaseline(shape: { activities: number; localActivities: number }): Promise<number> {
  let done = 0;
  // Interleaved like a provisioning: a few local lookups between the activities, never all at once.
  const perActivity = shape.activities > 0 ? shape.localActivities / shape.activities : 0;
  let localsOwed = 0;
  for (let i = 0; i < shape.activities; i++) {
    done += await activity.noop(i);
    localsOwed += perActivity;
    while (localsOwed >= 1) {
      done += await local.noop(i);
      localsOwed -= 1;
    }
  }
  for (; done < shape.activities + shape.localActivities; ) done += await local.noop(done);
  return done;
}

/** A run that only waits (one timer): what one cached workflow costs a worker before any of ovhflow's code. */
export async function benchIdle(hours: number): Promise<void> {
  await sleep(`${hours} hours`);
}
