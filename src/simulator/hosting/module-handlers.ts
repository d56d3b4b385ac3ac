// 1-click modules. An installation needs: an active catalog module in a language it offers, a domain attached to
// the hosting, an empty target directory inside that domain's folder, and an existing MySQL database of the
// hosting given as the `mysql` dependency with its real name, server, port, user and password; the admin login,
// password and table prefix must follow the CMS's rules (state/module-catalog.ts). Deleting a module removes its
// files; its database is kept. Since 2026 the API has no call to change a module's admin password (the CMS does it).
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { ADMIN_PASSWORD_MAX_LENGTH, findCatalogModule, type CatalogModule } from '../state/module-catalog.js';
import type { AttachedDomainRecord, HostingService, ModuleDependencyRecord } from '../state/records.js';
import {
  answerTask,
  requireIdle,
  requireRecord,
  requireService,
  requireWritableService,
  startTask,
  type Handler,
} from './handler-context.js';
import { normalizeDomain, normalizeRelativePath } from './rules.js';
import { moduleView } from './views.js';

interface DependencyInput {
  type?: string;
  name?: string | null;
  password?: string | null;
  port?: number | null;
  prefix?: string | null;
  server?: string | null;
  user?: string | null;
}

function checkAdmin(catalog: CatalogModule, adminName: string, adminPassword: unknown): void {
  const { rules } = catalog;
  if (catalog.adminNameType === 'email' && !rules.adminName.pattern.test(adminName)) {
    throw apiErrors.badRequest(`[adminName] ${catalog.name} needs an email address as admin login`);
  }
  if (adminName.length < rules.adminName.minLength || adminName.length > rules.adminName.maxLength) {
    throw apiErrors.badRequest(`[adminName] The ${catalog.name} admin login must be ${rules.adminName.minLength} to ${rules.adminName.maxLength} characters long`);
  }
  if (!rules.adminName.pattern.test(adminName)) throw apiErrors.badRequest(`[adminName] The ${catalog.name} admin login may contain ${rules.adminName.allowed} only`);
  if (typeof adminPassword === 'string') {
    if (adminPassword.length < 8) throw apiErrors.badRequest('[adminPassword] The password must be at least 8 characters long');
    if (adminPassword.length < rules.adminPasswordMinLength) {
      throw apiErrors.badRequest(`[adminPassword] The ${catalog.name} admin password must be at least ${rules.adminPasswordMinLength} characters long`);
    }
    if (adminPassword.length > ADMIN_PASSWORD_MAX_LENGTH) {
      throw apiErrors.badRequest(`[adminPassword] The password must be at most ${ADMIN_PASSWORD_MAX_LENGTH} characters long`);
    }
  }
}

function checkMysqlDependency(service: HostingService, dependencies: DependencyInput[], catalog: CatalogModule): ModuleDependencyRecord & { password: string } {
  const index = dependencies.findIndex((dependency) => dependency.type === 'mysql');
  const dependency = dependencies[index];
  if (!dependency) {
    throw apiErrors.badRequest('[dependencies] This module needs a mysql dependency: an existing database of the hosting with its credentials');
  }
  const field = (name: string) => `dependencies[${index}].${name}`;
  for (const name of ['name', 'server', 'port', 'user', 'password'] as const) {
    if (dependency[name] === undefined || dependency[name] === null || dependency[name] === '') {
      throw apiErrors.badRequest(`[${field(name)}] Missing parameter`);
    }
  }
  const database = service.databases.get(String(dependency.name));
  if (!database) throw apiErrors.badRequest(`[${field('name')}] The database ${dependency.name} does not exist on this hosting`);
  if (database.type !== 'mysql' && database.type !== 'mariadb') {
    throw apiErrors.badRequest(`[${field('name')}] The database ${database.name} is not a MySQL database`);
  }
  requireIdle(database, `database ${database.name}`);
  const credentialsMatch =
    dependency.server === database.server &&
    dependency.port === database.port &&
    dependency.user === database.user &&
    database.password !== null &&
    dependency.password === database.password;
  if (!credentialsMatch) {
    throw apiErrors.badRequest(`[${field('password')}] Unable to connect to the database ${database.name} with the given server, port, user and password`);
  }
  const prefix = dependency.prefix ?? catalog.defaultPrefix;
  const rule = catalog.rules.prefix;
  if (prefix.length > rule.maxLength || !rule.pattern.test(prefix)) {
    throw apiErrors.badRequest(`[${field('prefix')}] Invalid table prefix for ${catalog.name}: ${prefix} (${rule.allowed}, at most ${rule.maxLength} characters)`);
  }
  return { type: 'mysql', name: database.name, port: database.port, prefix, server: database.server, user: database.user, password: database.password as string };
}

