// provisionSite's steps, result and business key.
import type { ProvisionDnsResult } from './dns.js';
import type { ProvisionSiteInput } from './inputs/index.js';
import type { PhpConfigSettings, PhpSettingChange } from './php-config.js';
import type { EnsureEnvVarsResult } from './env-vars.js';
import type { DeployWebsiteResult } from './deploy.js';
import type { CronJobOutcome } from './cron.js';

export const PROVISION_STEPS = [
  { name: 'preflight', title: 'Check the service and inputs' },
  { name: 'attachDomain', title: 'Attach the domain' },
  { name: 'dns', title: 'Point the domain (DNS)' },
  { name: 'createDatabase', title: 'Create the database' },
  { name: 'installModule', title: 'Install the module' },
  { name: 'git', title: 'Deploy from Git' },
  { name: 'php', title: 'Set PHP (.ovhconfig)' },
  { name: 'env', title: 'Set environment variables' },
  { name: 'cron', title: 'Set cron jobs' },
  { name: 'ssl', title: 'Turn on HTTPS' },
] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number]['name'];

/** One provisioning per hosting service and domain: a second trigger finds the first run. */
export function provisionWorkflowId(input: Pick<ProvisionSiteInput, 'serviceName' | 'domain'>): string {
  return `provision-site/${input.serviceName}/${input.domain}`;
}

export interface ProvisionSiteResult {
  serviceName: string;
  domain: { name: string; path: string; ssl: boolean; adopted: boolean };
  database?: { name: string; server: string; port: number; user: string; password?: string; adopted: boolean };
  module?: { id: number; moduleId: number; name: string; url: string; adminName: string; adminPassword?: string; adopted: boolean };
  ssl?: {
    status: string;
    provider: string;
    action: 'ordered' | 'regenerated' | 'adopted' | 'installed';
    /** Which certificate covers the domain: its own (`domain`, since 2026) or the hosting-wide one. Absent: older runs. */
    scope?: 'domain' | 'hosting';
    /** Why the hosting-wide one: OVH's refusal of the per-domain call. */
    hostingWideBecause?: string;
  };
  /** The site folder's `.ovhconfig` when the input asked for PHP settings: what changed, and the settings now. */
  php?: { configId: number; changes: PhpSettingChange[]; settings: PhpConfigSettings };
  /** The hosting's environment variables the input asked for (password values masked). */
  env?: EnsureEnvVarsResult;
  /** The site's folder deployed from Git: the link, the deployment (its commit) and the push webhook for GitHub. */
  git?: Omit<DeployWebsiteResult, 'confirmedBy'>;
  /** The site's cron jobs: each created, or found as asked (unchanged). */
  cron?: CronJobOutcome[];
  /** What the DNS step did (absent for runs started before it existed). */
  dns?: ProvisionDnsResult;
  skipped: string[];
}

/** What preflight learns, which later steps need. */
export interface ProvisioningContext {
  primaryLogin: string;
  offer: string;
  databaseUser?: string;
  module?: { id: number; name: string; version: string };
  /** The secret key this run derives its passwords with (see src/secrets/derived-passwords.ts). */
  secretKeyId: string;
  /** What preflight's listings already said, so the steps need not read it again (absent on older workers' answers). */
  found?: { domainAttached: boolean; databaseExists: boolean };
  /** false: the hosting cannot hold a certificate per domain (`multipleSSL`), so HTTPS uses the hosting-wide one. */
  multipleSsl?: false;
}

/** Which passwords a run's activities derive: the run's business key and the key id it started with. */
export interface RunSecretRef {
  runKey: string;
  keyId: string;
}
