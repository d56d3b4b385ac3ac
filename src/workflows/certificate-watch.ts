// certificateWatch: a schedule's daily look at every certificate of the account's hostings. Each domain a certificate
// covers is read as visitors see it (its expiry); one with fewer than `warnDays` left raises `certificate.expiring`
// (webhooks), and every reading feeds `ovhflow_certificate_expiry_days`. Not an operator's run: nothing to decide,
// nothing to undo, no RunControl.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { DEFAULT_CERTIFICATE_WARN_DAYS, type CertificateWatchInput, type CertificateWatchResult } from '../shared/certificate-watch.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';
import { Notifier } from './notify.js';

const watch = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

export async function certificateWatch(input: CertificateWatchInput = {}): Promise<CertificateWatchResult> {
  const warnDays = input.warnDays ?? DEFAULT_CERTIFICATE_WARN_DAYS;
  const readings = await watch.readCertificates({ services: input.services ?? [] });
  const notifier = new Notifier(() => 'certificate-watch');
  const expiring = readings.filter((reading) => reading.daysLeft !== undefined && reading.daysLeft < warnDays);
  for (const reading of expiring) {
    const days = reading.daysLeft as number;
    // OVH renews its own Let's Encrypt certificates about 30 days ahead: one this close is a renewal that did not happen.
    const renewalMissed = reading.provider === 'LETSENCRYPT';
    notifier.notify('certificate.expiring', {
      message:
        `the certificate of ${reading.domain} (${reading.serviceName}, ${reading.provider}) ${days < 0 ? 'has expired' : `expires in ${days} days`} (${reading.expiresAt})` +
        (renewalMissed ? "; OVH renews Let's Encrypt certificates about 30 days ahead: this renewal did not happen" : ''),
      hint: renewalMissed
        ? `check that the domain still points at the hosting, then \`ovhflow renew-cert --service ${reading.serviceName} --letsencrypt\``
        : `install a renewed certificate: \`ovhflow renew-cert --service ${reading.serviceName} --certificate <pem> --key <pem>\``,
      details: { ...reading, renewalMissed },
    });
  }
  await notifier.allStarted();
  return { checked: readings.length, warnDays, expiring, unreadable: readings.filter((reading) => reading.problem !== undefined) };
}
