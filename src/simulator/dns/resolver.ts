// What public DNS answers for a name, at a given moment — the simulator's stand-in for `dig`. Three cases:
// - the name is inside a zone the simulator serves (`/domain/zone`, any account: public DNS does not care whose
//   it is): the answer comes from the zone's records as of its last refresh that is visible by then (a refresh
//   becomes visible after `dnsPropagationMs`); CNAMEs are followed, `*` wildcards apply;
// - the admin API said where the name points (DNS hosted elsewhere): that answer, which may change at a set time;
// - neither ("unmodelled"): with `unmodelledDomainsPointAtHosting` (the default, so setups that never modelled DNS
//   behave as before) the name answers the recommended IPs of the hosting it is attached to; otherwise nothing.
import type { SimulatorConfig } from '../config.js';
import type { DnsRecord, SimulatorState, ZoneRecord } from '../state/records.js';
import { recommendedIps } from './hosting-ips.js';

export interface DnsAnswer {
  a: string[];
  aaaa: string[];
  txt: string[];
  source: 'zone' | 'external' | 'unmodelled';
}

export interface DnsWorld {
  state: SimulatorState;
  config: SimulatorConfig;
}

const EMPTY = { a: [], aaaa: [], txt: [] };

/** The served zone a name belongs to: the longest zone name it ends with. */
export function findZone(state: SimulatorState, name: string): ZoneRecord | undefined {
  let best: ZoneRecord | undefined;
  for (const zone of state.zones.values()) {
    if ((name === zone.name || name.endsWith(`.${zone.name}`)) && (!best || zone.name.length > best.name.length)) best = zone;
  }
  return best;
}

/** A name relative to its zone (`blog` in `example.com`, `''` for the apex). */
export function subDomainOf(name: string, zone: string): string {
  return name === zone ? '' : name.slice(0, -(zone.length + 1));
}

export function resolveName(world: DnsWorld, name: string, at: number, depth = 0): DnsAnswer {
  const fqdn = name.toLowerCase().replace(/\.$/, '');
  const external = world.state.externalDns.get(fqdn);
  if (external) {
    const answer = [...external.answers].reverse().find((candidate) => candidate.visibleAt <= at);
    return { ...(answer ? { a: [...answer.a], aaaa: [...answer.aaaa], txt: [...answer.txt] } : EMPTY), source: 'external' };
  }
  const zone = findZone(world.state, fqdn);
  if (zone) return { ...zoneAnswer(world, zone, fqdn, at, depth), source: 'zone' };
  if (!world.config.unmodelledDomainsPointAtHosting) return { ...EMPTY, source: 'unmodelled' };
  for (const service of world.state.services.values()) {
    const attached = service.attachedDomains.get(fqdn);
    if (attached) {
      const ips = recommendedIps(service, attached);
      return { a: [ips.ipv4], aaaa: [ips.ipv6], txt: [], source: 'unmodelled' };
    }
  }
  return { ...EMPTY, source: 'unmodelled' };
}

function zoneAnswer(world: DnsWorld, zone: ZoneRecord, fqdn: string, at: number, depth: number): Omit<DnsAnswer, 'source'> {
  const publication = [...zone.publications].reverse().find((candidate) => candidate.visibleAt <= at);
  if (!publication) return EMPTY;
  const subDomain = subDomainOf(fqdn, zone.name);
  let records = publication.records.filter((record) => record.subDomain === subDomain);
  if (records.length === 0 && subDomain !== '') {
    // A wildcard covers names that have no record of their own, one level or more below it.
    const labels = subDomain.split('.');
    for (let i = 1; i <= labels.length && records.length === 0; i += 1) {
      const wildcard = ['*', ...labels.slice(i)].join('.').replace(/\.$/, '');
      records = publication.records.filter((record) => record.subDomain === wildcard);
    }
  }
  const cname = records.find((record) => record.fieldType === 'CNAME');
  if (cname) {
    if (depth >= 8) return EMPTY;
    const { a, aaaa } = resolveName(world, absoluteTarget(cname, zone.name), at, depth + 1);
    return { a, aaaa, txt: [] };
  }
  return {
    a: records.filter((record) => record.fieldType === 'A').map((record) => record.target),
    aaaa: records.filter((record) => record.fieldType === 'AAAA').map((record) => record.target),
    txt: records.filter((record) => ['TXT', 'SPF', 'DKIM', 'DMARC'].includes(record.fieldType)).map((record) => unquote(record.target)),
  };
}

/** A zone-file target: absolute with a final dot, else relative to the zone. */
function absoluteTarget(record: DnsRecord, zone: string): string {
  return record.target.endsWith('.') ? record.target.slice(0, -1) : `${record.target}.${zone}`;
}

export function unquote(text: string): string {
  return text.replace(/^"(.*)"$/s, '$1');
}
