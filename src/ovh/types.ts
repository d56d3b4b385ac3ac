// The OVHcloud API models ovhflow reads, as the schema (spec/ovh-api/hosting-web.json) names them.
// Only the fields the code uses are typed; the API may send more.
import type { HostedSslProvider, ServiceState } from '../shared/inputs/ovh-enums.js';

export type TaskStatus = 'todo' | 'init' | 'doing' | 'done' | 'cancelled';

/** `hosting.web.task` / `hosting.web.PublicTask`. */
export interface HostingTask {
  id: number;
  function: string;
  status: TaskStatus;
  objectId?: string | null;
  objectType?: string | null;
  startDate: string;
  doneDate?: string | null;
  lastUpdate?: string | null;
}

export type { ServiceState } from '../shared/inputs/ovh-enums.js';

/** `hosting.web.Service`. */
export interface HostingService {
  serviceName: string;
  state: ServiceState;
  offer: string;
  primaryLogin: string;
  cluster: string;
  home: string;
  hasHostedSsl?: boolean | null;
  /** 2026: the hosting can hold a certificate per attached domain (false on older hostings). */
  multipleSSL?: boolean | null;
  /** The addresses a domain of this hosting should point at (without a CDN or IP location). */
  hostingIp?: string | null;
  hostingIpv6?: string | null;
}

/** `hosting.web.attachedDomain.PublicAttachedDomain`. */
export interface AttachedDomain {
  domain: string;
  path: string;
  ssl?: boolean | null;
  cdn: string;
  firewall: string;
  ownLog?: string | null;
  runtimeId?: number | null;
  ipLocation?: string | null;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId?: number | null;
}

export type DatabaseStatus =
  | 'checking'
  | 'created'
  | 'creating'
  | 'deleting'
  | 'dumping'
  | 'importing'
  | 'locked'
  | 'optimizing'
  | 'restoring'
  | 'updating';

/** `hosting.web.database`. */
export interface Database {
  name: string;
  user: string;
  server?: string | null;
  port: number;
  type: string;
  version: string;
  mode: string;
  status: DatabaseStatus;
  taskId?: number | null;
  quotaSize?: { unit: string; value: number };
}

export type DumpDate = 'now' | 'daily.1' | 'weekly.1';

/** `hosting.web.database.dump` / `hosting.web.dump`. */
export interface DatabaseDump {
  id: number;
  type: DumpDate;
  status: 'created' | 'creating' | 'deleting';
  creationDate: string;
  deletionDate: string;
  url?: string | null;
  taskId?: number | null;
  databaseName?: string;
}

/** `hosting.web.ModuleList`: an entry of the module catalog. */
export interface ModuleCatalogEntry {
  id: number;
  name: string;
  version: string;
  active: boolean;
  latest: boolean;
  branch: string;
  language: string[];
  adminNameType: string;
}

export interface ModuleDependency {
  type: 'mysql';
  name?: string | null;
  password?: string | null;
  port?: number | null;
  prefix?: string | null;
  server?: string | null;
  user?: string | null;
}

/** `hosting.web.module`: an installed module. */
export interface InstalledModule {
  id: number;
  moduleId: number;
  path: string;
  targetUrl: string;
  adminName: string;
  adminFolder: string;
  language: string;
  dependencies: ModuleDependency[];
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId?: number | null;
  creationDate: string;
}

/** `hosting.web.SSL`. */
export interface HostedSsl {
  status: 'created' | 'creating' | 'deleting' | 'importing' | 'regenerating';
  provider: HostedSslProvider;
  type: 'CUSTOM' | 'DV' | 'EV';
  regenerable: boolean;
  isReportable: boolean;
  taskId?: number | null;
}

/** `hosting.web.user`. */
export interface HostingUser {
  login: string;
  home: string;
  sshState: 'active' | 'none' | 'sftponly';
  state: string;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  isPrimaryAccount: boolean;
  taskId?: number | null;
}

/** `hosting.web.Capabilities`: what an offer allows. */
export interface OfferCapabilities {
  attachedDomains: number;
  databases: { type: string; available: number; quota?: { unit: string; value: number } }[];
  moduleOneClick: boolean;
  ssh: boolean;
  extraUsers: number;
  /** Whether the offer has scheduled tasks (cron jobs). */
  crontab?: boolean;
}

/** `auth.ApiCredentialRequest`: the answer to `POST /auth/credential`. The consumer key is a secret. */
export interface CredentialRequestAnswer {
  consumerKey: string;
  state: 'expired' | 'pendingValidation' | 'refused' | 'validated';
  validationUrl: string;
}

