// dnsCheck: `ovhflow dns check` and `GET /v1/dns/check`, answered on the worker because only the worker holds the OVH
// credentials. Reads only (digStatus, the account's zones, the hosting's token). Short timeouts: someone is waiting.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DnsCheckRequest, DnsReport } from '../shared/dns.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';

const { checkDns } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

export async function dnsCheck(request: DnsCheckRequest): Promise<DnsReport> {
  return checkDns(request);
}
