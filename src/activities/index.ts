// Every activity the worker registers, built from their dependencies. Workflows import only the *type*.
import type { OvhClient } from '../ovh/client.js';
import type { PasswordDeriver } from '../secrets/derived-passwords.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { createAttachedDomainActivities } from './attached-domains.js';
import { createBackupActivities } from './backups.js';
import { createCertificateActivities } from './certificates.js';
import { createCertificateWatchActivities, type CertificateProbe } from './certificate-watch.js';
import { createDecommissionActivities } from './decommission.js';
import { createDomainCertificateActivities } from './domain-certificates.js';
import { createDoctorActivities } from './doctor.js';
import { createCredentialActivities } from './credentials.js';
import { createDnsActivities } from './dns.js';
import { createRotationActivities } from './credential-rotation.js';
import { permanentFailure } from './failures.js';
import { createFtpUserActivities } from './ftp-users.js';
import { withHeartbeats } from './heartbeats.js';
import { createHostingTaskActivities } from './hosting-tasks.js';
import { createInputActivities, type RunInputParsers } from './inputs.js';
import { createInventoryActivities } from './inventory.js';
import { createFleetActivities } from './fleet.js';
import { createFleetApplyActivities } from './fleet-apply.js';
import { createPhpConfigActivities } from './php-config.js';
import { createEnvVarActivities } from './env-vars.js';
import { createGitDeployActivities } from './git-deploy.js';
import { createCronJobActivities } from './cron-jobs.js';
import { createNotificationActivities } from './notifications.js';
import type { NotifySettings } from '../notify/settings.js';
import { createProvisioningActivities } from './provisioning.js';
import { createSmokeActivities } from './smoke.js';

export interface ActivityDeps {
  workerIdentity: string;
  /** Absent on a worker started without OVH settings: OVH activities then fail with a clear, permanent error. */
  ovh?: OvhClient;
  passwords: PasswordDeriver;
  /** Each run kind's input parser (the run kinds table's), for runs started without one of ovhflow's starters. */
  inputParsers: RunInputParsers;
  /** Webhook receivers (OVHFLOW_NOTIFY_URL); none: notifications are dropped. */
  notify?: NotifySettings | null;
  /** How the certificate watch reads a domain's served certificate (default: TLS to the domain, port 443). */
  certificateProbe?: CertificateProbe;
}

export function createActivities(deps: ActivityDeps) {
  const ovh = deps.ovh ?? unconfiguredOvhClient();
  const heartbeating = withHeartbeats({
    ...createSmokeActivities(deps),
    ...createInputActivities(deps.inputParsers),
    ...createHostingTaskActivities({ ovh }),
    ...createProvisioningActivities({ ovh, passwords: deps.passwords }),
    ...createBackupActivities({ ovh }),
    ...createInventoryActivities({ ovh }),
    ...createCredentialActivities({ ovh }),
    ...createFtpUserActivities({ ovh, passwords: deps.passwords }),
    ...createDnsActivities({ ovh }),
    ...createCertificateActivities({ ovh }),
    ...createDomainCertificateActivities({ ovh }),
    ...createDoctorActivities({ ovh }),
    ...createCertificateWatchActivities({ ovh, ...(deps.certificateProbe ? { probe: deps.certificateProbe } : {}) }),
    ...createDecommissionActivities({ ovh }),
    ...createAttachedDomainActivities({ ovh }),
    ...createRotationActivities({ ovh, passwords: deps.passwords }),
    ...createPhpConfigActivities({ ovh }),
    ...createFleetActivities({ ovh }),
    ...createEnvVarActivities({ ovh }),
    ...createGitDeployActivities({ ovh }),
    ...createCronJobActivities({ ovh }),
    ...createFleetApplyActivities(),
  });
  // Not wrapped: its heartbeat details say which receivers were served, and a bare heartbeat would erase them.
  return { ...heartbeating, ...createNotificationActivities({ notify: deps.notify ?? null }) };
}

export type Activities = ReturnType<typeof createActivities>;

function unconfiguredOvhClient(): OvhClient {
  return new Proxy({} as OvhClient, {
    get: () => () =>
      Promise.reject(
        permanentFailure(FAILURE_TYPES.invalidCredentials, 'this worker has no OVH API settings (OVH_ENDPOINT and keys)', {
          hint: 'configure OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY on the worker',
        }),
      ),
  });
}