/** `auth.ApiCredential`: the consumer key in use (`GET /auth/currentCredential`). */
export interface ApiCredential {
  credentialId: number;
  applicationId: number;
  status: 'expired' | 'pendingValidation' | 'refused' | 'validated';
  creation: string;
  expiration?: string | null;
  lastUse?: string | null;
  allowedIPs?: string[] | null;
  ovhSupport?: boolean;
  rules: Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }>;
}

/** `hosting.web.attachedDomain.DigStatus`: the recommended IPs, and each address the domain resolves to. */
export interface DigStatus {
  domain?: string;
  recommendedIps?: { recommendedIpV4?: string[]; recommendedIpV6?: string[] };
  records?: Record<string, { type?: string; dnsConfigured?: boolean; isOvhIp?: boolean }>;
}

/** `domain.zone.Record`. */
export interface ZoneRecord {
  id: number;
  fieldType: string;
  subDomain?: string | null;
  target: string;
  ttl?: number | null;
  zone: string;
}

/** `hosting.web.hostedssl.ReportStatusEnum`. */
export type SslReportStatus = 'completed' | 'in-progress' | 'non-completed' | 'non-required' | 'not-applicable' | 'not-provided';

/** `hosting.web.ssl.Report`: what the certification authority checked for an attached domain's certificate. */
export interface SslReport {
  certificateSigningRequestStatus?: SslReportStatus;
  domainControlValidationStatus?: SslReportStatus;
  organizationValidationStatus?: SslReportStatus;
  phoneCallApprovalStatus?: SslReportStatus;
  providerOrderId?: string;
  termsAndConditionsAcceptanceStatus?: SslReportStatus;
  tradeNameVerificationStatus?: SslReportStatus;
}

/** `hosting.web.ovhConfig`: a folder's `.ovhconfig` (path relative to the home, `''` or null for the home). */
export interface OvhConfig {
  id: number;
  path?: string | null;
  engineName: 'php' | 'phpcgi';
  engineVersion: string;
  environment: 'development' | 'production';
  httpFirewall: 'none' | 'security';
  container: string;
  historical?: boolean | null;
  status: 'created' | 'rollbacking' | 'updating';
  taskId?: number | null;
  creationDate?: string;
}

/** What `changeConfiguration` takes: only the settings that change. */
export type OvhConfigChange = Partial<Pick<OvhConfig, 'engineName' | 'engineVersion' | 'environment' | 'httpFirewall' | 'container'>>;

/** `hosting.web.OvhConfigCapabilities`: a PHP version the hosting offers, and the containers it runs in. */
export interface OvhConfigCapabilities {
  version?: string;
  containerImage?: string[];
}

/** `hosting.web.EnvVar`: an environment variable of a hosting. A `password` variable's value is a secret. */
export interface EnvVar {
  key: string;
  type: 'integer' | 'password' | 'string';
  value: string;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId?: number | null;
}

/** `hosting.web.Website` (2026): a folder deployed from a GitHub repository's branch. */
export interface Website {
  id: number;
  path: string;
  vcsUrl: string;
  vcsBranch: string;
  name?: string | null;
  status: 'created' | 'creating' | 'deleting' | 'deploying' | 'error' | 'initialError';
  domains?: Array<{ fqdn: string; ssl: boolean; cdn: boolean }>;
}

/** `hosting.web.website.Deployment`. */
export interface WebsiteDeployment {
  id: number;
  websiteId: number;
  date: string;
  reset: boolean;
  source: string;
  status: 'doing' | 'failed' | 'successful';
  vcsBranch: string;
  vcsCommitId?: string | null;
  vcsCommitMessage?: string | null;
}

/** `hosting.web.WebsiteCreationCapabilities`: `allowedWebsites` -1 means unlimited. */
export interface WebsiteCreationCapabilities {
  allowedWebsites: number;
  existingWebsites: number;
}
/** `hosting.web.Cron`: a scheduled task. `state` follows OVH's tasks; `status` is the owner's on/off switch. */
export interface CronJob {
  id: number;
  command: string;
  frequency: string;
  language: string;
  description?: string | null;
  email?: string | null;
  status?: 'disabled' | 'enabled' | 'suspended';
  state?: 'created' | 'creating' | 'deleting' | 'updating';
}

/** What POST and PUT `/cron` take: the job without its read-only fields. */
export type CronJobBody = Pick<CronJob, 'command' | 'frequency' | 'language'> & {
  description?: string;
  email?: string;
  status?: 'disabled' | 'enabled';
};

/** `hosting.web.runtime`: how the hosting runs a site's code (PHP-FPM, Node.js, Python, Ruby). */
export interface Runtime {
  id: number;
  name?: string | null;
  type: string;
  appEnv?: 'development' | 'production';
  appBootstrap?: string | null;
  publicDir?: string | null;
  isDefault: boolean;
  isDeletable?: boolean;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId?: number | null;
}
