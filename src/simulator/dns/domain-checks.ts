// What OVH checks about a domain's DNS: whether it points at a hosting (Let's Encrypt validates over HTTP, so every
// A / AAAA record must reach the hosting), whether the caller may attach it (a domain outside the account's own
// zones must carry the hosting's token in an `ovhcontrol` TXT record), and `digStatus`, which reports both the
// recommended IPs and each address the domain resolves to.
import type { AttachedDomainRecord, HostingService } from '../state/records.js';
import { hostingAddresses, isOvhAddress, recommendedIps } from './hosting-ips.js';
import { findZone, resolveName, type DnsWorld } from './resolver.js';

export function pointsAtHosting(world: DnsWorld, service: HostingService, domain: string, at: number): boolean {
  const answer = resolveName(world, domain, at);
  const addresses = [...answer.a, ...answer.aaaa];
  if (addresses.length === 0) return false;
  const reachable = hostingAddresses(service);
  return addresses.every((ip) => reachable.has(ip));
}

/** Why `service` may not take `domain`, or null. The account's own zones need no proof; any other domain whose
 * DNS is modelled needs `ovhcontrol.<domain>` (or `ovhcontrol.<a parent>`) TXT = the hosting's token. */
export function ownershipProblem(world: DnsWorld, service: HostingService, domain: string, at: number): string | null {
  const zone = findZone(world.state, domain);
  if (zone?.account === service.account && !world.state.externalDns.has(domain)) return null;
  if (resolveName(world, domain, at).source === 'unmodelled' && world.config.unmodelledDomainsPointAtHosting) return null;
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i += 1) {
    const txt = resolveName(world, `ovhcontrol.${labels.slice(i).join('.')}`, at).txt;
    if (txt.includes(service.token)) return null;
  }
  return (
    `The domain ${domain} is not managed by your account: create the TXT record ovhcontrol.${domain} ` +
    `with the token of the hosting (GET /hosting/web/${service.serviceName}/token), then retry`
  );
}

/** `hosting.web.attachedDomain.DigStatus`: `records` maps each address the domain resolves to to its state. */
export function digStatusView(world: DnsWorld, service: HostingService, domain: AttachedDomainRecord, at: number): Record<string, unknown> {
  const ips = recommendedIps(service, domain);
  const answer = resolveName(world, domain.domain, at);
  const reachable = hostingAddresses(service);
  const records: Record<string, unknown> = {};
  for (const [type, list] of [['A', answer.a], ['AAAA', answer.aaaa]] as const) {
    for (const ip of list) records[ip] = { dnsConfigured: reachable.has(ip), isOvhIp: isOvhAddress(world.state, ip), type };
  }
  return { domain: domain.domain, recommendedIps: { recommendedIpV4: [ips.ipv4], recommendedIpV6: [ips.ipv6] }, records };
}

/** The domain a certification authority names itself by in CAA `issue` records. */
export const CAA_ISSUERS = { LETSENCRYPT: 'letsencrypt.org', SECTIGO: 'sectigo.com' } as const;

/**
 * Whether CAA lets `issuer` issue for `domain` (RFC 8659): the closest name, from the domain up to its zone's apex,
 * that has CAA records decides; without any, every authority may. Only zones the simulator serves carry CAA.
 */
export function caaAllows(world: DnsWorld, domain: string, issuer: string, at: number): boolean {
  const zone = findZone(world.state, domain);
  if (!zone) return true;
  const publication = [...zone.publications].reverse().find((candidate) => candidate.visibleAt <= at);
  if (!publication) return true;
  const labels = domain.split('.');
  for (let i = 0; i < labels.length; i += 1) {
    const name = labels.slice(i).join('.');
    if (name.length < zone.name.length) break;
    const subDomain = name === zone.name ? '' : name.slice(0, -(zone.name.length + 1));
    const issues = publication.records
      .filter((record) => record.fieldType === 'CAA' && record.subDomain === subDomain)
      .map((record) => /^\s*\d+\s+(issue|issuewild|iodef)\s+"?([^";\s]*)/i.exec(record.target))
      .filter((match): match is RegExpExecArray => match !== null);
    if (issues.length === 0) continue;
    const issuers = issues.filter((match) => match[1]!.toLowerCase() === 'issue').map((match) => match[2]!.toLowerCase());
    return issuers.length === 0 || issuers.includes(issuer);
  }
  return true;
}
