// The plain script a competent team would write instead of ovhflow, from OVHcloud's web hosting API guide: the
// official `ovh` client, the guide's calls in order, a fixed 2 s poll of each task, no durability, no adoption of what
// exists, no verification beyond the task's status, no undo. It is what `npm run bench:peer` compares ovhflow with;
// it is written to be honest (the schema's real field names, the catalog looked up once per process, not per site),
// not a straw man.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface OvhLike {
  requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
}

export interface ScriptSite {
  serviceName: string;
  domain: string;
  /** The database user: the hosting's primary login plus a suffix, as the guide says. */
  databaseUser: string;
  databasePassword: string;
  adminPassword: string;
}

const POLL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function officialClient(endpoint: { host: string; port: number }, keys: { applicationKey: string; applicationSecret: string; consumerKey: string }): OvhLike {
  const create = require('ovh') as (options: Record<string, unknown>) => OvhLike;
  return create({ appKey: keys.applicationKey, appSecret: keys.applicationSecret, consumerKey: keys.consumerKey, host: endpoint.host, port: endpoint.port, basePath: '/1.0' });
}

/** Polls a task every 2 s until it is done; a cancelled task is an error. */
async function waitForTask(ovh: OvhLike, serviceName: string, taskId: number): Promise<void> {
  for (;;) {
    await sleep(POLL_MS);
    const task = (await ovh.requestPromised('GET', `/hosting/web/${serviceName}/tasks/${taskId}`)) as { status: string; function: string };
    if (task.status === 'done') return;
    if (task.status === 'cancelled') throw new Error(`task ${taskId} (${task.function}) was cancelled`);
  }
}

export function createPlainScript(ovh: OvhLike) {
  let wordpressId: number | undefined;
  /** The guide's catalog lookup (list, then each entry), done once per process. */
  async function wordpressModuleId(): Promise<number> {
    if (wordpressId !== undefined) return wordpressId;
    const ids = (await ovh.requestPromised('GET', '/hosting/web/moduleList', { active: true, latest: true })) as number[];
    for (const id of ids) {
      const entry = (await ovh.requestPromised('GET', `/hosting/web/moduleList/${id}`)) as { name: string };
      if (entry.name.toLowerCase() === 'wordpress') return (wordpressId = id);
    }
    throw new Error('no WordPress in the catalog');
  }

  return {
    /** Domain, database, WordPress wired to it, Let's Encrypt: the guide's calls in order. */
    async provision(site: ScriptSite): Promise<{ database: string; server: string }> {
      const { serviceName, domain } = site;
      const attach = (await ovh.requestPromised('POST', `/hosting/web/${serviceName}/attachedDomain`, { domain, path: domain, ssl: true })) as { id: number };
      await waitForTask(ovh, serviceName, attach.id);

      const create = (await ovh.requestPromised('POST', `/hosting/web/${serviceName}/database`, {
        capabilitie: 'sqlPerso',
        type: 'mysql',
        user: site.databaseUser,
        password: site.databasePassword,
      })) as { id: number };
      await waitForTask(ovh, serviceName, create.id);
      const database = (await ovh.requestPromised('GET', `/hosting/web/${serviceName}/database/${site.databaseUser}`)) as { name: string; server: string; port: number };

      const moduleId = await wordpressModuleId();
      const install = (await ovh.requestPromised('POST', `/hosting/web/${serviceName}/module`, {
        moduleId,
        domain,
        path: domain,
        language: 'en',
        adminName: 'admin',
        adminPassword: site.adminPassword,
        dependencies: [
          { type: 'mysql', name: database.name, server: database.server, port: database.port, user: site.databaseUser, password: site.databasePassword, prefix: 'wp_' },
        ],
      })) as { id: number };
      await waitForTask(ovh, serviceName, install.id);

      // HTTPS: order Let's Encrypt when the hosting has no certificate, else regenerate it for the new domain; both
      // answer the certificate, not a task: poll it until it is created again.
      const existing = await ovh.requestPromised('GET', `/hosting/web/${serviceName}/ssl`).catch(() => undefined);
      await ovh.requestPromised('POST', `/hosting/web/${serviceName}/ssl${existing ? '/regenerate' : ''}`);
      for (;;) {
        await sleep(POLL_MS);
        const ssl = (await ovh.requestPromised('GET', `/hosting/web/${serviceName}/ssl`)) as { status: string };
        if (ssl.status === 'created') break;
      }
      return { database: database.name, server: database.server };
    },
  };
}
