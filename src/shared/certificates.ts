// renewCertificate's steps, plan, result and business key. Sandbox-safe: no Node built-ins, no I/O.
import type { HostedSslProvider } from './inputs/ovh-enums.js';

export const RENEW_CERTIFICATE_STEPS = [
  { name: 'preflight', title: 'Check the new certificate' },
  { name: 'confirm', title: 'Confirm the replacement' },
  { name: 'removeOld', title: 'Remove the old certificate' },
  { name: 'install', title: 'Install the new certificate' },
] as const;

/** One renewal per service and request: the same request twice finds the first run. */
export function renewCertificateWorkflowId(serviceName: string, requestId: string): string {
  return `renew-certificate/${serviceName}/${requestId}`;
}

export interface CurrentCertificate {
  provider: HostedSslProvider;
  status: string;
  domains: string[];
}

/** What preflight found, before any write: either the problems that refuse the renewal, or how to do it. */
export type RenewalPlan =
  | { ok: false; problems: string }
  | {
      ok: true;
      current?: CurrentCertificate;
      /** How the new certificate goes in: OVH has no update call, so a certificate is replaced by delete + create. */
      action: 'regenerate' | 'replace' | 'install';
      /** The domains the new certificate must cover (and is checked to). */
      domains: string[];
      /** Attached domains with SSL on that the new certificate will not cover (shown, not refused). */
      uncovered: string[];
      /** A custom certificate's end of validity. */
      validTo?: string;
    };

export interface RenewCertificateResult {
  serviceName: string;
  provider: string;
  action: 'regenerated' | 'replaced' | 'installed' | 'ordered';
  /** What the certificate covers now (`/ssl/domains`). */
  domains: string[];
  validTo?: string;
  previous?: CurrentCertificate;
  /** `domain`: an attached domain's own certificate was renewed (`--domain`), not the hosting's. */
  scope?: 'domain';
  /** How the removal of the old certificate was confirmed, when there was one to remove. */
  confirmedBy?: 'input' | 'update';
}
