// Commands that need OVH but must not hold OVH credentials (`ls`, `credentials`) ask the worker: they start a
// short workflow on its task queue and wait for its answer. The CLI itself needs only Temporal and the payload key.
import { resolveAccount } from '../shared/accounts.js';
import { askWorkerWith, type AskWorkerOptions, type WorkerAnswerError } from '../runs/ask-worker.js';
import { withRuns } from './context.js';
import { asTyped } from './invocation.js';

export { askWorkerWith, DEFAULT_ASK_TIMEOUT_SECONDS, WorkerAnswerError, workflowPollers, type AskWorkerOptions, type AskWorkerTarget } from '../runs/ask-worker.js';

/** Runs one short workflow on the configured task queue and returns its result. */
export async function askWorker<T>(options: AskWorkerOptions): Promise<T> {
  // The account is resolved (an unknown one is a usage error) before anything starts.
  return withRuns(async (runs, config) => askWorkerWith<T>(runs.client, config, { ...options, account: resolveAccount(config.accounts, options.account) }));
}

/** Prints a worker's failure (message, type, what to check) on stderr. */
export function reportWorkerAnswerError(error: WorkerAnswerError): void {
  process.stderr.write(asTyped(`ovhflow: ${error.message}\n`));
  if (error.failureType) process.stderr.write(`  failure type: ${error.failureType}\n`);
  if (error.hint) process.stderr.write(asTyped(`  what to check: ${error.hint}\n`));
}
