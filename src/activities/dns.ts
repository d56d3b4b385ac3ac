// DNS readiness (issue #15): whether a domain points at its hosting (digStatus), the records that would make it, and
// — for a zone served by OVH in the same account — setting exactly its A / AAAA records for that name, restoring them
// exactly on abort. Nothing else of a zone is ever written.
import { Context } from '@temporalio/activity';
import type { OvhClient } from '../ovh/client.js';
import type { DigStatus, ZoneRecord } from '../ovh/types.js';
import {
  type DnsRecordToSet,
  type DnsReport,
  type NameRecordsSnapshot,
  type ResolvedAddress,
  type ZoneRecordSnapshot,
  describeRecords,
  subDomainOf,
  zoneOf,
} from '../shared/dns.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { secondsUntilNextCheck, type PollSchedule } from '../shared/hosting-tasks.js';
import { caaProblem } from './domain-certificates.js';
import { ovhCall, permanentFailure, stillPending } from './failures.js';
import { orUndefined } from './provisioning.js';

const POINTS = 'points the domain at the hosting';
const PROVES = 'proves to OVH that the domain is yours (asked when the domain is attached)';
/** The record types ovhflow sets; every other record of a zone is left alone. */
const ADDRESS_TYPES = ['A', 'AAAA'] as const;

function resolvedAddresses(dig: DigStatus): ResolvedAddress[] {
  return Object.entries(dig.records ?? {}).map(([ip, record]) => ({
    ip,
    type: record.type === 'AAAA' || ip.includes(':') ? 'AAAA' : 'A',
    dnsConfigured: record.dnsConfigured === true,
    isOvhIp: record.isOvhIp === true,
  }));
}

/**
 * The address records that must change: a type is fine when it has addresses and all reach the hosting; a missing
 * AAAA is fine when the A records point (a name need not have IPv6), otherwise both are asked for.
 */
function addressRecordsToSet(domain: string, resolves: ResolvedAddress[], recommended: DnsReport['recommended']): DnsRecordToSet[] {
  const fine = (type: 'A' | 'AAAA') => {
    const of = resolves.filter((address) => address.type === type);
    return of.length > 0 && of.every((address) => address.dnsConfigured);
  };
  const aFine = fine('A');
  const aaaaFine = fine('AAAA') || (aFine && !resolves.some((address) => address.type === 'AAAA'));
  const records: DnsRecordToSet[] = [];
  if (!aFine && recommended.ipv4[0]) records.push({ type: 'A', name: domain, target: recommended.ipv4[0], purpose: POINTS });
  if (!aaaaFine && recommended.ipv6[0]) records.push({ type: 'AAAA', name: domain, target: recommended.ipv6[0], purpose: POINTS });
  return records;
}

function snapshotOf(record: ZoneRecord): ZoneRecordSnapshot {
  return { id: record.id, fieldType: record.fieldType, subDomain: record.subDomain ?? '', target: record.target, ttl: record.ttl ?? 0 };
}

