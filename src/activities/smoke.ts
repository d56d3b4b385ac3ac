import { Context } from '@temporalio/activity';
import type { WorkerIdentity } from '../shared/smoke.js';

export interface SmokeActivityDeps {
  workerIdentity: string;
}

export function createSmokeActivities({ workerIdentity }: SmokeActivityDeps) {
  return {
    async reportWorkerIdentity(greeting: string): Promise<WorkerIdentity & { greeting: string; attempt: number }> {
      const { info, log } = Context.current();
      log.info('smoke test answered', { greeting });
      return { greeting, taskQueue: info.taskQueue, workerIdentity, nodeVersion: process.version, attempt: info.attempt };
    },
  };
}
