// Every OVH API call ovhflow can make, as data: a name (the OvhClient method that makes it), an HTTP method and
// the path template of the real schema (spec/ovh-api). The client builds each request from this table, and the
// consumer key's access rules are derived from it (access-rules.ts), so a new call cannot ship without the rule
// it needs, and no rule is asked for that no call uses.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OvhOperation {
  method: HttpMethod;
  /** Relative to the API root (`/1.0`), with `{name}` placeholders as the schema writes them. */
  path: string;
  /** OVH serves it without a consumer key (the schema's `noAuthentication`): no access rule needed. */
  noAuthentication?: true;
  /**
   * A client method no ovhflow code calls: its access rule is not requested (least privilege), so with a key from
   * `ovhflow credentials request` OVH refuses it. test/security/access-rules.test.ts fails as soon as code calls it:
   * then remove this flag, and the rule is requested.
   */
  notCalled?: true;
  /**
   * About the consumer key itself (the schema lists no IAM action for it): service accounts never make this call,
   * so it needs no IAM action (iam-actions.ts).
   */
  consumerKeyOnly?: true;
}

export const OVH_OPERATIONS = {
  // --- services ---
  listServices: { method: 'GET', path: '/hosting/web' },
  getService: { method: 'GET', path: '/hosting/web/{serviceName}' },
  getOfferCapabilities: { method: 'GET', path: '/hosting/web/offerCapabilities', noAuthentication: true },

  // --- tasks ---
  listTasks: { method: 'GET', path: '/hosting/web/{serviceName}/tasks' },
  getTask: { method: 'GET', path: '/hosting/web/{serviceName}/tasks/{id}' },

  // --- attached domains ---
  listAttachedDomains: { method: 'GET', path: '/hosting/web/{serviceName}/attachedDomain' },
  getAttachedDomain: { method: 'GET', path: '/hosting/web/{serviceName}/attachedDomain/{domain}' },
  attachDomain: { method: 'POST', path: '/hosting/web/{serviceName}/attachedDomain' },
  detachDomain: { method: 'DELETE', path: '/hosting/web/{serviceName}/attachedDomain/{domain}' },

  // --- databases ---
  listDatabases: { method: 'GET', path: '/hosting/web/{serviceName}/database' },
  getDatabase: { method: 'GET', path: '/hosting/web/{serviceName}/database/{name}' },
  createDatabase: { method: 'POST', path: '/hosting/web/{serviceName}/database' },
  deleteDatabase: { method: 'DELETE', path: '/hosting/web/{serviceName}/database/{name}' },

  // --- dumps ---
  listDumps: { method: 'GET', path: '/hosting/web/{serviceName}/database/{name}/dump' },
  getDump: { method: 'GET', path: '/hosting/web/{serviceName}/database/{name}/dump/{id}' },
  createDump: { method: 'POST', path: '/hosting/web/{serviceName}/database/{name}/dump' },
  restoreDump: { method: 'POST', path: '/hosting/web/{serviceName}/database/{name}/dump/{id}/restore' },
  restoreOvhBackup: { method: 'POST', path: '/hosting/web/{serviceName}/database/{name}/restore' },

  // --- modules ---
  listModuleCatalog: { method: 'GET', path: '/hosting/web/moduleList', noAuthentication: true },
  getModuleCatalogEntry: { method: 'GET', path: '/hosting/web/moduleList/{id}', noAuthentication: true },
  listModules: { method: 'GET', path: '/hosting/web/{serviceName}/module' },
  getModule: { method: 'GET', path: '/hosting/web/{serviceName}/module/{id}' },
  installModule: { method: 'POST', path: '/hosting/web/{serviceName}/module' },
  deleteModule: { method: 'DELETE', path: '/hosting/web/{serviceName}/module/{id}' },

  // --- SSL ---
  getSsl: { method: 'GET', path: '/hosting/web/{serviceName}/ssl' },
  orderSsl: { method: 'POST', path: '/hosting/web/{serviceName}/ssl' },
  regenerateSsl: { method: 'POST', path: '/hosting/web/{serviceName}/ssl/regenerate' },
  listSslDomains: { method: 'GET', path: '/hosting/web/{serviceName}/ssl/domains' },
  deleteSsl: { method: 'DELETE', path: '/hosting/web/{serviceName}/ssl' },
  // An attached domain's own certificate (2026): what provisioning, renewal and decommission use where OVH allows.
  getDomainSsl: { method: 'GET', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/ssl' },
  orderDomainSsl: { method: 'POST', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/ssl' },
  regenerateDomainSsl: { method: 'POST', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/ssl/regenerate' },
  deleteDomainSsl: { method: 'DELETE', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/ssl' },
  getDomainSslReport: { method: 'GET', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/ssl/report' },

  // --- users ---
  listUsers: { method: 'GET', path: '/hosting/web/{serviceName}/user' },
  getUser: { method: 'GET', path: '/hosting/web/{serviceName}/user/{login}' },
  createUser: { method: 'POST', path: '/hosting/web/{serviceName}/user' },
  deleteUser: { method: 'DELETE', path: '/hosting/web/{serviceName}/user/{login}' },

  // --- changes and password rotations (issue #14: rotateCredentials, FTP/SSH users updated) ---
  updateUser: { method: 'PUT', path: '/hosting/web/{serviceName}/user/{login}' },
  changeUserPassword: { method: 'POST', path: '/hosting/web/{serviceName}/user/{login}/changePassword' },
  changeDatabasePassword: { method: 'POST', path: '/hosting/web/{serviceName}/database/{name}/changePassword' },

  // --- the consumer key itself ---
  serverTime: { method: 'GET', path: '/auth/time', noAuthentication: true },
  /** Signed with the application key only: this is how a consumer key is obtained. */
  requestCredential: { method: 'POST', path: '/auth/credential', noAuthentication: true },
  /** `ovhflow credentials check`: what the key in use may do. */
  currentCredential: { method: 'GET', path: '/auth/currentCredential', consumerKeyOnly: true },

  // --- DNS readiness (issue #15): what a domain points at, and the zone records of a domain at OVH ---
  getDigStatus: { method: 'GET', path: '/hosting/web/{serviceName}/attachedDomain/{domain}/digStatus' },
  getHostingToken: { method: 'GET', path: '/hosting/web/{serviceName}/token' },
  listDnsZones: { method: 'GET', path: '/domain/zone' },
  listZoneRecords: { method: 'GET', path: '/domain/zone/{zoneName}/record' },
  getZoneRecord: { method: 'GET', path: '/domain/zone/{zoneName}/record/{id}' },
  createZoneRecord: { method: 'POST', path: '/domain/zone/{zoneName}/record' },
  updateZoneRecord: { method: 'PUT', path: '/domain/zone/{zoneName}/record/{id}' },
  deleteZoneRecord: { method: 'DELETE', path: '/domain/zone/{zoneName}/record/{id}' },
  refreshZone: { method: 'POST', path: '/domain/zone/{zoneName}/refresh' },
  // --- attached domains, changed (updateAttachedDomain) ---
  updateAttachedDomain: { method: 'PUT', path: '/hosting/web/{serviceName}/attachedDomain/{domain}' },
  // --- `.ovhconfig` per folder: PHP engine, version, environment, firewall, container (setPhpConfig, ls php) ---
  listOvhConfigs: { method: 'GET', path: '/hosting/web/{serviceName}/ovhConfig' },
  getOvhConfig: { method: 'GET', path: '/hosting/web/{serviceName}/ovhConfig/{id}' },
  changeOvhConfig: { method: 'POST', path: '/hosting/web/{serviceName}/ovhConfig/{id}/changeConfiguration' },
  rollbackOvhConfig: { method: 'POST', path: '/hosting/web/{serviceName}/ovhConfig/{id}/rollback' },
  getOvhConfigCapabilities: { method: 'GET', path: '/hosting/web/{serviceName}/ovhConfigCapabilities' },
  refreshOvhConfigs: { method: 'POST', path: '/hosting/web/{serviceName}/ovhConfigRefresh' },
  // --- environment variables (setEnvVars, ls env) ---
  listEnvVars: { method: 'GET', path: '/hosting/web/{serviceName}/envVar' },
  getEnvVar: { method: 'GET', path: '/hosting/web/{serviceName}/envVar/{key}' },
  createEnvVar: { method: 'POST', path: '/hosting/web/{serviceName}/envVar' },
  updateEnvVar: { method: 'PUT', path: '/hosting/web/{serviceName}/envVar/{key}' },
  deleteEnvVar: { method: 'DELETE', path: '/hosting/web/{serviceName}/envVar/{key}' },
  // --- Git deployment (2026): website links, deployments, GitHub's push webhook (deployWebsite, ls websites) ---
  getWebsiteCreationCapabilities: { method: 'GET', path: '/hosting/web/{serviceName}/websiteCreationCapabilities' },
  listWebsites: { method: 'GET', path: '/hosting/web/{serviceName}/website' },
  getWebsite: { method: 'GET', path: '/hosting/web/{serviceName}/website/{id}' },
  createWebsite: { method: 'POST', path: '/hosting/web/{serviceName}/website' },
  updateWebsite: { method: 'PUT', path: '/hosting/web/{serviceName}/website/{id}' },
  deleteWebsite: { method: 'DELETE', path: '/hosting/web/{serviceName}/website/{id}' },
  deployWebsite: { method: 'POST', path: '/hosting/web/{serviceName}/website/{id}/deploy' },
  listWebsiteDeployments: { method: 'GET', path: '/hosting/web/{serviceName}/website/{id}/deployment' },
  getWebsiteDeployment: { method: 'GET', path: '/hosting/web/{serviceName}/website/{id}/deployment/{deploymentId}' },
  getWebsiteDeploymentLogs: { method: 'GET', path: '/hosting/web/{serviceName}/website/{id}/deployment/{deploymentId}/logs' },
  getVcsWebhooks: { method: 'GET', path: '/hosting/web/{serviceName}/vcs/webhooks' },
  // --- scheduled tasks (cron jobs: cron add|update|delete, ls crons) and runtimes (ls runtimes) ---
  listCrons: { method: 'GET', path: '/hosting/web/{serviceName}/cron' },
  getCron: { method: 'GET', path: '/hosting/web/{serviceName}/cron/{id}' },
  createCron: { method: 'POST', path: '/hosting/web/{serviceName}/cron' },
  updateCron: { method: 'PUT', path: '/hosting/web/{serviceName}/cron/{id}' },
  deleteCron: { method: 'DELETE', path: '/hosting/web/{serviceName}/cron/{id}' },
  listCronLanguages: { method: 'GET', path: '/hosting/web/{serviceName}/cronAvailableLanguage' },
  listRuntimes: { method: 'GET', path: '/hosting/web/{serviceName}/runtime' },
  getRuntime: { method: 'GET', path: '/hosting/web/{serviceName}/runtime/{id}' },
} as const satisfies Record<string, OvhOperation>;

export type OperationName = keyof typeof OVH_OPERATIONS;

/** The `{placeholders}` of a path template, as an object type: `{ serviceName: string | number; name: ... }`. */
export type PathParams<Template extends string> = Template extends `${string}{${infer Key}}${infer Rest}`
  ? { [K in Key]: string | number } & PathParams<Rest>
  : unknown;

export type OperationPathParams<N extends OperationName> = PathParams<(typeof OVH_OPERATIONS)[N]['path']>;

/** The operations as a list, in table order. */
export function ovhOperations(): Array<OvhOperation & { name: OperationName }> {
  return (Object.entries(OVH_OPERATIONS) as Array<[OperationName, OvhOperation]>).map(([name, operation]) => ({ name, ...operation }));
}

/**
 * The concrete path of one call: each placeholder replaced by its value, encoded as one path segment (OVH service
 * names and domains are plain, but a caller's value must never be able to change the path).
 */
export function operationPath<N extends OperationName>(name: N, params: OperationPathParams<N>): string {
  const values = params as Record<string, string | number | undefined>;
  return OVH_OPERATIONS[name].path.replace(/\{(\w+)\}/g, (_placeholder, key: string) => {
    const value = values[key];
    if (value === undefined || value === '') throw new Error(`OVH operation ${name}: missing path parameter "${key}"`);
    return encodeURIComponent(String(value));
  });
}
