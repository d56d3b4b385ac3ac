// `ovhflow credentials request|check`, run on the worker: the OVH application secret and consumer key never leave
// it, and the new consumer key a request returns travels encrypted (payload codec) to the CLI that asked for it.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';
import type { CredentialCheckResult, CredentialRequestInput, CredentialRequestResult, ServiceAccountCheckResult } from '../shared/credentials.js';

const { requestConsumerKey, checkCurrentCredential } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // A worker that dies mid-call is noticed in seconds, as for every activity (activity-options.ts).
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** A new consumer key with exactly the access rules ovhflow needs, waiting for a person to validate it. */
export async function requestCredentials(input: CredentialRequestInput = {}): Promise<CredentialRequestResult> {
  return requestConsumerKey(input);
}

/** What the worker's consumer key may do, and which needed calls it lacks. */
export async function checkCredentials(): Promise<CredentialCheckResult | ServiceAccountCheckResult> {
  return checkCurrentCredential();
}
