// The options of an attached domain (`hosting.web.AttachedDomain`, the body of `POST` and `PUT
// /hosting/web/{serviceName}/attachedDomain`): the plain rules, without zod, so provisioning's `retry --set`
// validator, the updateAttachedDomain workflow and the zod schemas (./provision-site.ts, ./domain-update.ts) judge
// them the same way. An option left out is never sent, and never compared: OVH keeps (or defaults) it.
import { normalizeDomainName } from './common.js';
import { type Checked, quote } from './issues.js';
import {
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  HOSTING_COUNTRIES,
  type AttachedDomainCdn,
  type AttachedDomainFirewall,
  type HostingCountry,
} from './ovh-enums.js';
import { checkEnum, checkWholeNumber, ID_RULES } from './values.js';

export interface AttachedDomainOptions {
  /** Served through the hosting's CDN. */
  cdn?: AttachedDomainCdn;
  /** OVH's application firewall for this domain. */
  firewall?: AttachedDomainFirewall;
  /** Another attached domain (or this one) whose logs this domain's are written with. */
  ownLog?: string;
  /** The hosting runtime (PHP version, Node.js...) the domain runs on: `GET /hosting/web/{serviceName}/runtime`. */
  runtimeId?: number;
  /** The country of the hosting IP the domain's DNS points at (geolocation). */
  ipLocation?: HostingCountry;
  /** Sent only: OVH then leaves the domain's DNS zone alone (no automatic A/AAAA records). */
  bypassDNSConfiguration?: boolean;
}

export const ATTACHED_DOMAIN_OPTION_KEYS = ['cdn', 'firewall', 'ownLog', 'runtimeId', 'ipLocation', 'bypassDNSConfiguration'] as const satisfies ReadonlyArray<keyof AttachedDomainOptions>;

/** `true`/`false` as a flag or a `--set` value gives them (JSON booleans pass as they are). */
export function checkBooleanText(raw: unknown): Checked<boolean> {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (raw === 'true') return { ok: true, value: true };
  if (raw === 'false') return { ok: true, value: false };
  return { ok: false, message: `${typeof raw === 'string' ? quote(raw) : 'this value'} is not allowed; use true or false` };
}

/** Each option's rule, in the order messages list them. */
export const ATTACHED_DOMAIN_OPTION_RULES: Readonly<Record<keyof AttachedDomainOptions, (raw: unknown) => Checked<unknown>>> = {
  cdn: (raw) => checkEnum(ATTACHED_DOMAIN_CDN_STATES, raw),
  firewall: (raw) => checkEnum(ATTACHED_DOMAIN_FIREWALL_STATES, raw),
  ownLog: (raw) => (typeof raw === 'string' ? normalizeDomainName(raw) : { ok: false, message: 'must be a domain name as text' }),
  runtimeId: (raw) => checkWholeNumber(ID_RULES, raw),
  ipLocation: (raw) => checkEnum(HOSTING_COUNTRIES, raw),
  bypassDNSConfiguration: checkBooleanText,
};

/** The settings an attached domain has, as `GET .../attachedDomain/{domain}` reads them. */
export interface AttachedDomainSettings {
  path: string;
  ssl: boolean;
  cdn: string;
  firewall: string;
  ownLog: string | null;
  runtimeId: number | null;
  ipLocation: string | null;
}

/** What a run asks of a domain: a path and ssl (provisioning always asks both), and any options. */
export type AskedAttachedDomainSettings = Partial<Pick<AttachedDomainSettings, 'path' | 'ssl'>> & Omit<AttachedDomainOptions, 'bypassDNSConfiguration'>;

export interface SettingDifference {
  field: keyof AttachedDomainSettings;
  found: string;
  asked: string;
}

const relative = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');
const shown = (value: string | number | boolean | null | undefined) => (value === null || value === undefined ? 'none' : typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value));

/** Which asked settings the domain does not have; a setting not asked never differs. */
export function attachedDomainDifferences(found: AttachedDomainSettings, asked: AskedAttachedDomainSettings): SettingDifference[] {
  const differences: SettingDifference[] = [];
  const compare = (field: keyof AttachedDomainSettings, same: boolean, askedValue: string | number | boolean) => {
    if (!same) differences.push({ field, found: shown(found[field]), asked: shown(askedValue) });
  };
  if (asked.path !== undefined) compare('path', relative(found.path) === relative(asked.path), asked.path);
  if (asked.ssl !== undefined) compare('ssl', Boolean(found.ssl) === asked.ssl, asked.ssl);
  if (asked.cdn !== undefined) compare('cdn', found.cdn === asked.cdn, asked.cdn);
  if (asked.firewall !== undefined) compare('firewall', found.firewall === asked.firewall, asked.firewall);
  if (asked.ownLog !== undefined) compare('ownLog', (found.ownLog ?? '').toLowerCase() === asked.ownLog.toLowerCase(), asked.ownLog);
  if (asked.runtimeId !== undefined) compare('runtimeId', found.runtimeId === asked.runtimeId, asked.runtimeId);
  if (asked.ipLocation !== undefined) compare('ipLocation', found.ipLocation === asked.ipLocation, asked.ipLocation);
  return differences;
}

/** `path is "www" (asked "blog"), cdn is none (asked active)`. */
export function describeDifferences(differences: readonly SettingDifference[]): string {
  return differences.map((d) => (d.field === 'path' ? `path is "${d.found}" (asked "${d.asked}")` : `${d.field} is ${d.found} (asked ${d.asked})`)).join(', ');
}

/** The options of an input, without the keys it does not give (what is sent to OVH and compared). */
export function attachedDomainOptionsOf(input: AttachedDomainOptions): AttachedDomainOptions {
  const options: Record<string, unknown> = {};
  for (const key of ATTACHED_DOMAIN_OPTION_KEYS) if (input[key] !== undefined) options[key] = input[key];
  return options;
}
