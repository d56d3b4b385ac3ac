// updateAttachedDomain's steps, result and workflow id: change an attached domain's settings (path, ssl, cdn,
// firewall, ownLog, runtimeId, ipLocation) with `PUT /hosting/web/{serviceName}/attachedDomain/{domain}`.
import type { AttachedDomainSettings, SettingDifference } from './inputs/attached-domain.js';
import type { AttachedDomainCdn, AttachedDomainFirewall, HostingCountry } from './inputs/ovh-enums.js';

export const DOMAIN_UPDATE_STEPS = [
  { name: 'read', title: 'Read the attached domain' },
  { name: 'update', title: 'Change its settings' },
] as const;

/**
 * What a `PUT` sends: only the settings that change. `null` clears an option (only compensation sends it, to put
 * back a domain that had no ownLog, runtime or IP location).
 */
export interface AttachedDomainChange {
  path?: string;
  ssl?: boolean;
  cdn?: AttachedDomainCdn;
  firewall?: AttachedDomainFirewall;
  ownLog?: string | null;
  runtimeId?: number | null;
  ipLocation?: HostingCountry | null;
  bypassDNSConfiguration?: boolean;
}

/** Each request is its own run (the same settings asked twice: the second finds nothing to change). */
export function domainUpdateWorkflowId(serviceName: string, domain: string, requestId: string): string {
  return `update-attached-domain/${serviceName}/${domain}/${requestId}`;
}

export interface UpdateAttachedDomainResult {
  serviceName: string;
  domain: string;
  /** False when the domain already had every asked setting: nothing was written. */
  changed: boolean;
  /** The settings that changed, before → after. */
  changes: SettingDifference[];
  before: AttachedDomainSettings;
  after: AttachedDomainSettings;
}
