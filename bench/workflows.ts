// The benchmarks' workflow bundle: every product workflow, plus a do-nothing baseline that runs the same number of
// activities (and local activities) as a provisioning, one after the other, so the throughput benchmark can tell
// what ovhflow's own work costs on top of Temporal's.
import { patched, proxyActivities, proxyLocalActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { CURRENT_STEP, RUN_STATUS } from '../src/shared/search-attributes.js';
import type { BenchActivities } from './baseline-activities.js';

export * from '../src/workflows/index.js';

const activity = proxyActivities<BenchActivities>({ startToCloseTimeout: '60 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });

/** The baseline's shape; the optional parts add one of a provisioning's costs at a time (bench/feature-costs.ts). */
export interface BaselineShape {
  activities: number;
  localActivities: number;
  /** Search-attribute upserts (status and step, as RunControl writes them), spread over the run. */
  upserts?: number;
  /** Normal activities heartbeat as the product's do (the wrapper in src/activities/heartbeats.ts). */
  heartbeats?: boolean;
  /** This many patches (`patched()`: a marker and, by the SDK, a TemporalChangeVersion upsert each), one per activity. */
  patches?: number;
  /** This many of the activities fail their first attempt (a retry 0.5-1 s later), as waits did before issue 22. */
  failedFirstAttempts?: number;
  /** Each normal activity also sends and receives a payload of this many characters. */
  payloadChars?: number;
}

export async function benchBaseline(shape: BaselineShape): Promise<number> {
  let done = 0;
  let upserts = 0;
  const upsertsPerActivity = shape.upserts && shape.activities > 0 ? shape.upserts / shape.activities : 0;
  let upsertsOwed = 0;
  const payload = shape.payloadChars ? 'x'.repeat(shape.payloadChars) : undefined;
  // Interleaved like a provisioning: a few local lookups between the activities, never all at once.
  const perActivity = shape.activities > 0 ? shape.localActivities / shape.activities : 0;
  let localsOwed = 0;
  for (let i = 0; i < shape.activities; i++) {
    upsertsOwed += upsertsPerActivity;
    while (upsertsOwed >= 1) {
      upsertSearchAttributes([
        { key: RUN_STATUS, value: 'running' },
        { key: CURRENT_STEP, value: `step-${upserts++}` },
      ]);
      upsertsOwed -= 1;
    }
    if (i < (shape.patches ?? 0)) patched(`bench-patch-${i}`);
    if (i < (shape.failedFirstAttempts ?? 0)) done += await activity.pendingOnce(i);
    else if (payload) done += (await activity.echo(payload)).length > 0 ? 1 : 0;
    else done += await (shape.heartbeats ? activity.noopWithHeartbeats(i) : activity.noop(i));
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
