// Records → the schema's models, field for field (`hosting.web.database`, `hosting.web.task`, ...). The contract
// tests check every answer against the real schema, so a field added to or missing from a view fails them.
import { createHash } from 'node:crypto';
import type { CredentialRecord } from '../auth/credential-store.js';
import { IP_COUNTRIES, countryIps } from '../dns/hosting-ips.js';
import { OFFERS, versionSupport } from '../state/offers.js';
import type { CatalogModule } from '../state/module-catalog.js';
import type {
  AttachedDomainRecord,
  DatabaseRecord,
  DeploymentRecord,
  DumpRecord,
  HostingService,
  ModuleRecord,
  OfferName,
  OvhConfigRecord,
  EnvVarRecord,
  RuntimeRecord,
  SslRecord,
  TaskRecord,
  UserRecord,
  WebsiteRecord,
} from '../state/records.js';
import type { TaskMoment } from '../tasks/task-timeline.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

/** A stable UUID for a name, so IAM ids do not change between runs. */
function uuidFor(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `iam.ResourceMetadata` of a resource (`webHosting:<name>`, `dnsZone:<name>`). */
export function iamMetadata(typeAndName: string, displayName: string | null, tags: Record<string, string> | null): Record<string, unknown> {
  return { displayName, id: uuidFor(typeAndName.slice(typeAndName.indexOf(':') + 1)), tags, urn: `urn:v1:eu:resource:${typeAndName}` };
}

export function serviceView(service: HostingService): Record<string, unknown> {
  const { cluster } = service;
  return {
    availableBoostOffer: [],
    boostOffer: null,
    cluster,
    clusterIp: service.clusterIp,
    clusterIpv6: service.clusterIpv6,
    countriesIp: IP_COUNTRIES.map((country) => {
      const ips = countryIps(service, country);
      return { country, ip: ips.ipv4, ipv6: ips.ipv6 };
    }),
    datacenter: service.datacenter,
    defaultAttachedDomain: service.attachedDomains.has(service.serviceName) ? service.serviceName : null,
    displayName: service.displayName,
    filer: `${cluster}-filer`,
    hasCdn: false,
    hasHostedSsl: service.ssl !== null,
    home: service.home,
    hostingIp: service.clusterIp,
    hostingIpv6: service.clusterIpv6,
    iam: iamMetadata(`webHosting:${service.serviceName}`, service.displayName, null),
    lastOvhConfigScan: null,
    multipleSSL: service.multipleSsl,
    offer: service.offer,
    operatingSystem: 'linux',
    phpVersions: [
      { support: 'END_OF_LIFE', version: '7.4' },
      { support: 'SECURITY_FIXES', version: '8.1' },
      { support: 'SUPPORTED', version: '8.2' },
      { support: 'SUPPORTED', version: '8.3' },
      { support: 'SUPPORTED', version: '8.4' },
      { support: 'BETA', version: '8.5' },
    ],
    primaryLogin: service.primaryLogin,
    quotaSize: { unit: 'GB', value: OFFERS[service.offer].diskGb },
    quotaUsed: { unit: 'MB', value: 12.5 + 70 * service.modules.size },
    recommendedOffer: null,
    resourceType: 'shared',
    serviceManagementAccess: {
      ftp: { port: 21, url: `ftp.${cluster}.hosting.ovh.net` },
      http: { port: 80, url: `${cluster}.hosting.ovh.net` },
      ssh: { port: 22, url: `ssh.${cluster}.hosting.ovh.net` },
    },
    serviceName: service.serviceName,
    state: service.state,
    token: service.token,
    trafficQuotaSize: null,
    trafficQuotaUsed: null,
    updates: [],
  };
}

/**
 * `vcsStatus` of an attached domain (`hosting.web.attachedDomain.VcsStatusEnum`): the status of the Git website link
 * of the domain's folder, `disabled` when that folder is not deployed from Git.
 */
export function domainVcsStatus(record: AttachedDomainRecord, service: HostingService): WebsiteRecord['status'] | 'disabled' {
  return [...service.websites.values()].find((website) => website.path === record.path)?.status ?? 'disabled';
}

export function attachedDomainView(record: AttachedDomainRecord, service?: HostingService): Record<string, unknown> {
  return {
    capabilities: [],
    cdn: record.cdn,
    domain: record.domain,
    firewall: record.firewall,
    ipLocation: record.ipLocation,
    isFlushable: record.cdn === 'active',
    ownLog: record.ownLog,
    path: record.path,
    runtimeId: record.runtimeId,
    ssl: record.ssl,
    status: record.status,
    taskId: record.taskId,
    vcsStatus: service ? domainVcsStatus(record, service) : 'disabled',
  };
}

/** `hosting.web.Website`: its domains are the attached domains served from its folder. */
export function websiteView(record: WebsiteRecord, service: HostingService): Record<string, unknown> {
  return {
    domains: [...service.attachedDomains.values()]
      .filter((domain) => domain.path === record.path)
      .map((domain) => ({ cdn: domain.cdn === 'active', fqdn: domain.domain, ssl: domain.ssl })),
    hostingDisplayName: service.displayName ?? service.serviceName,
    hostingServiceName: service.serviceName,
    id: record.id,
    name: record.name,
    path: record.path,
    status: record.status,
    vcsBranch: record.vcsBranch,
    vcsUrl: record.vcsUrl,
  };
}

/** `hosting.web.website.Deployment`. */
export function deploymentView(record: DeploymentRecord, website: WebsiteRecord): Record<string, unknown> {
  return {
    date: iso(record.date),
    id: record.id,
    reset: record.reset,
    source: record.source,
    status: record.status,
    vcsBranch: record.vcsBranch,
    vcsCommitId: record.vcsCommitId,
    vcsCommitMessage: record.vcsCommitMessage,
    websiteId: website.id,
  };
}

export function databaseView(record: DatabaseRecord, service: HostingService): Record<string, unknown> {
  const dumps = [...service.dumps.values()].filter((dump) => dump.databaseName === record.name && !dump.orphan).length;
  return {
    databaseServiceDeprecated: false,
    databaseType: 'included',
    dumps,
    guiURL: `https://phpmyadmin.${service.cluster}.hosting.ovh.net/index.php?pma_username=${record.user}&pma_servername=${record.server}`,
    lastCheck: iso(record.createdAt),
    mode: 'classic',
    name: record.name,
    port: record.port,
    quotaSize: { unit: 'MB', value: record.quotaMb },
    quotaUsed: { unit: 'MB', value: record.status === 'creating' ? 0 : 0.6 },
    server: record.server,
    sqlpersoId: null,
    state: 'ok',
    status: record.status,
    taskId: record.taskId,
    type: record.type,
    user: record.user,
    version: record.version,
    versionSupport: versionSupport(record.version),
  };
}

/** Where a finished dump can be downloaded (the simulator serves it, gzip'd). */
export function dumpUrl(baseUrl: string, serviceName: string, dump: DumpRecord): string | null {
  if (dump.status !== 'created') return null;
  return `${baseUrl}/dumps/${encodeURIComponent(serviceName)}/${dump.id}/${dump.databaseName}.${dump.type}.sql.gz`;
}

/** `hosting.web.database.dump` (under /database/{name}/dump). */
export function databaseDumpView(dump: DumpRecord, url: string | null): Record<string, unknown> {
  return {
    creationDate: iso(dump.creationDate),
    deletionDate: iso(dump.deletionDate),
    id: dump.id,
    status: dump.status,
    taskId: dump.taskId,
    type: dump.type,
    url,
  };
}

/** `hosting.web.dump` (under /dump, across databases). */
export function dumpView(dump: DumpRecord, url: string | null): Record<string, unknown> {
  return { ...databaseDumpView(dump, url), databaseName: dump.databaseName, orphan: dump.orphan };
}

export function moduleView(record: ModuleRecord): Record<string, unknown> {
  return {
    adminFolder: record.adminFolder,
    adminName: record.adminName,
    creationDate: iso(record.creationDate),
    dependencies: record.dependencies.map((dependency) => ({ ...dependency, password: null })),
    id: record.id,
    language: record.language,
    lastUpdate: iso(record.lastUpdate),
    moduleId: record.moduleId,
    path: record.path,
    status: record.status,
    targetUrl: record.targetUrl,
    taskId: record.taskId,
  };
}

export function userView(record: UserRecord, service: HostingService): Record<string, unknown> {
  return {
    home: record.home,
    isPrimaryAccount: record.isPrimaryAccount,
    login: record.login,
    serviceManagementCredentials: {
      ftp: { port: 21, url: `ftp.${service.cluster}.hosting.ovh.net`, user: record.login },
      ssh: { port: 22, url: `ssh.${service.cluster}.hosting.ovh.net`, user: record.login },
    },
    sshState: record.sshState,
    state: record.state,
    status: record.status,
    taskId: record.taskId,
  };
}

/** `reportable`: an attached domain's own certificate, which has a report (`.../attachedDomain/{domain}/ssl/report`). */
export function sslView(record: Pick<SslRecord, 'provider' | 'status' | 'taskId' | 'type'>, reportable = false): Record<string, unknown> {
  return {
    isReportable: reportable,
    provider: record.provider,
    regenerable: record.provider === 'LETSENCRYPT' || record.provider === 'SECTIGO',
    status: record.status,
    taskId: record.taskId,
    type: record.type,
  };
}

/** `hosting.web.task` and `hosting.web.PublicTask` have the same fields. */
export function taskView(task: TaskRecord, moment: TaskMoment): Record<string, unknown> {
  return {
    doneDate: isoOrNull(moment.doneDate),
    function: task.function,
    id: task.id,
    lastUpdate: iso(moment.lastUpdate),
    objectId: task.objectId,
    objectType: task.objectType,
    startDate: iso(task.createdAt),
    status: moment.status,
  };
}

export function catalogModuleView(module: CatalogModule): Record<string, unknown> {
  return {
    active: module.active,
    adminNameType: module.adminNameType,
    author: module.author,
    branch: module.branch,
    id: module.id,
    keywords: module.keywords,
    language: module.language,
    languageRequirement: module.languageRequirement,
    latest: module.latest,
    name: module.name,
    size: module.size,
    upgradeFrom: module.upgradeFrom,
    version: module.version,
  };
}

export function creationCapabilitiesView(offer: OfferName, used: (type: string) => number): Array<Record<string, unknown>> {
  return OFFERS[offer].databases.map((allowance) => ({
    available: Math.max(0, allowance.count - used(allowance.type)),
    engines: allowance.engines,
    isolation: 'shared',
    quota: { unit: 'MB', value: allowance.quotaMb },
    type: allowance.type,
  }));
}

/** `hosting.web.Capabilities` of an offer. */
export function offerCapabilitiesView(offer: OfferName): Record<string, unknown> {
  const limits = OFFERS[offer];
  return {
    attachedDomains: limits.attachedDomains,
    crontab: limits.cronJobs > 0,
    databaseEngines: new Set(limits.databases.flatMap((allowance) => allowance.engines)).size,
    databases: creationCapabilitiesView(offer, () => 0),
    disk: { type: 'SSD', unit: 'GB', value: limits.diskGb },
    emails: { available: offer === 'START' ? 1 : 10, quota: { unit: 'GB', value: 5 } },
    envVars: offer === 'START' ? 0 : 20,
    extraUsers: limits.extraUsers,
    filesBrowser: true,
    highlight: offer === 'PERSO' ? 'best-seller' : null,
    languages: { nodejs: [], php: ['phpfpm-8.1', 'phpfpm-8.2', 'phpfpm-8.3'], python: [], ruby: [] },
    moduleOneClick: true,
    privateDatabases: [],
    runtimes: offer === 'START' ? 1 : 5,
    sitesRecommended: limits.sitesRecommended,
    ssh: limits.ssh,
    traffic: null,
  };
}

export function credentialView(credential: CredentialRecord): Record<string, unknown> {
  return {
    allowedIPs: credential.allowedIPs,
    applicationId: credential.applicationId,
    creation: iso(credential.creation),
    credentialId: credential.credentialId,
    expiration: isoOrNull(credential.expiration),
    lastUse: isoOrNull(credential.lastUse),
    ovhSupport: false,
    rules: credential.rules,
    status: credential.status,
  };
}

export function runtimeView(record: RuntimeRecord, service: HostingService): Record<string, unknown> {
  const used = [...service.attachedDomains.values()].some((domain) => domain.runtimeId === record.id);
  return {
    appBootstrap: record.appBootstrap,
    appEnv: record.appEnv,
    creationDate: iso(record.creationDate),
    id: record.id,
    isDefault: record.isDefault,
    isDeletable: !record.isDefault && !used,
    lastUpdate: iso(record.lastUpdate),
    name: record.name,
    publicDir: record.publicDir,
    status: record.status,
    taskId: record.taskId,
    type: record.type,
  };
}

/** `hosting.web.ovhConfig`. The home's configuration has the path `''`; `fileExist`: OVH found the file there. */
export function ovhConfigView(record: OvhConfigRecord): Record<string, unknown> {
  return {
    container: record.container,
    creationDate: iso(record.creationDate),
    engineName: record.engineName,
    engineVersion: record.engineVersion,
    environment: record.environment,
    fileExist: true,
    historical: record.historical,
    httpFirewall: record.httpFirewall,
    id: record.id,
    path: record.path,
    status: record.status,
    taskId: record.taskId,
  };
}

/** `hosting.web.EnvVar`. OVH answers the value of every type (the schema's `value` cannot be null). */
export function envVarView(record: EnvVarRecord): Record<string, unknown> {
  return { key: record.key, status: record.status, taskId: record.taskId, type: record.type, value: record.value };
}
