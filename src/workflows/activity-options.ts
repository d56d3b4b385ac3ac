// How every workflow calls its activities, defined once: a change of timeout or retry policy is made here, for all.
//
// Every normal activity heartbeats (the worker's activity wrapper does it every few seconds), with a heartbeat timeout
// of 10 s: a worker killed in the middle of an OVH call is noticed in about ten seconds and the call is retried
// elsewhere, instead of at the end of its start-to-close timeout. Writes wait for a cancelled activity to finish
// (WAIT_CANCELLATION_COMPLETED): when a run is cancelled mid-write, its compensation then sees what the write did.
import { ActivityCancellationType, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { DEFAULT_POLL_SCHEDULE, type PollSchedule } from '../shared/hosting-tasks.js';

export const HEARTBEAT_TIMEOUT = '10 seconds';

/** Calls that answer quickly: a few retries for transient errors (429, 5xx, resets), then the step asks an operator. */
export const ovh = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/**
 * Read-only lookups (inspect, describe) run as local activities: one marker event each instead of an activity's
 * three plus a workflow task, which keeps a whole provisioning well under 100 history events.
 */
export const lookup = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

/**
 * Activities that wait for OVH: one check per attempt, the retry policy polls with exponential backoff up to a cap,
 * and the step deadline (schedule-to-close) bounds the whole wait. History cost: three events, however long it takes.
 */
export function waitingActivities(deadlineMinutes: number, poll: PollSchedule = DEFAULT_POLL_SCHEDULE) {
  return proxyActivities<Activities>({
    // One check is one or two reads: a worker that died mid-check is noticed within seconds, not minutes.
    startToCloseTimeout: '20 seconds',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    scheduleToCloseTimeout: `${deadlineMinutes} minutes`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      initialInterval: `${poll.initialIntervalSeconds} seconds`,
      backoffCoefficient: poll.backoffCoefficient,
      maximumInterval: `${poll.maximumIntervalSeconds} seconds`,
    },
  });
}
