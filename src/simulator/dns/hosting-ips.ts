// The addresses a hosting answers on, as OVH hands them out: the cluster's own IPv4/IPv6 (`clusterIp`,
// `clusterIpv6`, also the recommended `hostingIp`), one pair per country for `ipLocation` (`countriesIp`), and the
// CDN's when a domain has `cdn: active`. All are documentation ranges (RFC 5737 / RFC 3849), derived from the
// cluster's number so they are stable, and `isOvhIp` in digStatus means "one of these, on any simulated hosting".
import type { AttachedDomainRecord, HostingService, SimulatorState } from '../state/records.js';

/** `hosting.web.CountryEnum`. */
export const IP_COUNTRIES = ['BE', 'CA', 'CZ', 'DE', 'ES', 'FI', 'FR', 'IE', 'IT', 'LT', 'NL', 'PL', 'PT', 'UK'] as const;

export interface IpPair {
  ipv4: string;
  ipv6: string;
}

function clusterNumber(service: HostingService): number {
  return Number(/(\d+)$/.exec(service.cluster)?.[1] ?? '0') % 250;
}

/** The cluster's IPs in a country: France is the cluster itself, the others are the cluster's geolocated IPs. */
export function countryIps(service: HostingService, country: string): IpPair {
  if (country === 'FR') return { ipv4: service.clusterIp, ipv6: service.clusterIpv6 };
  const index = IP_COUNTRIES.indexOf(country as (typeof IP_COUNTRIES)[number]) + 1;
  const n = clusterNumber(service);
  return { ipv4: `198.51.100.${(index * 16 + (n % 16)) % 256}`, ipv6: `2001:db8:${index.toString(16)}::${n.toString(16)}` };
}

export function cdnIps(service: HostingService): IpPair {
  const n = clusterNumber(service);
  return { ipv4: `198.18.0.${n}`, ipv6: `2001:db8:cd::${n.toString(16)}` };
}

/** What a domain's A / AAAA records should hold: the CDN's IPs with the CDN on, else its country's, else the cluster's. */
export function recommendedIps(service: HostingService, domain: Pick<AttachedDomainRecord, 'cdn' | 'ipLocation'> | undefined): IpPair {
  if (domain?.cdn === 'active') return cdnIps(service);
  if (domain?.ipLocation) return countryIps(service, domain.ipLocation);
  return { ipv4: service.clusterIp, ipv6: service.clusterIpv6 };
}

/** Every address that reaches this hosting (a domain pointing at any of them is served by it). */
export function hostingAddresses(service: HostingService): Set<string> {
  const addresses = new Set<string>();
  for (const pair of [...IP_COUNTRIES.map((country) => countryIps(service, country)), cdnIps(service)]) {
    addresses.add(pair.ipv4);
    addresses.add(pair.ipv6);
  }
  return addresses;
}

export function isOvhAddress(state: SimulatorState, ip: string): boolean {
  for (const service of state.services.values()) if (hostingAddresses(service).has(ip)) return true;
  return false;
}
