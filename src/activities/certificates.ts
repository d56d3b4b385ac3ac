// renewCertificate's and decommissionSite's certificate reads. OVH's API tells which certificate a hosting has
// (provider, status) and which domains it covers, never its PEM nor its expiry: a renewal's "expires later" check
// needs the caller to hand the current certificate (`--current-certificate`), everything else is read here.
import { certificateCovers, certificateValidTo, checkRenewalCertificate } from '../inputs/certificate.js';
import { registerSecretValue } from '../logging/secret-values.js';
import type { OvhClient } from '../ovh/client.js';
import type { CurrentCertificate, RenewalPlan } from '../shared/certificates.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { formatIssues, type RenewCertificateInput } from '../shared/inputs/index.js';
import { ovhCall, permanentFailure } from './failures.js';
import { orUndefined, requireActiveService } from './provisioning.js';

/** The hosting's certificate and the domains it covers, or undefined when it has none. */
export async function currentCertificate(ovh: OvhClient, serviceName: string): Promise<CurrentCertificate | undefined> {
  const ssl = await orUndefined(() => ovh.getSsl(serviceName));
  if (!ssl) return undefined;
  const domains = ssl.status === 'created' ? await ovhCall(() => ovh.listSslDomains(serviceName)) : [];
  return { provider: ssl.provider, status: ssl.status, domains: [...domains].sort() };
}

/** The attached domains, with whether each has SSL on (one read each: the listing gives names only). */
export async function attachedDomains(ovh: OvhClient, serviceName: string): Promise<Array<{ domain: string; path: string; ssl: boolean; status: string }>> {
  const names = await ovhCall(() => ovh.listAttachedDomains(serviceName));
  const found = [];
  for (const name of names) {
    const domain = await orUndefined(() => ovh.getAttachedDomain(serviceName, name));
    if (domain) found.push({ domain: domain.domain, path: domain.path, ssl: Boolean(domain.ssl), status: domain.status });
  }
  return found;
}

export function createCertificateActivities({ ovh }: { ovh: OvhClient }) {
  return {
    /**
     * Everything a renewal checks before its first write. The domains the new certificate must cover: those the
     * current one covers that are still attached, or — without a current certificate — the attached domains with SSL
     * on. A refusal is an answer (`ok: false`), so the run fails at once with every problem named, nothing changed.
     */
    async preflightCertificateRenewal(input: RenewCertificateInput): Promise<RenewalPlan> {
      if (input.mode === 'custom') registerSecretValue(input.key);
      await requireActiveService(ovh, input.serviceName);
      const current = await currentCertificate(ovh, input.serviceName);
      if (current && current.status !== 'created') {
        throw permanentFailure(FAILURE_TYPES.conflict, `the certificate of ${input.serviceName} is ${current.status}: an OVH task is working on it`, {
          hint: 'wait until `ovhflow ls services` (or the Control Panel) shows the certificate created, then retry',
        });
      }
      const attached = await attachedDomains(ovh, input.serviceName);
      const attachedNames = new Set(attached.map((d) => d.domain));
      const sslDomains = attached.filter((d) => d.ssl && d.status === 'created').map((d) => d.domain).sort();
      const domains = current ? current.domains.filter((d) => attachedNames.has(d)) : sslDomains;

      if (input.mode === 'letsencrypt') {
        if (sslDomains.length === 0) {
          return { ok: false, problems: `mode: Let's Encrypt needs an attached domain with SSL on, and ${input.serviceName} has none` };
        }
        const action = current?.provider === 'LETSENCRYPT' ? 'regenerate' : current ? 'replace' : 'install';
        return { ok: true, ...(current ? { current } : {}), action, domains: sslDomains, uncovered: [] };
      }
      const issues = checkRenewalCertificate(input, { domains });
      if (issues.length > 0) return { ok: false, problems: formatIssues(issues) };
      const plan: RenewalPlan = {
        ok: true,
        ...(current ? { current } : {}),
        action: current ? 'replace' : 'install',
        domains,
        uncovered: sslDomains.filter((d) => !certificateCovers(input.certificate, d)),
        validTo: certificateValidTo(input.certificate)?.toISOString(),
      };
      return plan;
    },

    /** What the certificate covers now (the end of a renewal reports it). */
    async describeCertificate(args: { serviceName: string }): Promise<CurrentCertificate | undefined> {
      return currentCertificate(ovh, args.serviceName);
    },
  };
}