export function createDnsActivities({ ovh }: { ovh: OvhClient }) {
  /** What digStatus says (or, for a domain not attached yet, the hosting's own addresses), and what to change. */
  async function dnsReport(serviceName: string, domain: string, withZone: boolean): Promise<DnsReport> {
    const dig = await orUndefined(() => ovh.getDigStatus(serviceName, domain));
    let recommended: DnsReport['recommended'];
    if (dig) {
      recommended = { ipv4: dig.recommendedIps?.recommendedIpV4 ?? [], ipv6: dig.recommendedIps?.recommendedIpV6 ?? [] };
    } else {
      const service = await ovhCall(() => ovh.getService(serviceName));
      recommended = { ipv4: service.hostingIp ? [service.hostingIp] : [], ipv6: service.hostingIpv6 ? [service.hostingIpv6] : [] };
    }
    const resolves = dig ? resolvedAddresses(dig) : [];
    const pointsAtHosting = resolves.length > 0 && resolves.every((address) => address.dnsConfigured);
    const report: DnsReport = { serviceName, domain, attached: dig !== undefined, pointsAtHosting, recommended, resolves, records: [], present: [] };
    report.records = pointsAtHosting ? [] : addressRecordsToSet(domain, resolves, recommended);
    // What already points at the hosting stays: said, so nobody creates it twice.
    const asked = new Set(report.records.map((record) => record.type));
    report.present = resolves.filter((address) => address.dnsConfigured && !asked.has(address.type)).map((address) => ({ type: address.type, name: domain, target: address.ip, purpose: POINTS }));
    if ((pointsAtHosting || !withZone) && dig) return report;
    const zone = zoneOf(domain, await ovhCall(() => ovh.listDnsZones()));
    if (zone) report.zone = zone;
    else {
      // A domain outside the account's zones is attached only with the hosting's token in `ovhcontrol.<domain>`:
      // an attached one has shown it to OVH already.
      const proof: DnsRecordToSet = { type: 'TXT', name: `ovhcontrol.${domain}`, target: await ovhCall(() => ovh.getHostingToken(serviceName)), purpose: PROVES };
      (dig ? report.present : report.records).push(proof);
    }
    return report;
  }

  /** The name's A / AAAA / CNAME records in the zone, read one by one (the API lists ids only). */
  async function nameRecords(zone: string, subDomain: string): Promise<ZoneRecord[]> {
    const ids = await ovhCall(() => ovh.listZoneRecords(zone, { subDomain }));
    const records = await Promise.all(ids.map((id) => orUndefined(() => ovh.getZoneRecord(zone, id))));
    return records.filter((record): record is ZoneRecord => record !== undefined && (record.subDomain ?? '') === subDomain);
  }

  return {
    /** `ovhflow dns check` and the step's first look: reads only. */
    async checkDns(input: { serviceName: string; domain: string }): Promise<DnsReport> {
      const report = await dnsReport(input.serviceName, input.domain, true);
      if (!report.attached) return report;
      // What a certificate of the domain's own needs besides pointing: a certificate, and CAA letting its authority issue.
      const ssl = await ovhCall(() => ovh.getDomainSsl(input.serviceName, input.domain));
      if (ssl) report.certificate = { provider: ssl.provider, status: ssl.status };
      const caa = await caaProblem(ovh, input.domain, ssl?.provider ?? 'LETSENCRYPT');
      if (caa) report.caaProblem = caa;
      return report;
    },

    /** What an abort of the step restores: the name's address records before ovhflow touched them. */
    async snapshotNameRecords(input: { zone: string; domain: string }): Promise<NameRecordsSnapshot> {
      const subDomain = subDomainOf(input.domain, input.zone);
      const records = await nameRecords(input.zone, subDomain);
      return { zone: input.zone, subDomain, records: records.filter((record) => (ADDRESS_TYPES as readonly string[]).includes(record.fieldType)).map(snapshotOf) };
    },

    /**
     * Makes the name's A and AAAA records the recommended IPs — one record per type, updated in place when there is
     * one, created otherwise, extra ones of that type removed (they would keep the name off the hosting) — then
     * refreshes the zone. An ensure: a second call changes nothing. A CNAME on the name is the owner's choice: refused.
     */
    async pointZoneRecords(input: { zone: string; domain: string; ipv4?: string; ipv6?: string }): Promise<{ records: DnsRecordToSet[] }> {
      const subDomain = subDomainOf(input.domain, input.zone);
      const current = await nameRecords(input.zone, subDomain);
      const cname = current.find((record) => record.fieldType === 'CNAME');
      if (cname) {
        throw permanentFailure(
          FAILURE_TYPES.settingsConflict,
          `${input.domain} is a CNAME to ${cname.target} in zone ${input.zone}: ovhflow does not replace it with A / AAAA records`,
          { hint: 'point the CNAME at the hosting yourself (or replace it), then retry; or retry --set dns=check to wait for your change, or skip' },
        );
      }
      const set: DnsRecordToSet[] = [];
      for (const [type, target] of [['A', input.ipv4], ['AAAA', input.ipv6]] as const) {
        if (!target) continue;
        const ofType = current.filter((record) => record.fieldType === type);
        const keep = ofType.find((record) => record.target === target) ?? ofType[0];
        for (const extra of ofType.filter((record) => record !== keep)) await ovhCall(() => ovh.deleteZoneRecord(input.zone, extra.id));
        if (!keep) await ovhCall(() => ovh.createZoneRecord(input.zone, { fieldType: type, subDomain, target }));
        else if (keep.target !== target) await ovhCall(() => ovh.updateZoneRecord(input.zone, keep.id, { target }));
        if (!keep || keep.target !== target || ofType.length > 1) set.push({ type, name: input.domain, target, purpose: POINTS });
      }
      // Always: records already right may never have been published ("don't forget to refresh the zone").
      await ovhCall(() => ovh.refreshZone(input.zone));
      return { records: set };
    },

    /**
     * Puts the name's A / AAAA records back exactly as the snapshot had them (targets and TTLs; a record ovhflow
     * created is deleted, one it deleted is created again), then refreshes the zone. `absent`: nothing differed.
     */
    async restoreNameRecords(snapshot: NameRecordsSnapshot): Promise<'undone' | 'absent'> {
      const current = (await nameRecords(snapshot.zone, snapshot.subDomain)).filter((record) => (ADDRESS_TYPES as readonly string[]).includes(record.fieldType));
      let changed = false;
      for (const record of current) {
        if (snapshot.records.some((before) => before.id === record.id)) continue;
        await ovhCall(() => ovh.deleteZoneRecord(snapshot.zone, record.id));
        changed = true;
      }
      for (const before of snapshot.records) {
        const now = current.find((record) => record.id === before.id);
        if (!now) {
          await ovhCall(() => ovh.createZoneRecord(snapshot.zone, { fieldType: before.fieldType, subDomain: before.subDomain, target: before.target, ttl: before.ttl }));
          changed = true;
        } else if (now.target !== before.target || (now.ttl ?? 0) !== before.ttl) {
          await ovhCall(() => ovh.updateZoneRecord(snapshot.zone, before.id, { target: before.target, ttl: before.ttl }));
          changed = true;
        }
      }
      if (!changed) return 'absent';
      await ovhCall(() => ovh.refreshZone(snapshot.zone));
      return 'undone';
    },

    /**
     * One check of a DNS wait: the domain points at the hosting (done), or a "still pending" failure whose retry
     * comes on the poll schedule — the activity's retry policy does the waiting, three history events however long.
     */
    async waitForDns(input: { serviceName: string; domain: string; poll: PollSchedule }): Promise<DnsReport> {
      const report = await dnsReport(input.serviceName, input.domain, false);
      if (report.pointsAtHosting) return report;
      const { attempt } = Context.current().info;
      const seen = report.resolves.length > 0 ? `resolves to ${report.resolves.map((address) => address.ip).join(', ')}` : 'resolves to nothing';
      throw stillPending(
        `${input.domain} ${seen}, not (only) to the hosting (check ${attempt}); needs:\n${describeRecords(report.records)}`,
        undefined,
        secondsUntilNextCheck(input.poll, attempt),
      );
    },
  };
}
