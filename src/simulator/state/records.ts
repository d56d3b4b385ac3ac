// What the simulator remembers about each hosting service. Records hold the simulator's own truth (including
// secrets such as database passwords, which no answer ever shows); the views in hosting/views.ts turn them into the
// schema's models. Times are epoch milliseconds.
import { createHash } from 'node:crypto';
import { OFFERS } from './offers.js';

/** The account everything belongs to unless said otherwise (services, zones, applications, keys). An OVH account is
 * named by its NIC handle (`xx1234-ovh`). */
export const DEFAULT_ACCOUNT = 'demo-ovh';

/** `blocked`, `hardBlocked` (and `hardBloqued`) are new in the 2026 schema; `bloqued` stays, OVH's old spelling. */
export type ServiceState = 'active' | 'blocked' | 'bloqued' | 'hardBlocked' | 'hardBloqued' | 'maintenance';
export type OfferName = 'START' | 'PERSO' | 'PRO' | 'PERFORMANCE_1';

export interface AttachedDomainRecord {
  domain: string;
  path: string;
  ssl: boolean;
  cdn: 'active' | 'none';
  firewall: 'active' | 'none';
  ipLocation: string | null;
  ownLog: string | null;
  runtimeId: number | null;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

export interface DatabaseRecord {
  name: string;
  user: string;
  /** Never shown; a module's mysql dependency must present it. `null` when OVH would have generated one. */
  password: string | null;
  type: 'mysql' | 'mariadb' | 'postgresql' | 'redis';
  version: string;
  capabilitie: string;
  quotaMb: number;
  server: string;
  port: number;
  status: 'checking' | 'created' | 'creating' | 'deleting' | 'dumping' | 'importing' | 'locked' | 'optimizing' | 'restoring' | 'updating';
  taskId: number | null;
  createdAt: number;
  /** Restores applied, newest last, so tests can tell a restore really happened. */
  restoredFrom: string[];
}

export type DumpDate = 'now' | 'daily.1' | 'weekly.1';

export interface DumpRecord {
  id: number;
  databaseName: string;
  type: DumpDate;
  creationDate: number;
  deletionDate: number;
  status: 'created' | 'creating' | 'deleting';
  taskId: number | null;
  /** What the caller asked for, with OVH's default (true) applied when the field was omitted. */
  sendEmail: boolean;
  orphan: boolean;
}

export interface ModuleDependencyRecord {
  type: 'mysql';
  name: string | null;
  port: number | null;
  prefix: string | null;
  server: string | null;
  user: string | null;
}

export interface ModuleRecord {
  id: number;
  /** The database password the CMS was configured with at install: a later database password change breaks it. */
  configuredDatabasePassword: string | null;
  moduleId: number;
  domain: string;
  path: string;
  language: string;
  adminName: string;
  adminFolder: string;
  targetUrl: string;
  dependencies: ModuleDependencyRecord[];
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
  creationDate: number;
  lastUpdate: number;
}

export interface UserRecord {
  login: string;
  home: string;
  sshState: 'active' | 'none' | 'sftponly';
  state: 'off' | 'rw';
  isPrimaryAccount: boolean;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

/** A scheduled task (`hosting.web.cron`): `state` follows its tasks, `status` is the owner's switch. */
export interface CronRecord {
  id: number;
  command: string;
  frequency: string;
  language: string;
  description: string | null;
  email: string | null;
  status: 'disabled' | 'enabled' | 'suspended';
  state: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

export interface RuntimeRecord {
  id: number;
  name: string | null;
  type: string;
  appEnv: 'development' | 'production';
  appBootstrap: string | null;
  publicDir: string | null;
  isDefault: boolean;
  creationDate: number;
  lastUpdate: number;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

/** A `.ovhconfig` as OVH knows it (`hosting.web.ovhConfig`): the current one of a folder, or an old one
 * (`historical`) kept so `rollback` can go back to it. `path` is relative to the home, `''` for the home itself. */
export interface OvhConfigRecord {
  id: number;
  path: string;
  engineName: 'php' | 'phpcgi';
  engineVersion: string;
  environment: 'development' | 'production';
  httpFirewall: 'none' | 'security';
  container: string;
  creationDate: number;
  historical: boolean;
  status: 'created' | 'rollbacking' | 'updating';
  taskId: number | null;
}

/** An environment variable of the hosting (`hosting.web.EnvVar`), by key. A `password` value is never logged. */
export interface EnvVarRecord {
  key: string;
  type: 'integer' | 'password' | 'string';
  value: string;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

/** One deployment of a website link (`hosting.web.website.Deployment`), with OVH's log lines. */
export interface DeploymentRecord {
  id: number;
  date: number;
  reset: boolean;
  /** Who triggered it: `api` (POST …/deploy) or `webhook` (a push). */
  source: string;
  status: 'doing' | 'failed' | 'successful';
  vcsBranch: string;
  vcsCommitId: string | null;
  vcsCommitMessage: string | null;
  /** The `website/vcs/deploy` task that runs it. */
  taskId: number;
  logs: Array<{ date: number; message: string }>;
}

/** A Git website link (`hosting.web.Website`, 2026): a folder deployed from a GitHub repository's branch. */
export interface WebsiteRecord {
  id: number;
  path: string;
  vcsUrl: string;
  vcsBranch: string;
  name: string | null;
  status: 'created' | 'creating' | 'deleting' | 'deploying' | 'error' | 'initialError';
  taskId: number | null;
  /** Oldest first. */
  deployments: DeploymentRecord[];
}

export interface SslRecord {
  provider: 'COMODO' | 'CUSTOM' | 'LETSENCRYPT' | 'SECTIGO';
  type: 'CUSTOM' | 'DV' | 'EV';
  status: 'created' | 'creating' | 'deleting' | 'importing' | 'regenerating';
  taskId: number | null;
  /** The domains the certificate covers now (a regeneration replaces them when its task is done). */
  domains: string[];
  createdAt: number;
}

export interface HostingService {
  serviceName: string;
  /** The OVH account (NIC handle) that owns the service. */
  account: string;
  /** The ownership token an external domain's `ovhcontrol` TXT record must hold (`GET /token`). */
  token: string;
  displayName: string | null;
  offer: OfferName;
  state: ServiceState;
  primaryLogin: string;
  cluster: string;
  datacenter: string;
  home: string;
  clusterIp: string;
  clusterIpv6: string;
  createdAt: number;
  attachedDomains: Map<string, AttachedDomainRecord>;
  databases: Map<string, DatabaseRecord>;
  dumps: Map<number, DumpRecord>;
  modules: Map<number, ModuleRecord>;
  users: Map<string, UserRecord>;
  runtimes: Map<number, RuntimeRecord>;
  ssl: SslRecord | null;
  /** When each SSL regeneration was asked, for OVH's limit of 5 per week. */
  sslRegenerations: number[];
  /** `multipleSSL` (2026): the hosting can hold a certificate per attached domain. False on an older hosting: the
   * per-domain calls are refused and only the hosting-wide `/ssl` works. */
  multipleSsl: boolean;
  /** Who issues the free per-domain certificate: Let's Encrypt, or SECTIGO (new in 2026) on some hostings. */
  freeSslProvider: 'LETSENCRYPT' | 'SECTIGO';
  /** The per-domain certificates (`/attachedDomain/{domain}/ssl`), by domain. */
  domainSsl: Map<string, DomainSslRecord>;
  /** Every `.ovhconfig` OVH knows of, current and historical, by id (ids are per service). */
  ovhConfigs: Map<number, OvhConfigRecord>;
  /** The hosting's environment variables, by key. */
  envVars: Map<string, EnvVarRecord>;
  /** Git website links (2026), by id (ids are per service). */
  websites: Map<number, WebsiteRecord>;
  /** Folders that hold files OVH did not put there through a website link (FTP uploads, set by the admin API, or
   * files a deleted link left behind): OVH refuses to link a non-empty folder. */
  filledFolders: string[];
  /** Scheduled tasks (`/cron`), by OVH's id. */
  crons: Map<number, CronRecord>;
}

/** One attached domain's own certificate. `validation` is what the certification authority found the last time its
 * task ran (the report): `pending` while none has run. */
export interface DomainSslRecord extends Omit<SslRecord, 'domains'> {
  domain: string;
  validation: 'pending' | 'passed' | 'dns' | 'caa';
}

export type TaskFunction =
  | 'attachedDomain/create'
  | 'attachedDomain/delete'
  | 'database/create'
  | 'database/delete'
  | 'dump/create'
  | 'dump/delete'
  | 'database/restore'
  | 'module/install'
  | 'module/delete'
  | 'user/create'
  | 'user/delete'
  | 'hostedssl/create'
  | 'hostedssl/import'
  | 'hostedssl/regenerate'
  | 'hostedssl/delete'
  | 'attachedDomain/update'
  | 'database/changePassword'
  | 'user/changePassword'
  | 'user/update'
  | 'ovhConfig/update'
  | 'ovhConfig/rollback'
  | 'ovhConfig/refresh'
  | 'envVar/create'
  | 'envVar/update'
  | 'envVar/delete'
  | 'website/vcs/create'
  | 'website/vcs/deploy'
  | 'website/vcs/delete'
  | 'cron/create'
  | 'cron/update'
  | 'cron/delete'
  | 'runtime/create'
  | 'runtime/update'
  | 'runtime/delete';

export type TaskObjectType = 'AttachedDomain' | 'Database' | 'Dump' | 'Module' | 'User' | 'Hostedssl' | 'OvhConfig' | 'EnvVar' | 'Website' | 'Cron' | 'Runtime';

/** A password change, for tests to prove one happened (the password itself is never shown). */
export interface PasswordChange {
  kind: 'database' | 'module' | 'user';
  name: string;
  at: number;
}

export interface TaskRecord {
  id: number;
  serviceName: string;
  function: TaskFunction;
  objectType: TaskObjectType;
  objectId: string | null;
  /** The key of the record the task works on (domain, database name, dump id, module id, login). */
  subject: string;
  createdAt: number;
  /** The nominal duration: the todo → init → doing phases are fractions of it. */
  durationMs: number;
  /** When the task ends; `null` for a task that is stuck and never ends. */
  finishAt: number | null;
  outcome: 'done' | 'cancelled';
  /** True once its effect on the records has been applied. */
  settled: boolean;
  /** For SSL tasks: the domains the certificate will cover when the task is done. */
  domains?: string[];
  /** For an attached domain's own certificate (`/attachedDomain/{domain}/ssl`): that domain. */
  certificateOf?: string;
  /** For restores: what is being restored (`dump 5001`, `backup daily.1`). */
  detail?: string;
  /** For updates (`PUT`): the properties the task sets when it is done. */
  changes?: Record<string, unknown>;
  /** For password changes: the new password, applied when the task is done (never shown). */
  secret?: string;
  /** The work the task did failed although the task ended (a Git deployment that could not deploy). */
  failed?: boolean;
}

/** A DNS record of a zone (`domain.zone.Record`). */
export interface DnsRecord {
  id: number;
  fieldType: string;
  /** Relative to the zone, lowercase; `''` for the zone apex. */
  subDomain: string;
  target: string;
  ttl: number;
}

/** What public DNS answers from a moment on: a zone's records as of a refresh, or an external name's addresses. */
export interface DnsPublication {
  visibleAt: number;
  records: DnsRecord[];
}

export interface ZoneRecord {
  name: string;
  account: string;
  records: Map<number, DnsRecord>;
  nameServers: string[];
  /** Last refresh. */
  lastUpdate: number;
  /** Refreshes, oldest first: the resolver answers from the newest one that is visible. */
  publications: DnsPublication[];
}

/** A domain whose DNS is not served by the simulator: what it resolves to, set through the admin API. */
export interface ExternalDnsEntry {
  name: string;
  answers: Array<{ visibleAt: number; a: string[]; aaaa: string[]; txt: string[] }>;
}

export interface SimulatorState {
  services: Map<string, HostingService>;
  tasks: Map<number, TaskRecord>;
  zones: Map<string, ZoneRecord>;
  externalDns: Map<string, ExternalDnsEntry>;
  passwordChanges: Map<string, PasswordChange[]>;
  /** `website` is absent from a world saved before Git links were modelled (then the first id is 7001). */
  nextIds: { task: number; dump: number; module: number; record: number; runtime: number; website?: number; cron?: number };
}

export type NewServiceFields = Omit<
  HostingService,
  'attachedDomains' | 'databases' | 'dumps' | 'modules' | 'users' | 'runtimes' | 'ssl' | 'sslRegenerations' | 'account' | 'token' | 'multipleSsl' | 'domainSsl' | 'freeSslProvider' | 'ovhConfigs' | 'envVars' | 'websites' | 'filledFolders' | 'crons'
> & { account?: string; multipleSsl?: boolean; freeSslProvider?: HostingService['freeSslProvider'] };

/** A stable ownership token per service, shaped like OVH's (32 hex characters). */
export function ownershipToken(serviceName: string): string {
  return createHash('sha256').update(`ovhcontrol:${serviceName}`).digest('hex').slice(0, 32);
}

export function newService(fields: NewServiceFields, runtimeId: number, now: number = fields.createdAt): HostingService {
  const service: HostingService = {
    ...fields,
    account: fields.account ?? DEFAULT_ACCOUNT,
    token: ownershipToken(fields.serviceName),
    attachedDomains: new Map(),
    databases: new Map(),
    dumps: new Map(),
    modules: new Map(),
    users: new Map(),
    runtimes: new Map(),
    ssl: null,
    sslRegenerations: [],
    multipleSsl: fields.multipleSsl ?? true,
    freeSslProvider: fields.freeSslProvider ?? 'LETSENCRYPT',
    domainSsl: new Map(),
    ovhConfigs: new Map(),
    envVars: new Map(),
    websites: new Map(),
    filledFolders: [],
    crons: new Map(),
  };
  // Every hosting has a `.ovhconfig` in its home, with OVH's recommended values when it was created.
  addOvhConfig(service, '', { engineVersion: '8.2' }, now);
  // Every hosting has a default runtime (PHP-FPM), as OVH creates one with the service.
  service.runtimes.set(runtimeId, {
    id: runtimeId,
    name: 'Default PHP runtime',
    type: 'phpfpm-8.0',
    appEnv: 'production',
    appBootstrap: null,
    publicDir: null,
    isDefault: true,
    creationDate: now,
    lastUpdate: now,
    status: 'created',
    taskId: null,
  });
  service.users.set(fields.primaryLogin, {
    login: fields.primaryLogin,
    home: '.',
    sshState: OFFERS[fields.offer].ssh ? 'active' : 'none',
    state: 'rw',
    isPrimaryAccount: true,
    status: 'created',
    taskId: null,
  });
  return service;
}

/** The first id of a service's `.ovhconfig` records (ids are per service, as the path names the service). */
const FIRST_OVH_CONFIG_ID = 4_001;

export function nextOvhConfigId(service: HostingService): number {
  return Math.max(FIRST_OVH_CONFIG_ID - 1, ...service.ovhConfigs.keys()) + 1;
}

/** A current `.ovhconfig` at a folder (fixtures, `ovhConfigRefresh` finding a site's file). */
export function addOvhConfig(service: HostingService, path: string, values: Partial<Pick<OvhConfigRecord, 'engineName' | 'engineVersion' | 'environment' | 'httpFirewall' | 'container'>>, now: number): OvhConfigRecord {
  const record: OvhConfigRecord = {
    id: nextOvhConfigId(service),
    path,
    engineName: values.engineName ?? 'php',
    engineVersion: values.engineVersion ?? '8.2',
    environment: values.environment ?? 'production',
    httpFirewall: values.httpFirewall ?? 'none',
    container: values.container ?? 'stable64',
    creationDate: now,
    historical: false,
    status: 'created',
    taskId: null,
  };
  service.ovhConfigs.set(record.id, record);
  return record;
}
