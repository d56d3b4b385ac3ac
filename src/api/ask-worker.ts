// What the API asks a worker (inventory, DNS checks): the API process holds no OVH credentials, so, like the CLI, it
// starts a short workflow on the workers' task queue and waits for its answer. A worker's refusal becomes the HTTP
// answer a client can branch on: 404 for what does not exist, 400 for a bad request, 504 when no worker answered,
// 502 for any other failure (OVH's, with the worker's message).
import { askWorkerWith, WorkerAnswerError, type AskWorkerOptions } from '../runs/ask-worker.js';
import type { RunService } from '../runs/service.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { ApiError } from './errors.js';

export async function askWorkerForApi<T>(runs: RunService, options: AskWorkerOptions, describe: (message: string) => string = (message) => message): Promise<T> {
  const target = { temporal: { taskQueue: runs.taskQueue, namespace: runs.client.options.namespace, address: "the API's Temporal server" } };
  try {
    return await askWorkerWith<T>(runs.client, target, options);
  } catch (error) {
    if (!(error instanceof WorkerAnswerError)) throw error;
    if (error.failureType === FAILURE_TYPES.notFound) throw new ApiError(404, 'not_found', describe(error.message));
    if (error.failureType === FAILURE_TYPES.invalidInput) throw new ApiError(400, 'invalid_input', describe(error.message));
    if (error.failureType === 'WorkerTimeout') throw new ApiError(504, 'worker_timeout', error.message);
    throw new ApiError(502, 'worker_failed', `${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  }
}
