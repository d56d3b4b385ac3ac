// `GET /_sim/state`: every service with everything it holds, each item shaped like the schema's model (dumps as
// `hosting.web.dump` plus the `sendEmail` asked for; `ssl` as `hosting.web.SSL` plus its `domains`; every task
// ever started, forgotten ones included), plus what no API call shows: the service's `account`, its `runtimes`
// (`hosting.web.runtime`), every `.ovhconfig` (`ovhConfigs`, current and historical), the environment variables with their values (`envVars`), Git website links with their deployments and logs (`websites`) and the folders holding files (`filledFolders`), the `passwordChanges` done, and `moduleHealth` — whether each module's CMS still reaches
// its database (OVH lets a database a module uses be deleted or get a new password; the site then breaks). Zones
// (`domain.ZoneWithIAM` plus `account` and `records`) and accounts are listed beside the services.
import type { SimulatorCore } from '../core.js';
import type { HostingService, ModuleRecord } from '../state/records.js';
import { cronView } from '../hosting/cron-handlers.js';
import { zoneAdminView } from './dns-admin.js';
import { accountView } from './identity-admin.js';
import {
  attachedDomainView,
  databaseView,
  dumpUrl,
  dumpView,
  moduleView,
  ovhConfigView,
  envVarView,
  websiteView,
  deploymentView,
  runtimeView,
  serviceView,
  sslView,
  taskView,
  userView,
} from '../hosting/views.js';
import { taskMoment } from '../tasks/task-timeline.js';

function moduleHealth(service: HostingService, module: ModuleRecord): { id: number; healthy: boolean; problems: string[] } {
  const problems: string[] = [];
  for (const dependency of module.dependencies) {
    const database = dependency.name === null ? undefined : service.databases.get(dependency.name);
    if (!database) problems.push(`the database ${dependency.name ?? '?'} was deleted`);
    else if (database.password !== module.configuredDatabasePassword) problems.push(`the password of the database ${database.name} changed: the CMS still uses the old one`);
  }
  if (!service.attachedDomains.has(module.domain)) problems.push(`the domain ${module.domain} is no longer attached`);
  return { id: module.id, healthy: problems.length === 0, problems };
}

export function stateView(core: SimulatorCore): { services: Record<string, unknown>; zones: Record<string, unknown>; accounts: unknown[] } {
  const now = core.now();
  core.settle(now);
  const services: Record<string, unknown> = {};
  for (const service of core.state.services.values()) {
    services[service.serviceName] = {
      account: service.account,
      service: serviceView(service),
      attachedDomains: [...service.attachedDomains.values()].map((domain) => attachedDomainView(domain, service)),
      databases: [...service.databases.values()].map((database) => databaseView(database, service)),
      dumps: [...service.dumps.values()].map((dump) => ({
        ...dumpView(dump, dumpUrl(core.baseUrl, service.serviceName, dump)),
        sendEmail: dump.sendEmail,
      })),
      modules: [...service.modules.values()].map(moduleView),
      users: [...service.users.values()].map((user) => userView(user, service)),
      ssl: service.ssl ? { ...sslView(service.ssl), domains: [...service.ssl.domains] } : null,
      domainSsl: Object.fromEntries([...service.domainSsl].map(([domain, ssl]) => [domain, { ...sslView(ssl, true), validation: ssl.validation }])),
      tasks: [...core.state.tasks.values()]
        .filter((task) => task.serviceName === service.serviceName)
        .map((task) => taskView(task, taskMoment(task, now))),
      runtimes: [...service.runtimes.values()].map((runtime) => runtimeView(runtime, service)),
      ovhConfigs: [...service.ovhConfigs.values()].map(ovhConfigView),
      // Values included (passwords too): this is OVH's side, for tests to prove what a run restored.
      envVars: [...service.envVars.values()].map(envVarView),
      websites: [...service.websites.values()].map((website) => ({
        ...websiteView(website, service),
        deployments: website.deployments.map((deployment) => ({ ...deploymentView(deployment, website), logs: deployment.logs.map((l) => l.message) })),
      })),
      filledFolders: [...service.filledFolders],
      crons: [...service.crons.values()].map(cronView),
      passwordChanges: (core.state.passwordChanges.get(service.serviceName) ?? []).map((change) => ({ ...change, at: new Date(change.at).toISOString() })),
      moduleHealth: [...service.modules.values()].map((module) => moduleHealth(service, module)),
    };
  }
  const zones = Object.fromEntries([...core.state.zones.values()].map((zone) => [zone.name, zoneAdminView(zone)]));
  const accounts = [...core.accounts.accounts.keys()].sort().map((account) => accountView(core, account));
  return { services, zones, accounts };
}
