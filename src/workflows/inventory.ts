// inventory: one read-only listing for `ovhflow ls`, run on the worker because only the worker holds the OVH
// credentials. Short timeouts and a few retries: the CLI is waiting, and a read can always be asked again.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';
import type { InventoryRequest, InventoryResult } from '../shared/inventory.js';

const { listInventory } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A worker that dies mid-call is noticed in seconds, as for every activity (activity-options.ts).
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

export async function inventory(request: InventoryRequest): Promise<InventoryResult> {
  return listInventory(request);
}
