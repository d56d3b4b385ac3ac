// A hosting service that does not exist is an answer for the caller, not a run an operator must clean up: before a
// provisioning starts, the CLI and the API ask a worker (the only process with OVH credentials) whether the service is
// there, through the read-only `inventory` workflow — one GET /hosting/web/{service}.
import { askWorkerWith, WorkerAnswerError, workflowPollers } from './ask-worker.js';
import { resolveAccount } from '../shared/accounts.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { InputIssue } from '../shared/inputs/issues.js';
import { INVENTORY_WORKFLOW_PREFIX, type InventoryRequest, type InventoryResult } from '../shared/inventory.js';
import type { RunService } from './service.js';

/** How long a start waits for the worker's answer before it goes ahead (the run's own preflight checks again). */
export const SERVICE_CHECK_TIMEOUT_SECONDS = 15;

/**
 * Whether `serviceName` is a hosting service of the account (`account`, or the default one): `undefined` when it is,
 * or when no worker could say (none polls the queue, or it did not answer: the run's preflight will tell); otherwise
 * the issue to refuse the start with, on the `serviceName` field. An unknown account throws, as a start would.
 */
export async function checkServiceExists(
  runs: Pick<RunService, 'client' | 'taskQueue' | 'accounts'>,
  request: { serviceName: string; account?: string },
  timeoutSeconds = SERVICE_CHECK_TIMEOUT_SECONDS,
): Promise<InputIssue | undefined> {
  const account = resolveAccount(runs.accounts, request.account);
  const target = { temporal: { taskQueue: runs.taskQueue, namespace: runs.client.options.namespace, address: 'the Temporal server' } };
  // No worker: nobody can answer, and the run itself will wait for one; asking would only make the start wait too.
  if ((await workflowPollers(runs.client, target).catch(() => 0)) === 0) return undefined;
  const inventory: InventoryRequest = { kind: 'services', serviceName: request.serviceName };
  try {
    await askWorkerWith<InventoryResult>(runs.client, target, { workflowType: 'inventory', idPrefix: INVENTORY_WORKFLOW_PREFIX, args: [inventory], timeoutSeconds, account });
    return undefined;
  } catch (error) {
    if (error instanceof WorkerAnswerError && error.failureType === FAILURE_TYPES.notFound) {
      return { field: 'serviceName', message: `no hosting service ${request.serviceName} in account ${account} (\`ovhflow ls services\` lists them)` };
    }
    if (error instanceof WorkerAnswerError) return undefined;
    throw error;
  }
}
