// One hosting service, its database offer, its runtimes, its ownership token and its task list.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { DATABASE_VERSIONS, OFFERS } from '../state/offers.js';
import { isForgotten, taskMoment } from '../tasks/task-timeline.js';
import { answerTask, requireIdle, requireRecord, requireService, requireWritableService, startTask, type Handler } from './handler-context.js';
import { matchesLike } from './rules.js';
import { creationCapabilitiesView, offerCapabilitiesView, runtimeView, serviceView, taskView } from './views.js';
import type { HostingService } from '../state/records.js';

/** The runtimes a shared hosting offers (`hosting.web.runtime.TypeEnum`); Node.js, Python and Ruby need Performance-class
 * features on OVH, but the simulator lists them for every offer but Start. */
const RUNTIME_TYPES = ['nodejs-14', 'phpfpm-7.3', 'phpfpm-7.4', 'phpfpm-8.0', 'python-3', 'ruby-2.6'];

function runtimeTypes(service: HostingService): string[] {
  return service.offer === 'START' ? ['phpfpm-7.4', 'phpfpm-8.0'] : RUNTIME_TYPES;
}

/** The attached domains a new runtime is for: each must be attached to this hosting. */
function attachedDomainsOf(service: HostingService, raw: unknown): string[] {
  const domains = Array.isArray(raw) ? raw.map((domain) => String(domain).toLowerCase()) : [];
  const unknown = domains.filter((domain) => !service.attachedDomains.has(domain));
  if (unknown.length > 0) throw apiErrors.badRequest(`[attachedDomains] ${unknown.join(', ')} is not attached to this hosting`);
  return domains;
}

