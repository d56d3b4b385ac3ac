// Admin calls for DNS: create a zone in an account (served by /domain/zone, and so by the resolver), and say what
// a domain whose DNS is elsewhere resolves to — now, or after a delay (propagation).
import type { z } from 'zod';
import type { SimulatorCore } from '../core.js';
import { resolveName } from '../dns/resolver.js';
import { recordView, zoneView } from '../dns/zone-handlers.js';
import { addRecord, publishZone } from '../dns/zone-publishing.js';
import { normalizeDomain } from '../hosting/rules.js';
import { DEFAULT_ACCOUNT, type ZoneRecord } from '../state/records.js';
import type { externalDnsInput, zoneInput } from './admin-inputs.js';

export function zoneAdminView(zone: ZoneRecord): Record<string, unknown> {
  return {
    ...zoneView(zone),
    account: zone.account,
    records: [...zone.records.values()].map((record) => recordView(zone, record)),
  };
}

/** Creates the zone (published at once) or, when it exists, moves it to `account` and/or replaces its records. */
export function upsertZone(core: SimulatorCore, rawName: string, input: z.infer<typeof zoneInput>): Record<string, unknown> {
  const name = normalizeDomain(rawName, 'zoneName');
  const now = core.now();
  let zone = core.state.zones.get(name);
  if (!zone) {
    zone = { name, account: input.account ?? DEFAULT_ACCOUNT, records: new Map(), nameServers: ['dns200.ovh.net', 'ns200.ovh.net'], lastUpdate: now, publications: [] };
    core.state.zones.set(name, zone);
    if (!input.records) {
      addRecord(core.state, zone, { fieldType: 'NS', subDomain: '', target: 'dns200.ovh.net.', ttl: 0 });
      addRecord(core.state, zone, { fieldType: 'NS', subDomain: '', target: 'ns200.ovh.net.', ttl: 0 });
    }
  }
  if (input.account) {
    zone.account = input.account;
    core.accounts.ensure(input.account, now);
  }
  if (input.records) {
    zone.records.clear();
    for (const record of input.records) {
      addRecord(core.state, zone, { fieldType: record.fieldType, subDomain: (record.subDomain ?? '').toLowerCase(), target: record.target, ttl: record.ttl ?? 0 });
    }
  }
  publishZone(zone, now, 0);
  return zoneAdminView(zone);
}

/** What public DNS answers for `name` now. */
export function dnsAnswer(core: SimulatorCore, rawName: string): Record<string, unknown> {
  const name = rawName.toLowerCase().replace(/\.$/, '');
  core.settle();
  return { name, ...resolveName(core, name, core.now()) };
}

/** Points a name whose DNS is elsewhere at addresses; with `delayMs` the current answer stays until then. */
export function setExternalDns(core: SimulatorCore, rawName: string, input: z.infer<typeof externalDnsInput>): Record<string, unknown> {
  const name = rawName.toLowerCase().replace(/\.$/, '');
  const now = core.now();
  core.settle(now);
  const entry = core.state.externalDns.get(name) ?? { name, answers: [] };
  if (entry.answers.length === 0 && input.delayMs) {
    const current = resolveName(core, name, now);
    entry.answers.push({ visibleAt: now, a: current.a, aaaa: current.aaaa, txt: current.txt });
  }
  entry.answers = entry.answers.filter((answer) => answer.visibleAt <= now).slice(-1);
  entry.answers.push({ visibleAt: now + (input.delayMs ?? 0), a: input.a ?? [], aaaa: input.aaaa ?? [], txt: input.txt ?? [] });
  core.state.externalDns.set(name, entry);
  return { name, answers: entry.answers.map((answer) => ({ ...answer, visibleAt: new Date(answer.visibleAt).toISOString() })) };
}
