// What the OVH client records per call (client.ts calls these): kept here so the client stays about OVH.
import { currentAccount } from '../ovh/account-context.js';
import { accountLabel, ovhRefused, ovhRequestDuration, ovhRequests, ovhWaitSeconds } from './registry.js';

/**
 * One answered (or failed) call. `operation` is the operations table's name; `status` the HTTP status, or the
 * failure kind (network, timeout) when no HTTP answer came.
 */
export function recordOvhCall(operation: string, status: number | string, seconds: number): void {
  const account = accountLabel(currentAccount());
  ovhRequests.inc({ account, operation, status: String(status) });
  ovhRequestDuration.observe({ account, operation }, seconds);
  if (status === 429) ovhRefused.inc({ account, operation });
}

/** Time a call waited before being sent: on the client's token bucket, or on OVH's Retry-After. */
export function recordOvhWait(reason: 'rate-limit' | 'retry-after', seconds: number): void {
  if (seconds <= 0) return;
  ovhWaitSeconds.inc({ account: accountLabel(currentAccount()), reason }, seconds);
}
