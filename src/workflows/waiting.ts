import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { DEFAULT_POLL_SCHEDULE, type PollSchedule } from '../shared/hosting-tasks.js';

/**
 * Activities that wait for OVH: one check per attempt, the retry policy polls with exponential backoff up to a cap,
 * and the step deadline (schedule-to-close) bounds the whole wait. History cost: three events, however long it takes.
 */
export function waitingActivities(deadlineMinutes: number, poll: PollSchedule = DEFAULT_POLL_SCHEDULE) {
  return proxyActivities<Activities>({
    // One check is one or two reads: a worker that died mid-check is noticed within seconds, not minutes.
    startToCloseTimeout: '20 seconds',
    scheduleToCloseTimeout: `${deadlineMinutes} minutes`,
    retry: {
      initialInterval: `${poll.initialIntervalSeconds} seconds`,
      backoffCoefficient: poll.backoffCoefficient,
      maximumInterval: `${poll.maximumIntervalSeconds} seconds`,
    },
  });
}
