// The OVHcloud API operations the simulator answers, as plain data. The schema generator keeps exactly these
// operations (and the models they reference) from the real schema; the route table must give each one a handler,
// which the compiler checks through `ServedOperation`.

export const SERVED_OPERATIONS = [
  // /auth
  'GET /auth/time',
  'POST /auth/credential',
  'GET /auth/currentCredential',
  'POST /auth/logout',
  // /hosting/web — catalogs (no authentication) and cross-service look-ups
  'GET /hosting/web',
  'GET /hosting/web/moduleList',
  'GET /hosting/web/moduleList/{id}',
  'GET /hosting/web/offerCapabilities',
  'GET /hosting/web/attachedDomain',
  // one hosting service
  'GET /hosting/web/{serviceName}',
  'GET /hosting/web/{serviceName}/attachedDomain',
  'POST /hosting/web/{serviceName}/attachedDomain',
  'GET /hosting/web/{serviceName}/attachedDomain/{domain}',
  'PUT /hosting/web/{serviceName}/attachedDomain/{domain}',
  'DELETE /hosting/web/{serviceName}/attachedDomain/{domain}',
  'GET /hosting/web/{serviceName}/attachedDomain/{domain}/digStatus',
  'GET /hosting/web/{serviceName}/database',
  'POST /hosting/web/{serviceName}/database',
  'GET /hosting/web/{serviceName}/database/{name}',
  'DELETE /hosting/web/{serviceName}/database/{name}',
  'POST /hosting/web/{serviceName}/database/{name}/changePassword',
  'GET /hosting/web/{serviceName}/database/{name}/dump',
  'POST /hosting/web/{serviceName}/database/{name}/dump',
  'GET /hosting/web/{serviceName}/database/{name}/dump/{id}',
  'DELETE /hosting/web/{serviceName}/database/{name}/dump/{id}',
  'POST /hosting/web/{serviceName}/database/{name}/dump/{id}/restore',
  'POST /hosting/web/{serviceName}/database/{name}/restore',
  'GET /hosting/web/{serviceName}/databaseAvailableType',
  'GET /hosting/web/{serviceName}/databaseAvailableVersion',
  'GET /hosting/web/{serviceName}/databaseCreationCapabilities',
  'GET /hosting/web/{serviceName}/dump',
  'GET /hosting/web/{serviceName}/dump/{id}',
  'DELETE /hosting/web/{serviceName}/dump/{id}',
  'GET /hosting/web/{serviceName}/module',
  'POST /hosting/web/{serviceName}/module',
  'GET /hosting/web/{serviceName}/module/{id}',
  'DELETE /hosting/web/{serviceName}/module/{id}',
  'GET /hosting/web/{serviceName}/runtime',
  'GET /hosting/web/{serviceName}/runtime/{id}',
  'GET /hosting/web/{serviceName}/runtime/{id}/attachedDomains',
  'GET /hosting/web/{serviceName}/runtimeAvailableTypes',
  'GET /hosting/web/{serviceName}/user',
  'POST /hosting/web/{serviceName}/user',
  'GET /hosting/web/{serviceName}/user/{login}',
  'PUT /hosting/web/{serviceName}/user/{login}',
  'DELETE /hosting/web/{serviceName}/user/{login}',
  'POST /hosting/web/{serviceName}/user/{login}/changePassword',
  'GET /hosting/web/{serviceName}/ssl',
  'POST /hosting/web/{serviceName}/ssl',
  'DELETE /hosting/web/{serviceName}/ssl',
  'GET /hosting/web/{serviceName}/ssl/domains',
  'POST /hosting/web/{serviceName}/ssl/regenerate',
  'GET /hosting/web/{serviceName}/tasks',
  'GET /hosting/web/{serviceName}/tasks/{id}',
  'GET /hosting/web/{serviceName}/token',
  // /domain/zone — DNS zones of the account
  'GET /domain/zone',
  'GET /domain/zone/{zoneName}',
  'GET /domain/zone/{zoneName}/record',
  'POST /domain/zone/{zoneName}/record',
  'GET /domain/zone/{zoneName}/record/{id}',
  'PUT /domain/zone/{zoneName}/record/{id}',
  'DELETE /domain/zone/{zoneName}/record/{id}',
  'POST /domain/zone/{zoneName}/refresh',
] as const;

export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

/** The schema documents the operations come from, by the file name they have in spec/ovh-api/. */
export const SCHEMA_SOURCES = ['hosting-web', 'auth', 'domain-zone'] as const;
export type SchemaSource = (typeof SCHEMA_SOURCES)[number];