export const serviceHandlers = {
  'GET /hosting/web/{serviceName}': (context) => serviceView(requireService(context)),

  'GET /hosting/web/{serviceName}/databaseAvailableType': (context) => {
    const service = requireService(context);
    return [...new Set(OFFERS[service.offer].databases.flatMap((allowance) => allowance.engines))].sort();
  },

  'GET /hosting/web/{serviceName}/databaseAvailableVersion': (context) => {
    const service = requireService(context);
    const type = context.query.type as string;
    const available = OFFERS[service.offer].databases.some((allowance) => allowance.engines.includes(type as never));
    const versions = DATABASE_VERSIONS[type];
    if (!available || !versions) throw apiErrors.badRequest(`[type] The database type ${type} is not available on this hosting`);
    return versions;
  },

  'GET /hosting/web/{serviceName}/databaseCreationCapabilities': (context) => {
    const service = requireService(context);
    const used = (type: string) => [...service.databases.values()].filter((database) => database.capabilitie === type).length;
    return creationCapabilitiesView(service.offer, used);
  },

  'GET /hosting/web/{serviceName}/token': (context) => requireService(context).token,

  'GET /hosting/web/{serviceName}/runtime': (context) => {
    const service = requireService(context);
    return [...service.runtimes.values()]
      .filter((runtime) => matchesLike(runtime.name, context.query.name) && (context.query.type === undefined || runtime.type === context.query.type))
      .map((runtime) => runtime.id)
      .sort((a, b) => a - b);
  },

  'GET /hosting/web/{serviceName}/runtime/{id}': (context) => {
    const service = requireService(context);
    return runtimeView(requireRecord(service.runtimes, context.path.id as number, 'id'), service);
  },

  'POST /hosting/web/{serviceName}/runtime': (context) => {
    const service = requireWritableService(context);
    const { body, core } = context;
    const limit = offerCapabilitiesView(service.offer).runtimes as number;
    if (service.runtimes.size >= limit) throw apiErrors.forbidden(`You have reached the maximum number of runtimes of the ${service.offer} offer (${limit})`);
    const type = (body.type as string | undefined) ?? 'phpfpm-8.0';
    if (!runtimeTypes(service).includes(type)) throw apiErrors.badRequest(`[type] The runtime ${type} is not available on this hosting: available types are ${runtimeTypes(service).join(', ')}`);
    const domains = attachedDomainsOf(service, body.attachedDomains);
    const id = core.state.nextIds.runtime++;
    const task = startTask(context, service, { function: 'runtime/create', objectType: 'Runtime', objectId: String(id), subject: String(id), changes: { attachedDomains: domains, isDefault: body.isDefault === true } });
    service.runtimes.set(id, {
      id,
      name: (body.name as string | undefined) ?? null,
      type,
      appEnv: (body.appEnv as 'development' | 'production' | undefined) ?? 'production',
      appBootstrap: (body.appBootstrap as string | undefined) ?? null,
      publicDir: (body.publicDir as string | undefined) ?? null,
      isDefault: false,
      creationDate: context.now,
      lastUpdate: context.now,
      status: 'creating',
      taskId: task.id,
    });
    return answerTask(context, task);
  },

  'PUT /hosting/web/{serviceName}/runtime/{id}': (context) => {
    const service = requireWritableService(context);
    const runtime = requireRecord(service.runtimes, context.path.id as number, 'id');
    requireIdle(runtime, `runtime ${runtime.id}`);
    const { body } = context;
    const type = typeof body.type === 'string' ? body.type : undefined;
    if (type !== undefined && !runtimeTypes(service).includes(type)) {
      throw apiErrors.badRequest(`[type] The runtime ${type} is not available on this hosting: available types are ${runtimeTypes(service).join(', ')}`);
    }
    if (body.isDefault === false && runtime.isDefault) throw apiErrors.badRequest('[isDefault] Make another runtime the default one instead');
    // Read-only properties (id, status, dates, isDeletable) are ignored, as OVH ignores them in an object sent back.
    const changes = Object.fromEntries((['name', 'type', 'appEnv', 'appBootstrap', 'publicDir', 'isDefault'] as const).flatMap((key) => (key in body ? [[key, body[key] ?? null]] : [])));
    const task = startTask(context, service, { function: 'runtime/update', objectType: 'Runtime', objectId: String(runtime.id), subject: String(runtime.id), changes });
    runtime.status = 'updating';
    runtime.taskId = task.id;
    return null;
  },

  'DELETE /hosting/web/{serviceName}/runtime/{id}': (context) => {
    const service = requireWritableService(context);
    const runtime = requireRecord(service.runtimes, context.path.id as number, 'id');
    if (runtimeView(runtime, service).isDeletable !== true) {
      throw apiErrors.forbidden(`The runtime ${runtime.id} cannot be deleted: it is the default one or attached domains use it`);
    }
    requireIdle(runtime, `runtime ${runtime.id}`);
    const task = startTask(context, service, { function: 'runtime/delete', objectType: 'Runtime', objectId: String(runtime.id), subject: String(runtime.id) });
    runtime.status = 'deleting';
    runtime.taskId = task.id;
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/runtime/{id}/attachedDomains': (context) => {
    const service = requireService(context);
    const runtime = requireRecord(service.runtimes, context.path.id as number, 'id');
    return [...service.attachedDomains.values()]
      .filter((domain) => domain.runtimeId === runtime.id || (domain.runtimeId === null && runtime.isDefault))
      .map((domain) => domain.domain)
      .sort();
  },

  'GET /hosting/web/{serviceName}/runtimeAvailableTypes': (context) => {
    const service = requireService(context);
    const language = context.query.language as string | undefined;
    return runtimeTypes(service).filter((type) => language === undefined || type.startsWith(language.toLowerCase()));
  },

  'GET /hosting/web/{serviceName}/tasks': (context) => {
    const service = requireService(context);
    const { core, now, query } = context;
    return [...core.state.tasks.values()]
      .filter((task) => task.serviceName === service.serviceName && !isForgotten(task, now, core.config.taskRetentionMs))
      .filter((task) => query.function === undefined || task.function === query.function)
      .filter((task) => query.status === undefined || taskMoment(task, now).status === query.status)
      .map((task) => task.id)
      .sort((a, b) => a - b);
  },

  'GET /hosting/web/{serviceName}/tasks/{id}': (context) => {
    const service = requireService(context);
    const { core, now, path } = context;
    const task = core.state.tasks.get(path.id as number);
    if (!task || task.serviceName !== service.serviceName || isForgotten(task, now, core.config.taskRetentionMs)) {
      throw apiErrors.objectNotFound('id', path.id as number);
    }
    return taskView(task, taskMoment(task, now));
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
