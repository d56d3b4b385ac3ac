// dnsCheck: `ovhflow dns check` and `GET /v1/dns/check`, answered on the worker because only the worker holds the OVH
// credentials. Reads only (digStatus, the account's zones, the hosting's token): one local activity, the same
// read-only lookup the provisioning's DNS step starts with.
import type { DnsCheckRequest, DnsReport } from '../shared/dns.js';
import { lookup } from './activity-options.js';

export async function dnsCheck(request: DnsCheckRequest): Promise<DnsReport> {
  return lookup.checkDns(request);
}