/** The module's address: its directory below the domain's folder, over https when the domain has SSL on. */
function targetUrl(domain: AttachedDomainRecord, path: string): string {
  const below = domain.path === '.' ? (path === '.' ? '' : path) : path === domain.path ? '' : path.slice(domain.path.length + 1);
  return `${domain.ssl ? 'https' : 'http'}://${domain.domain}/${below ? `${below}/` : ''}`;
}

export const moduleHandlers = {
  'GET /hosting/web/{serviceName}/module': (context) =>
    [...requireService(context).modules.keys()].sort((a, b) => a - b),

  'POST /hosting/web/{serviceName}/module': (context) => {
    const service = requireWritableService(context);
    const { body } = context;
    const catalog = findCatalogModule(body.moduleId as number);
    if (!catalog || !catalog.active) throw apiErrors.badRequest(`[moduleId] The module ${String(body.moduleId)} does not exist or cannot be installed anymore`);

    const language = (body.language as string | undefined) ?? (catalog.language.includes('en') ? 'en' : catalog.language[0] ?? 'en');
    if (!catalog.language.includes(language)) {
      throw apiErrors.badRequest(`[language] ${catalog.name} ${catalog.version} is not available in ${language} (available: ${catalog.language.join(', ')})`);
    }

    const domainName = normalizeDomain((body.domain as string | undefined) ?? service.serviceName, 'domain');
    const domain = service.attachedDomains.get(domainName);
    if (!domain) throw apiErrors.badRequest(`[domain] The domain ${domainName} is not attached to this hosting`);
    requireIdle(domain, `attached domain ${domain.domain}`);

    const path = normalizeRelativePath((body.path as string | undefined) ?? domain.path, 'path');
    const insideDomain = domain.path === '.' || path === domain.path || path.startsWith(`${domain.path}/`);
    if (!insideDomain) throw apiErrors.badRequest(`[path] ${path} is outside the folder of ${domain.domain} (${domain.path})`);
    const occupant = [...service.modules.values()].find((module) => module.path === path);
    if (occupant) throw apiErrors.conflict(`The directory ${path} is not empty: module ${occupant.id} is installed there`);

    const adminName = (body.adminName as string | undefined) ?? (catalog.adminNameType === 'email' ? `admin@${domain.domain}` : 'admin');
    checkAdmin(catalog, adminName, body.adminPassword);
    const { password: configuredDatabasePassword, ...dependency } = checkMysqlDependency(service, (body.dependencies as DependencyInput[] | undefined) ?? [], catalog);

    const id = context.core.state.nextIds.module++;
    const task = startTask(context, service, { function: 'module/install', objectType: 'Module', objectId: String(id), subject: String(id) });
    service.modules.set(id, {
      id,
      moduleId: catalog.id,
      domain: domain.domain,
      path,
      language,
      adminName,
      configuredDatabasePassword,
      adminFolder: catalog.adminFolder,
      targetUrl: targetUrl(domain, path),
      dependencies: [dependency],
      status: 'creating',
      taskId: task.id,
      creationDate: context.now,
      lastUpdate: context.now,
    });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/module/{id}': (context) => {
    const service = requireService(context);
    return moduleView(requireRecord(service.modules, context.path.id as number, 'id'));
  },

  'DELETE /hosting/web/{serviceName}/module/{id}': (context) => {
    const service = requireWritableService(context);
    const module = requireRecord(service.modules, context.path.id as number, 'id');
    requireIdle(module, `module ${module.id}`);
    const task = startTask(context, service, { function: 'module/delete', objectType: 'Module', objectId: String(module.id), subject: String(module.id) });
    module.status = 'deleting';
    module.taskId = task.id;
    module.lastUpdate = context.now;
    return answerTask(context, task);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
