import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';
import type { SmokeTestInput, SmokeTestResult } from '../shared/smoke.js';

const { reportWorkerIdentity } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A worker that dies mid-call is noticed in seconds, as for every activity (activity-options.ts).
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** Proves that a worker polls the task queue and runs activities; used by `ovhflow dev` and the test suite. */
export async function smokeTest({ greeting }: SmokeTestInput): Promise<SmokeTestResult> {
  const answer = await reportWorkerIdentity(greeting);
  log.info('smoke test done', { workerIdentity: answer.workerIdentity });
  return {
    greeting: answer.greeting,
    answeredBy: { taskQueue: answer.taskQueue, workerIdentity: answer.workerIdentity, nodeVersion: answer.nodeVersion },
    attempts: answer.attempt,
  };
}
