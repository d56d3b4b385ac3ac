// One hosting service, its database offer, its runtimes, its ownership token and its task list.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { DATABASE_VERSIONS, OFFERS } from '../state/offers.js';
import { isForgotten, taskMoment } from '../tasks/task-timeline.js';
import { requireRecord, requireService, type Handler } from './handler-context.js';
import { matchesLike } from './rules.js';
import { creationCapabilitiesView, runtimeView, serviceView, taskView } from './views.js';

/** The runtimes a shared hosting offers (`hosting.web.runtime.TypeEnum`); Node.js, Python and Ruby need Performance-class
 * features on OVH, but the simulator lists them for every offer but Start. */
const RUNTIME_TYPES = ['nodejs-14', 'phpfpm-7.3', 'phpfpm-7.4', 'phpfpm-8.0', 'python-3', 'ruby-2.6'];

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
    const types = service.offer === 'START' ? ['phpfpm-7.4', 'phpfpm-8.0'] : RUNTIME_TYPES;
    return types.filter((type) => language === undefined || type.startsWith(language.toLowerCase()));
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
