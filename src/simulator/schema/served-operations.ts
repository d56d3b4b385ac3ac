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
  'DELETE /hosting/web/{serviceName}/attachedDomain/{domain}',
  'GET /hosting/web/{serviceName}/database',
  'POST /hosting/web/{serviceName}/database',
  'GET /hosting/web/{serviceName}/database/{name}',
  'DELETE /hosting/web/{serviceName}/database/{name}',
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
  'GET /hosting/web/{serviceName}/user',
  'POST /hosting/web/{serviceName}/user',
  'GET /hosting/web/{serviceName}/user/{login}',
  'DELETE /hosting/web/{serviceName}/user/{login}',
  'GET /hosting/web/{serviceName}/ssl',
  'POST /hosting/web/{serviceName}/ssl',
  'DELETE /hosting/web/{serviceName}/ssl',
  'GET /hosting/web/{serviceName}/ssl/domains',
  'POST /hosting/web/{serviceName}/ssl/regenerate',
  'GET /hosting/web/{serviceName}/tasks',
  'GET /hosting/web/{serviceName}/tasks/{id}',
] as const;

export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

/** The schema documents the operations come from, by the file name they have in spec/ovh-api/. */
export const SCHEMA_SOURCES = ['hosting-web', 'auth'] as const;
export type SchemaSource = (typeof SCHEMA_SOURCES)[number];
