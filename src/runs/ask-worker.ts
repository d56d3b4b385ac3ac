// Asking a worker a question: the CLI and the API hold no OVH credentials, so they start a short workflow (inventory,
// a DNS check) on the workers' task queue and wait for its answer, which this turns into a result or an error a person
// can act on.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Config } from '../config.js';
import { HINTS, type FailureDetails } from '../shared/failures.js';
import { ACCOUNT } from '../shared/search-attributes.js';

export const DEFAULT_ASK_TIMEOUT_SECONDS = 60;

/** The worker answered with a failure, or did not answer: a message a person can act on (exit code 1). */
export class WorkerAnswerError extends Error {
  override name = 'WorkerAnswerError';
  constructor(
    message: string,
    readonly failureType?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface AskWorkerOptions {
  workflowType: string;
  /** e.g. `inventory/`: the workflow id is the prefix plus a random uuid. */
  idPrefix: string;
  args: unknown[];
  timeoutSeconds?: number;
  /** The OVH account to ask about (`--account`); default: the default account. */
  account?: string;
}

/** Where to ask: the task queue (and, for the message when no worker answers, the server and namespace). */
export type AskWorkerTarget = { temporal: Pick<Config['temporal'], 'taskQueue' | 'address' | 'namespace'> };

export async function askWorkerWith<T>(client: Client, config: AskWorkerTarget, options: AskWorkerOptions): Promise<T> {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_ASK_TIMEOUT_SECONDS;
  const taskQueue = config.temporal.taskQueue;
  const handle = await client.workflow.start(options.workflowType, {
    workflowId: `${options.idPrefix}${randomUUID()}`,
    taskQueue,
    args: options.args,
    // No worker, or a stuck one: the server ends the run, and the CLI says so instead of hanging.
    workflowExecutionTimeout: `${timeoutSeconds} seconds`,
    // The account the worker answers for (the workflow interceptor hands it to the activities).
    ...(options.account ? { typedSearchAttributes: [{ key: ACCOUNT, value: options.account }] } : {}),
  });
  try {
    return (await handle.result()) as T;
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    if (error.cause instanceof TimeoutFailure) {
      const pollers = await workflowPollers(client, config).catch(() => undefined);
      const who = pollers === 0 ? 'no worker is polling it' : pollers === undefined ? 'is a worker running?' : `${pollers} worker(s) poll it`;
      throw new WorkerAnswerError(
        `no answer from a worker within ${timeoutSeconds} s on task queue "${taskQueue}" at ${config.temporal.address} (${who})`,
        'WorkerTimeout',
        'start one with `ovhflow worker` (or `npm start`), with the same TEMPORAL_TASK_QUEUE and OVHFLOW_ENCRYPTION_KEY',
      );
    }
    const failure = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
    if (failure instanceof ApplicationFailure) {
      const details = (failure.details?.[0] ?? {}) as FailureDetails;
      throw new WorkerAnswerError(failure.message, failure.type ?? undefined, details.hint ?? (failure.type ? HINTS[failure.type] : undefined));
    }
    throw new WorkerAnswerError(failure?.message ?? error.message);
  }
}

export async function workflowPollers(client: Client, config: AskWorkerTarget): Promise<number> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace: config.temporal.namespace,
    taskQueue: { name: config.temporal.taskQueue },
    taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return answer.pollers?.length ?? 0;
}
