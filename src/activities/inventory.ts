// Read-only inventory for `ovhflow ls`: one activity per listing, run on the worker (the only place holding OVH
// credentials). Lists fan out over services and databases with a small bound, well under OVH's rate limit.
import type { OvhClient } from '../ovh/client.js';
import type { ModuleCatalogEntry } from '../ovh/types.js';
import { shownValue } from '../shared/env-vars.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import {
  DEFAULT_TASK_LIMIT,
  inventoryRequestIssue,
  type InventoryRequest,
  type InventoryResult,
  type InventoryRow,
} from '../shared/inventory.js';
import { cronStateOf } from './cron-jobs.js';
import { listCronJobs } from './cron-lookup.js';
import { ovhCall, permanentFailure } from './failures.js';

const FAN_OUT = 4;

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

const isNotFound = (error: unknown) => (error as { type?: string })?.type === FAILURE_TYPES.notFound;

/** A resource listed a moment ago may be gone when read: skip it rather than fail the listing. */
async function unlessGone<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ovhCall(call);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const defined = <T>(values: Array<T | undefined>): T[] => values.filter((v): v is T => v !== undefined);

export function createInventoryActivities({ ovh }: { ovh: OvhClient }) {
  async function servicesOf(request: InventoryRequest): Promise<string[]> {
    if (request.serviceName !== undefined) return [request.serviceName];
    return ovhCall(() => ovh.listServices());
  }

  async function services(request: InventoryRequest): Promise<InventoryRow[]> {
    const names = await servicesOf(request);
    return defined(
      await mapBounded(names, FAN_OUT, async (serviceName) => {
        const service = request.serviceName === undefined ? await unlessGone(() => ovh.getService(serviceName)) : await ovhCall(() => ovh.getService(serviceName));
        if (!service) return undefined;
        return { serviceName, state: service.state, offer: service.offer, primaryLogin: service.primaryLogin, cluster: service.cluster ?? null, home: service.home ?? null };
      }),
    );
  }

  async function databaseNames(serviceName: string, only?: string): Promise<string[]> {
    if (only !== undefined) return [only];
    return ovhCall(() => ovh.listDatabases(serviceName));
  }

  async function databases(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const names = await databaseNames(serviceName, request.database);
      return defined(
        await mapBounded(names, FAN_OUT, async (name) => {
          const db = request.database !== undefined ? await ovhCall(() => ovh.getDatabase(serviceName, name)) : await unlessGone(() => ovh.getDatabase(serviceName, name));
          if (!db) return undefined;
          return { serviceName, name: db.name, type: db.type, version: db.version, status: db.status, server: db.server ?? null, port: db.port, user: db.user, mode: db.mode };
        }),
      );
    });
    return perService.flat();
  }

  async function catalogEntries(ids: readonly number[]): Promise<ModuleCatalogEntry[]> {
    return defined(await mapBounded(ids, FAN_OUT, (id) => unlessGone(() => ovh.getModuleCatalogEntry(id))));
  }

  async function modules(request: InventoryRequest): Promise<InventoryRow[]> {
    if (!request.filters?.installed) {
      const entries = await catalogEntries(await ovhCall(() => ovh.listModuleCatalog()));
      return entries.map((entry) => ({
        id: entry.id,
        name: entry.name,
        version: entry.version,
        branch: entry.branch,
        active: entry.active,
        latest: entry.latest,
        languages: entry.language.join(' '),
      }));
    }
    const serviceName = request.serviceName as string;
    const ids = await ovhCall(() => ovh.listModules(serviceName));
    const installed = defined(await mapBounded(ids, FAN_OUT, (id) => unlessGone(() => ovh.getModule(serviceName, id))));
    const catalog = new Map((await catalogEntries([...new Set(installed.map((m) => m.moduleId))])).map((entry) => [entry.id, entry]));
    return installed.map((module) => {
      const entry = catalog.get(module.moduleId);
      return {
        serviceName,
        id: module.id,
        moduleId: module.moduleId,
        module: entry ? `${entry.name} ${entry.version}` : `catalog #${module.moduleId}`,
        targetUrl: module.targetUrl,
        path: module.path,
        language: module.language,
        adminName: module.adminName,
        status: module.status,
      };
    });
  }

  async function users(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const logins = await ovhCall(() => ovh.listUsers(serviceName));
      return defined(
        await mapBounded(logins, FAN_OUT, async (login) => {
          const user = await unlessGone(() => ovh.getUser(serviceName, login));
          if (!user) return undefined;
          return { serviceName, login: user.login, home: user.home, sshState: user.sshState, state: user.state, status: user.status, isPrimaryAccount: user.isPrimaryAccount };
        }),
      );
    });
    return perService.flat();
  }

  async function dumps(request: InventoryRequest): Promise<InventoryRow[]> {
    const serviceName = request.serviceName as string;
    const perDatabase = await mapBounded(await databaseNames(serviceName, request.database), FAN_OUT, async (database) => {
      const ids = await ovhCall(() => ovh.listDumps(serviceName, database));
      return defined(
        await mapBounded(ids, FAN_OUT, async (id) => {
          const dump = await unlessGone(() => ovh.getDump(serviceName, database, id));
          if (!dump) return undefined;
          return {
            serviceName,
            database,
            id: dump.id,
            type: dump.type,
            status: dump.status,
            creationDate: dump.creationDate,
            deletionDate: dump.deletionDate,
            hasUrl: Boolean(dump.url),
            // A download link: machine-readable output only (the CLI's table shows `hasUrl`).
            url: dump.url ?? null,
          };
        }),
      );
    });
    return perDatabase.flat();
  }

  async function tasks(request: InventoryRequest): Promise<InventoryResult> {
    const serviceName = request.serviceName as string;
    const { status, function: fn, limit = DEFAULT_TASK_LIMIT } = request.filters ?? {};
    const ids = await ovhCall(() => ovh.listTasks(serviceName, { ...(status ? { status } : {}), ...(fn ? { function: fn } : {}) }));
    // Task ids grow with time: the most recent first.
    const recent = [...ids].sort((a, b) => b - a).slice(0, limit);
    const rows = defined(
      await mapBounded(recent, FAN_OUT, async (id) => {
        const task = await unlessGone(() => ovh.getTask(serviceName, id));
        if (!task) return undefined;
        return {
          serviceName,
          id: task.id,
          function: task.function,
          status: task.status,
          objectType: task.objectType ?? null,
          objectId: task.objectId ?? null,
          startDate: task.startDate,
          doneDate: task.doneDate ?? null,
        };
      }),
    );
    return { kind: 'tasks', rows, ...(ids.length > recent.length ? { omitted: ids.length - recent.length } : {}) };
  }

  /** Each folder's current `.ovhconfig` (the home's path is `''`), sorted by folder. */
  async function php(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const ids = await ovhCall(() => ovh.listOvhConfigs(serviceName));
      const configs = defined(await mapBounded(ids, FAN_OUT, (id) => unlessGone(() => ovh.getOvhConfig(serviceName, id))));
      return configs
        .filter((config) => !config.historical)
        .map((config) => ({
          serviceName,
          path: config.path ?? '',
          id: config.id,
          engineName: config.engineName,
          engineVersion: config.engineVersion,
          environment: config.environment,
          httpFirewall: config.httpFirewall,
          container: config.container,
          status: config.status,
        }))
        .sort((a, b) => a.path.localeCompare(b.path));
    });
    return perService.flat();
  }

  /** The hosting's environment variables, by name; a password's value never leaves the worker: it is masked here. */
  async function env(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const names = await ovhCall(() => ovh.listEnvVars(serviceName));
      const found = defined(await mapBounded(names, FAN_OUT, (name) => unlessGone(() => ovh.getEnvVar(serviceName, name))));
      return found
        .map((variable) => ({ serviceName, name: variable.key, type: variable.type, value: shownValue(variable.type, variable.value), status: variable.status }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
    return perService.flat();
  }

  /** Each Git website link (folder, repository, branch) with its newest deployment, sorted by folder. */
  async function websites(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const ids = await ovhCall(() => ovh.listWebsites(serviceName));
      const links = defined(await mapBounded(ids, FAN_OUT, (id) => unlessGone(() => ovh.getWebsite(serviceName, id))));
      const rows = await mapBounded(links, FAN_OUT, async (link) => {
        const deploymentIds = await ovhCall(() => ovh.listWebsiteDeployments(serviceName, link.id));
        const newest = deploymentIds.length === 0 ? undefined : await unlessGone(() => ovh.getWebsiteDeployment(serviceName, link.id, Math.max(...deploymentIds)));
        return {
          serviceName,
          path: link.path,
          id: link.id,
          repository: link.vcsUrl,
          branch: link.vcsBranch,
          status: link.status,
          lastDeployment: newest?.id ?? null,
          lastDeploymentStatus: newest?.status ?? null,
          lastDeploymentDate: newest?.date ?? null,
          lastCommit: newest?.vcsCommitId ?? null,
        };
      });
      return rows.sort((a, b) => a.path.localeCompare(b.path));
    });
    return perService.flat();
  }

  /** A hosting's cron jobs, by command (what identifies a job; OVH's ids change). */
  async function crons(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) =>
      (await listCronJobs(ovh, serviceName))
        .map(cronStateOf)
        .map((job) => ({ serviceName, command: job.command, frequency: job.frequency, language: job.language, status: job.status, state: job.state, description: job.description, email: job.email, id: job.id }))
        .sort((a, b) => a.command.localeCompare(b.command)),
    );
    return perService.flat();
  }

  /** Each runtime of a hosting and the attached domains that use it (a domain without `runtimeId` uses the default). */
  async function runtimes(request: InventoryRequest): Promise<InventoryRow[]> {
    const perService = await mapBounded(await servicesOf(request), FAN_OUT, async (serviceName) => {
      const ids = await ovhCall(() => ovh.listRuntimes(serviceName));
      const found = defined(await mapBounded(ids, FAN_OUT, (id) => unlessGone(() => ovh.getRuntime(serviceName, id))));
      const domainNames = await ovhCall(() => ovh.listAttachedDomains(serviceName));
      const domains = defined(await mapBounded(domainNames, FAN_OUT, (domain) => unlessGone(() => ovh.getAttachedDomain(serviceName, domain))));
      return found
        .map((runtime) => ({
          serviceName,
          id: runtime.id,
          name: runtime.name ?? null,
          type: runtime.type,
          isDefault: runtime.isDefault,
          appEnv: runtime.appEnv ?? null,
          publicDir: runtime.publicDir ?? null,
          appBootstrap: runtime.appBootstrap ?? null,
          status: runtime.status,
          attachedDomains: domains
            .filter((domain) => (domain.runtimeId ?? null) === runtime.id || ((domain.runtimeId ?? null) === null && runtime.isDefault))
            .map((domain) => domain.domain)
            .sort()
            .join(', '),
        }))
        .sort((a, b) => a.id - b.id);
    });
    return perService.flat();
  }

  return {
    /** One listing of `ovhflow ls`. Read-only: retrying it is always safe. */
    async listInventory(request: InventoryRequest): Promise<InventoryResult> {
      const issue = inventoryRequestIssue(request);
      if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, issue);
      if (request.kind === 'tasks') return tasks(request);
      const list = { services, databases, modules, users, dumps, php, env, websites, crons, runtimes }[request.kind];
      let rows = await list(request);
      const status = request.filters?.status;
      if (status !== undefined) rows = rows.filter((row) => row.status === status || row.state === status);
      return { kind: request.kind, rows };
    },
  };
}
