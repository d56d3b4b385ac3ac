// Publishing a zone (what `POST /domain/zone/{zone}/refresh` does) and OVH's automatic DNS configuration: when a
// domain is attached to a hosting (or its CDN / IP location changes) without `bypassDNSConfiguration`, and its zone
// is served by OVH in the same account, OVH points the domain's A / AAAA records at the hosting and refreshes the
// zone. A domain whose DNS is elsewhere is left alone — the customer must change it (digStatus says to what).
import type { AttachedDomainRecord, DnsRecord, HostingService, SimulatorState, ZoneRecord } from '../state/records.js';
import { recommendedIps } from './hosting-ips.js';
import { findZone, subDomainOf } from './resolver.js';

/** Makes the zone's current records what the resolver answers, `delayMs` after `now`. */
export function publishZone(zone: ZoneRecord, now: number, delayMs: number): void {
  zone.lastUpdate = now;
  zone.publications.push({ visibleAt: now + delayMs, records: [...zone.records.values()].map((record) => ({ ...record })) });
  // Keep the newest publication already visible (the resolver's answer now) and any still propagating.
  const visible = zone.publications.filter((publication) => publication.visibleAt <= now);
  const newestVisible = visible[visible.length - 1];
  zone.publications = zone.publications.filter((publication) => publication === newestVisible || publication.visibleAt > now);
}

export function addRecord(state: SimulatorState, zone: ZoneRecord, record: Omit<DnsRecord, 'id'>): DnsRecord {
  const created = { id: state.nextIds.record++, ...record };
  zone.records.set(created.id, created);
  return created;
}

/** OVH's automatic DNS configuration of an attached domain; true when the zone was changed. */
export function configureDomainRecords(
  state: SimulatorState,
  service: HostingService,
  domain: AttachedDomainRecord,
  at: number,
  delayMs: number,
): boolean {
  const zone = findZone(state, domain.domain);
  if (!zone || zone.account !== service.account) return false;
  const subDomain = subDomainOf(domain.domain, zone.name);
  const ips = recommendedIps(service, domain);
  const existing = [...zone.records.values()].filter((record) => record.subDomain === subDomain);
  if (existing.some((record) => record.fieldType === 'CNAME')) return false; // OVH leaves a CNAME alone
  for (const record of existing) if (record.fieldType === 'A' || record.fieldType === 'AAAA') zone.records.delete(record.id);
  addRecord(state, zone, { fieldType: 'A', subDomain, target: ips.ipv4, ttl: 0 });
  addRecord(state, zone, { fieldType: 'AAAA', subDomain, target: ips.ipv6, ttl: 0 });
  publishZone(zone, at, delayMs);
  return true;
}
