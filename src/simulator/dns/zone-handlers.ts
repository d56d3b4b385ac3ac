// /domain/zone: the DNS zones of the caller's account. Record changes are immediate in the zone but reach public
// DNS only with `POST /refresh` ("Don't forget to refresh the zone", says the schema), after `dnsPropagationMs`.
// A zone of another account does not exist for the caller, as on OVH.
import { isIP } from 'node:net';
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { DnsRecord, ZoneRecord } from '../state/records.js';
import { allowedByIam, type Handler, type HandlerContext } from '../hosting/handler-context.js';
import { iamMetadata } from '../hosting/views.js';
import { addRecord, publishZone } from './zone-publishing.js';

function requireZone(context: HandlerContext): ZoneRecord {
  const zone = context.core.state.zones.get(String(context.path.zoneName).toLowerCase());
  if (!zone || zone.account !== context.account) throw apiErrors.serviceNotFound();
  return zone;
}

function requireDnsRecord(zone: ZoneRecord, id: number): DnsRecord {
  const record = zone.records.get(id);
  if (!record) throw apiErrors.objectNotFound('id', id);
  return record;
}

const HOSTNAME = /^(?=.{1,253}\.?$)(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_-]{1,63}(?<!-)\.?$/i;

function normalizeSubDomain(value: unknown): string {
  const subDomain = (typeof value === 'string' ? value : '').trim().toLowerCase().replace(/\.$/, '');
  if (subDomain !== '' && !/^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9_*-]+$/.test(subDomain)) throw apiErrors.badRequest(`[subDomain] Invalid subdomain: ${String(value)}`);
  return subDomain;
}

/** The target a record of this type must have (what OVH's zone checks refuse, as a 400 naming `target`). */
function checkTarget(fieldType: string, target: string): string {
  const value = target.trim();
  const invalid = () => apiErrors.badRequest(`[target] Invalid target for a ${fieldType} record: ${target}`);
  if (value === '') throw invalid();
  if (fieldType === 'A' && isIP(value) !== 4) throw invalid();
  if (fieldType === 'AAAA' && isIP(value) !== 6) throw invalid();
  if ((fieldType === 'CNAME' || fieldType === 'NS' || fieldType === 'DNAME' || fieldType === 'PTR') && !HOSTNAME.test(value)) throw invalid();
  if (fieldType === 'MX' && !/^\d{1,5} \S+$/.test(value)) throw invalid();
  return fieldType === 'CNAME' || fieldType === 'NS' ? value.toLowerCase() : value;
}

function checkTtl(ttl: unknown): number {
  if (ttl === undefined || ttl === null || ttl === 0) return 0;
  if (typeof ttl !== 'number' || ttl < 60 || ttl > 86_400 * 7) throw apiErrors.badRequest('[ttl] The TTL must be 0 (the zone default) or between 60 and 604800 seconds');
  return ttl;
}

/** A CNAME is alone on its name (RFC 1034); OVH refuses a zone that breaks it. */
function checkCoexistence(zone: ZoneRecord, candidate: Omit<DnsRecord, 'id'>, ignoreId?: number): void {
  const others = [...zone.records.values()].filter((record) => record.subDomain === candidate.subDomain && record.id !== ignoreId);
  if (others.some((record) => record.fieldType === 'CNAME') || (candidate.fieldType === 'CNAME' && others.length > 0)) {
    throw apiErrors.badRequest(`[subDomain] A CNAME record cannot coexist with other records on ${candidate.subDomain || zone.name}`);
  }
  if (others.some((record) => record.fieldType === candidate.fieldType && record.target === candidate.target)) {
    throw apiErrors.conflict(`This ${candidate.fieldType} record already exists on ${candidate.subDomain || zone.name}`);
  }
}

export function recordView(zone: ZoneRecord, record: DnsRecord): Record<string, unknown> {
  return { fieldType: record.fieldType, id: record.id, subDomain: record.subDomain, target: record.target, ttl: record.ttl, zone: zone.name };
}

export function zoneView(zone: ZoneRecord): Record<string, unknown> {
  return {
    dnssecSupported: true,
    hasDnsAnycast: false,
    iam: iamMetadata(`dnsZone:${zone.name}`, zone.name, null),
    lastUpdate: new Date(zone.lastUpdate).toISOString(),
    name: zone.name,
    nameServers: [...zone.nameServers],
  };
}

export const zoneHandlers = {
  'GET /domain/zone': (context) =>
    [...context.core.state.zones.values()]
      .filter((zone) => zone.account === context.account && allowedByIam(context, 'dnsZone:apiovh:get', `dnsZone:${zone.name}`))
      .map((zone) => zone.name)
      .sort(),

  'GET /domain/zone/{zoneName}': (context) => zoneView(requireZone(context)),

  'GET /domain/zone/{zoneName}/record': (context) => {
    const zone = requireZone(context);
    const subDomain = context.query.subDomain === undefined ? undefined : normalizeSubDomain(context.query.subDomain);
    return [...zone.records.values()]
      .filter((record) => (context.query.fieldType === undefined || record.fieldType === context.query.fieldType) && (subDomain === undefined || record.subDomain === subDomain))
      .map((record) => record.id)
      .sort((a, b) => a - b);
  },

  'POST /domain/zone/{zoneName}/record': (context) => {
    const zone = requireZone(context);
    const { body } = context;
    const fieldType = body.fieldType as string;
    const candidate = { fieldType, subDomain: normalizeSubDomain(body.subDomain), target: checkTarget(fieldType, body.target as string), ttl: checkTtl(body.ttl) };
    checkCoexistence(zone, candidate);
    return recordView(zone, addRecord(context.core.state, zone, candidate));
  },

  'GET /domain/zone/{zoneName}/record/{id}': (context) => {
    const zone = requireZone(context);
    return recordView(zone, requireDnsRecord(zone, context.path.id as number));
  },

  'PUT /domain/zone/{zoneName}/record/{id}': (context) => {
    const zone = requireZone(context);
    const record = requireDnsRecord(zone, context.path.id as number);
    const { body } = context;
    const updated = {
      fieldType: record.fieldType,
      subDomain: body.subDomain === undefined ? record.subDomain : normalizeSubDomain(body.subDomain),
      target: body.target === undefined ? record.target : checkTarget(record.fieldType, body.target as string),
      ttl: body.ttl === undefined ? record.ttl : checkTtl(body.ttl),
    };
    checkCoexistence(zone, updated, record.id);
    Object.assign(record, updated);
    return null;
  },

  'DELETE /domain/zone/{zoneName}/record/{id}': (context) => {
    const zone = requireZone(context);
    requireDnsRecord(zone, context.path.id as number);
    zone.records.delete(context.path.id as number);
    return null;
  },

  'POST /domain/zone/{zoneName}/refresh': (context) => {
    const zone = requireZone(context);
    publishZone(zone, context.now, context.core.config.dnsPropagationMs);
    return null;
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
