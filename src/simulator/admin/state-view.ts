// `GET /_sim/state`: every service with everything it holds, each item shaped like the schema's model (dumps as
// `hosting.web.dump` plus the `sendEmail` asked for; `ssl` as `hosting.web.SSL` plus its `domains`; every task
// ever started, forgotten ones included).
import type { SimulatorCore } from '../core.js';
import {
  attachedDomainView,
  databaseView,
  dumpUrl,
  dumpView,
  moduleView,
  serviceView,
  sslView,
  taskView,
  userView,
} from '../hosting/views.js';
import { taskMoment } from '../tasks/task-timeline.js';

export function stateView(core: SimulatorCore): { services: Record<string, unknown> } {
  const now = core.now();
  core.settle(now);
  const services: Record<string, unknown> = {};
  for (const service of core.state.services.values()) {
    services[service.serviceName] = {
      service: serviceView(service),
      attachedDomains: [...service.attachedDomains.values()].map(attachedDomainView),
      databases: [...service.databases.values()].map((database) => databaseView(database, service)),
      dumps: [...service.dumps.values()].map((dump) => ({
        ...dumpView(dump, dumpUrl(core.baseUrl, service.serviceName, dump)),
        sendEmail: dump.sendEmail,
      })),
      modules: [...service.modules.values()].map(moduleView),
      users: [...service.users.values()].map((user) => userView(user, service)),
      ssl: service.ssl ? { ...sslView(service.ssl), domains: [...service.ssl.domains] } : null,
      tasks: [...core.state.tasks.values()]
        .filter((task) => task.serviceName === service.serviceName)
        .map((task) => taskView(task, taskMoment(task, now))),
    };
  }
  return { services };
}
