// One hosting service, its database offer, and its task list.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { DATABASE_VERSIONS, OFFERS } from '../state/offers.js';
import { isForgotten, taskMoment } from '../tasks/task-timeline.js';
import { requireService, type Handler } from './handler-context.js';
import { creationCapabilitiesView, serviceView, taskView } from './views.js';

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
