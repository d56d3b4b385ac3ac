// The certificate watch's reads. OVH's API says which certificate covers which domains (provider, status), never when
// it expires: the expiry is read from the certificate each domain actually serves, over TLS — which is also what a
// visitor sees, so a Let's Encrypt renewal OVH did not make shows up here.
import { connect } from 'node:tls';
import { currentCertificate } from './certificates.js';
import { ovhCall } from './failures.js';
import { currentAccount } from '../ovh/account-context.js';
import type { OvhClient } from '../ovh/client.js';
import { recordCertificateExpiry } from '../metrics/registry.js';
import type { CertificateReading } from '../shared/certificate-watch.js';

export interface ServedCertificate {
  validTo: Date;
  issuer: string;
}

/** Reads the certificate `domain` serves. */
export type CertificateProbe = (domain: string) => Promise<ServedCertificate>;

const PROBE_TIMEOUT_MS = 10_000;

/**
 * A TLS handshake with the domain (SNI), on port 443 of the address it resolves to, or of `connectTo`'s answer (a
 * site not yet in DNS, tests). The chain is not verified: an expired or self-signed certificate is still read.
 */
export function tlsCertificateProbe(connectTo: (domain: string) => { host: string; port: number } = (domain) => ({ host: domain, port: 443 })): CertificateProbe {
  return (domain) =>
    new Promise((resolve, reject) => {
      const { host, port } = connectTo(domain);
      const socket = connect({ host, port, servername: domain, rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS }, () => {
        const certificate = socket.getPeerCertificate();
        socket.destroy();
        if (!certificate?.valid_to) return reject(new Error('no certificate served'));
        const issuer = certificate.issuer as unknown as Record<string, string | undefined> | undefined;
        resolve({ validTo: new Date(certificate.valid_to), issuer: issuer?.O ?? issuer?.CN ?? 'unknown' });
      });
      socket.once('timeout', () => socket.destroy(new Error(`no TLS answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    });
}

/**
 * Which certificate covers which domain of a hosting, as OVH says. The one place that knows where: today the
 * hosting-wide `GET /ssl` and `/ssl/domains`; with the 2026 API's per-domain certificates, `GET
 * .../attachedDomain/{domain}/ssl` for each attached domain, here and nowhere else.
 */
export async function certificatesOf(ovh: OvhClient, serviceName: string): Promise<Array<{ domain: string; provider: string; status: string }>> {
  // OVH's 2026 API gives each attached domain a certificate of its own; the hosting-wide one covers the rest.
  const current = await currentCertificate(ovh, serviceName);
  const found = new Map((current?.domains ?? []).map((domain) => [domain, { domain, provider: current?.provider ?? 'unknown', status: current?.status ?? 'unknown' }]));
  for (const domain of await ovhCall(() => ovh.listAttachedDomains(serviceName))) {
    const own = await ovhCall(() => ovh.getDomainSsl(serviceName, domain));
    if (own) found.set(domain, { domain, provider: own.provider, status: own.status });
  }
  return [...found.values()];
}

export function createCertificateWatchActivities({ ovh, probe = tlsCertificateProbe() }: { ovh: OvhClient; probe?: CertificateProbe }) {
  return {
    /** Every covered domain's served certificate, on the given services (none: all of the account's). */
    async readCertificates(input: { services: string[] }): Promise<CertificateReading[]> {
      const services = input.services.length > 0 ? input.services : await ovhCall(() => ovh.listServices());
      const account = currentAccount() ?? 'default';
      const readings: CertificateReading[] = [];
      for (const serviceName of services) {
        for (const { domain, provider, status } of await certificatesOf(ovh, serviceName)) {
          try {
            const served = await probe(domain);
            const daysLeft = Math.floor(((served.validTo.getTime() - Date.now()) / 86_400_000) * 10) / 10;
            recordCertificateExpiry({ account, service: serviceName, domain, provider }, served.validTo);
            readings.push({ serviceName, domain, provider, status, expiresAt: served.validTo.toISOString(), daysLeft, issuer: served.issuer });
          } catch (error) {
            readings.push({ serviceName, domain, provider, status, problem: (error as Error).message });
          }
        }
      }
      return readings;
    },
  };
}
