// DNS readiness (issue #15): what a domain points at, the records that would make it point at its hosting, and what
// the provisioning's `dns` step did. Shared by the workflow, the activities, `ovhflow dns check` and the HTTP API.

/** `--dns`: `auto` sets the records when the zone is at OVH in the same account; `check` never writes DNS; `skip`: no step. */
export const DNS_MODES = ['auto', 'check', 'skip'] as const;
export type DnsMode = (typeof DNS_MODES)[number];
export const DEFAULT_DNS_MODE: DnsMode = 'auto';

/** Real DNS changes propagate within hours; a day is long enough for a TTL of a day, short enough to be noticed. */
export const DEFAULT_DNS_DEADLINE_MINUTES = 24 * 60;

/** One record someone must create or change (or that ovhflow set), in zone-file words. */
export interface DnsRecordToSet {
  type: 'A' | 'AAAA' | 'TXT';
  /** The full name, e.g. `blog.example.com` or `ovhcontrol.blog.example.com`. */
  name: string;
  target: string;
  /** Why: `points the domain at the hosting`, `proves to OVH that the domain is yours`. */
  purpose: string;
}

/** One address the domain resolves to now, as digStatus reports it. */
export interface ResolvedAddress {
  ip: string;
  type: 'A' | 'AAAA';
  /** It reaches this hosting. */
  dnsConfigured: boolean;
  isOvhIp: boolean;
}

export interface DnsReport {
  serviceName: string;
  domain: string;
  /** digStatus is only known for an attached domain; otherwise the hosting's own addresses are the recommendation. */
  attached: boolean;
  /** Every A / AAAA address of the domain reaches the hosting (and there is at least one). */
  pointsAtHosting: boolean;
  recommended: { ipv4: string[]; ipv6: string[] };
  resolves: ResolvedAddress[];
  /** The OVH DNS zone of the same account that serves the domain (the longest suffix), if any. */
  zone?: string;
  /** What to create or change so the domain points at the hosting; empty when it already does. */
  records: DnsRecordToSet[];
  /** `dns check`: the domain's own certificate (OVH's 2026 per-domain certificates), when it has one. */
  certificate?: { provider: string; status: string };
  /** `dns check`: a CAA record that keeps the free certificate's authority from issuing for the domain. */
  caaProblem?: string;
  /**
   * Records already in place, not to create again: the address records that reach the hosting, and the `ovhcontrol`
   * TXT once OVH accepted it (the domain is attached). Absent in reports of workers older than this field.
   */
  present?: DnsRecordToSet[];
}

/** What the provisioning's `dns` step did: in the run's result as `dns`. */
export interface ProvisionDnsResult {
  action: 'adopted' | 'records-set' | 'external' | 'skipped';
  /** The records ovhflow set (`records-set`) or that had to be created elsewhere (`external`, `skipped`). */
  records: DnsRecordToSet[];
  zone?: string;
}

/** A record of a zone, as ovhflow remembers it to restore it exactly. */
export interface ZoneRecordSnapshot {
  id: number;
  fieldType: string;
  subDomain: string;
  target: string;
  ttl: number;
}

/** The A / AAAA (and CNAME) records of one name in a zone before ovhflow changed them: what an abort restores. */
export interface NameRecordsSnapshot {
  zone: string;
  subDomain: string;
  records: ZoneRecordSnapshot[];
}

export const DNS_CHECK_WORKFLOW_PREFIX = 'dns-check/';

/** The name relative to its zone (`blog` in `example.com`, `''` for the apex). */
export function subDomainOf(domain: string, zone: string): string {
  return domain === zone ? '' : domain.slice(0, -(zone.length + 1));
}

/** The zone serving a domain among `zones`: the longest one it ends with. */
export function zoneOf(domain: string, zones: readonly string[]): string | undefined {
  return zones
    .filter((zone) => domain === zone || domain.endsWith(`.${zone}`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The records, one per line, as a person would type them at a DNS provider. */
export function describeRecords(records: readonly DnsRecordToSet[]): string {
  return records.map((record) => `${record.name} ${record.type} ${record.target}  (${record.purpose})`).join('\n');
}

/** `ovhflow dns check` / `GET /v1/dns/check`: one domain of one hosting service. */
export interface DnsCheckRequest {
  serviceName: string;
  domain: string;
}
