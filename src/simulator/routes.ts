// The route table: one handler per served operation, as data. The compiler checks it is complete against
// SERVED_OPERATIONS (and so against the generated schema).
import { zoneHandlers } from './dns/zone-handlers.js';
import { attachedDomainHandlers } from './hosting/attached-domain-handlers.js';
import { authHandlers } from './hosting/auth-handlers.js';
import { cronHandlers } from './hosting/cron-handlers.js';
import { catalogHandlers } from './hosting/catalog-handlers.js';
import { domainSslHandlers } from './hosting/domain-ssl-handlers.js';
import { databaseHandlers } from './hosting/database-handlers.js';
import { dumpHandlers } from './hosting/dump-handlers.js';
import type { Handler } from './hosting/handler-context.js';
import { moduleHandlers } from './hosting/module-handlers.js';
import { ovhConfigHandlers } from './hosting/ovh-config-handlers.js';
import { envVarHandlers } from './hosting/env-var-handlers.js';
import { serviceHandlers } from './hosting/service-handlers.js';
import { sslHandlers } from './hosting/ssl-handlers.js';
import { userHandlers } from './hosting/user-handlers.js';
import { websiteHandlers } from './hosting/website-handlers.js';
import type { ServedOperation } from './schema/served-operations.js';

export const ROUTE_HANDLERS = {
  ...authHandlers,
  ...catalogHandlers,
  ...serviceHandlers,
  ...attachedDomainHandlers,
  ...databaseHandlers,
  ...dumpHandlers,
  ...moduleHandlers,
  ...userHandlers,
  ...sslHandlers,
  ...domainSslHandlers,
  ...ovhConfigHandlers,
  ...zoneHandlers,
  ...envVarHandlers,
  ...websiteHandlers,
  ...cronHandlers,
} satisfies Record<ServedOperation, Handler>;

export function handlerFor(operation: string): Handler | undefined {
  return (ROUTE_HANDLERS as Record<string, Handler>)[operation];
}
