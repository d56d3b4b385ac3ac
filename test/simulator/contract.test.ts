// The simulator is built from the real schema and must stay true to it: every route it serves exists in
// spec/ovh-api/*.json (read here, at test time) with the same path, method and parameters; the committed trimmed
// schema is what the generator makes of the real one; and every answer is shaped like the operation's model.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trimSchema } from '../../scripts/generate-simulator-schema.js';
import { checkValue } from '../../src/simulator/schema/check-value.js';
import type { OvhModel, OvhOperation, OvhSchemaDocument } from '../../src/simulator/schema/schema-types.js';
import { SCHEMA_SOURCES, SERVED_OPERATIONS } from '../../src/simulator/schema/served-operations.js';
import { startTestSimulator, type Json, type OfficialOvhClient, type TestSimulator } from '../support/simulator.js';

const root = new URL('../../', import.meta.url).pathname;
const specApi = resolve(root, 'spec/ovh-api');
const real = Object.fromEntries(
  SCHEMA_SOURCES.map((source) => [source, JSON.parse(readFileSync(resolve(specApi, `${source}.json`), 'utf8')) as OvhSchemaDocument]),
);
const realModels: Record<string, OvhModel> = Object.assign({}, ...Object.values(real).map((document) => document.models));
const realOperations = new Map<string, OvhOperation>();
for (const document of Object.values(real)) {
  for (const api of document.apis) for (const operation of api.operations) realOperations.set(`${operation.httpMethod} ${api.path}`, operation);
}

function parameterSignature(operation: OvhOperation): string[] {
  return operation.parameters.map((p) => `${p.paramType}:${p.name ?? '(body)'}:${p.fullType ?? p.dataType}:${p.required}`).sort();
}

/** Fails with the schema's complaint when `value` is not shaped like `type`. */
function expectShape(value: unknown, type: string, what: string): void {
  if (type === 'void') {
    expect(value, what).toBeNull();
    return;
  }
  try {
    checkValue(value, type, '', { models: realModels, source: 'json', mode: 'response' });
  } catch (error) {
    throw new Error(`${what}: not a ${type}: ${(error as Error).message}`);
  }
}

describe('the simulator against the real OVHcloud schema', () => {
  it('serves only operations of the real schema, with the same paths, methods and parameters', async () => {
    const { loadApiSchema } = await import('../../src/simulator/schema/api-schema.js');
    const served = loadApiSchema().operations;
    expect([...served.keys()].sort()).toEqual([...SERVED_OPERATIONS].sort());
    for (const [key, operation] of served) {
      const original = realOperations.get(key);
      expect(original, `${key} is not in spec/ovh-api`).toBeDefined();
      expect(parameterSignature(operation), key).toEqual(parameterSignature(original as OvhOperation));
      expect(operation.responseType, key).toBe(original?.responseType);
      expect(operation.noAuthentication, key).toBe(original?.noAuthentication);
    }
  });

  it('ships the trimmed schema the generator makes from the real one (run `npm run sim:schema` if not)', () => {
    for (const source of SCHEMA_SOURCES) {
      const committed = JSON.parse(readFileSync(resolve(root, `src/simulator/schema/${source}.trimmed.json`), 'utf8')) as unknown;
      expect(committed, `src/simulator/schema/${source}.trimmed.json is stale`).toEqual(trimSchema(real[source] as OvhSchemaDocument, source, SERVED_OPERATIONS));
    }
  });
});

describe('answers shaped like the schema models', () => {
  let sim: TestSimulator;
  let client: OfficialOvhClient;
  const s = 'demo-shop.ovh';
  const answers: Array<{ key: string; value: unknown }> = [];

  async function call(method: string, template: string, path: string, params?: Record<string, unknown>): Promise<Json> {
    const value = await client.requestPromised(method, path, params);
    answers.push({ key: `${method} ${template}`, value });
    return value;
  }

  /** PUT answers nothing: wait for the task the resource names, if it is still running. */
  async function untilIdle(path: string): Promise<void> {
    const taskId = ((await client.requestPromised('GET', path)) as Record<string, Json>).taskId as number | null;
    if (taskId !== null) await sim.waitForTask(s, taskId);
  }

  beforeAll(async () => {
    sim = await startTestSimulator();
    client = sim.ovhClient();
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('for every served operation', async () => {
    const svc = '/hosting/web/{serviceName}';
    await call('GET', '/auth/time', '/auth/time');
    await call('GET', '/hosting/web', '/hosting/web');
    await call('GET', '/hosting/web/moduleList', '/hosting/web/moduleList');
    await call('GET', '/hosting/web/moduleList/{id}', '/hosting/web/moduleList/301');
    await call('GET', '/hosting/web/offerCapabilities', '/hosting/web/offerCapabilities', { offer: 'PRO' });
    await call('GET', '/hosting/web/attachedDomain', '/hosting/web/attachedDomain', { domain: 'shop.example.com' });
    await call('GET', svc, `/hosting/web/${s}`);
    await call('GET', `${svc}/attachedDomain`, `/hosting/web/${s}/attachedDomain`);
    await call('GET', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/shop.example.com`);
    const attach = await call('POST', `${svc}/attachedDomain`, `/hosting/web/${s}/attachedDomain`, { domain: 'contract.example.com', path: 'contract', ssl: true, cdn: 'active', firewall: 'none', ipLocation: 'FR' });
    await call('GET', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/contract.example.com`);
    await call('GET', `${svc}/tasks`, `/hosting/web/${s}/tasks`);
    await call('GET', `${svc}/tasks/{id}`, `/hosting/web/${s}/tasks/${attach.id}`);
    await sim.waitForTask(s, attach.id);
    await call('GET', `${svc}/attachedDomain/{domain}/digStatus`, `/hosting/web/${s}/attachedDomain/contract.example.com/digStatus`);
    await call('GET', `${svc}/token`, `/hosting/web/${s}/token`);
    const runtimes = (await call('GET', `${svc}/runtime`, `/hosting/web/${s}/runtime`)) as number[];
    await call('GET', `${svc}/runtime/{id}`, `/hosting/web/${s}/runtime/${runtimes[0]}`);
    await call('GET', `${svc}/runtime/{id}/attachedDomains`, `/hosting/web/${s}/runtime/${runtimes[0]}/attachedDomains`);
    await call('GET', `${svc}/runtimeAvailableTypes`, `/hosting/web/${s}/runtimeAvailableTypes`);
    await call('PUT', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/contract.example.com`, { cdn: 'none', firewall: 'active', runtimeId: runtimes[0] });
    await untilIdle(`/hosting/web/${s}/attachedDomain/contract.example.com`);
    await call('GET', `${svc}/ovhConfigCapabilities`, `/hosting/web/${s}/ovhConfigCapabilities`);
    await call('GET', `${svc}/ovhConfigRecommendedValues`, `/hosting/web/${s}/ovhConfigRecommendedValues`);
    const [siteConfig] = (await call('GET', `${svc}/ovhConfig`, `/hosting/web/${s}/ovhConfig`, { path: 'shop' })) as number[];
    await call('GET', `${svc}/ovhConfig/{id}`, `/hosting/web/${s}/ovhConfig/${siteConfig}`);
    const change = `/hosting/web/${s}/ovhConfig/${siteConfig}/changeConfiguration`;
    await sim.waitForTask(s, (await call('POST', `${svc}/ovhConfig/{id}/changeConfiguration`, change, { engineVersion: '8.4', environment: 'development', httpFirewall: 'security', engineName: 'php', container: 'stable64' })).id);
    const [previous] = (await call('GET', `${svc}/ovhConfig`, `/hosting/web/${s}/ovhConfig`, { path: 'shop', historical: true })) as number[];
    await call('GET', `${svc}/ovhConfig/{id}`, `/hosting/web/${s}/ovhConfig/${previous}`);
    await sim.waitForTask(s, (await call('POST', `${svc}/ovhConfig/{id}/rollback`, `/hosting/web/${s}/ovhConfig/${siteConfig}/rollback`, { rollbackId: previous })).id);
    await sim.waitForTask(s, (await call('POST', `${svc}/ovhConfigRefresh`, `/hosting/web/${s}/ovhConfigRefresh`)).id);
    const envVar = `/hosting/web/${s}/envVar/CONTRACT_VAR`;
    await sim.waitForTask(s, (await call('POST', `${svc}/envVar`, `/hosting/web/${s}/envVar`, { key: 'CONTRACT_VAR', type: 'integer', value: '42' })).id);
    await call('GET', `${svc}/envVar`, `/hosting/web/${s}/envVar`, { type: 'integer' });
    await call('GET', `${svc}/envVar/{key}`, envVar);
    await sim.waitForTask(s, (await call('PUT', `${svc}/envVar/{key}`, envVar, { value: '43' })).id);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/envVar/{key}`, envVar)).id);
    // Scheduled tasks: PUT answers nothing and runs a cron/update task, found through GET /tasks.
    await call('GET', `${svc}/cronAvailableLanguage`, `/hosting/web/${s}/cronAvailableLanguage`);
    const cronJob = { command: 'shop/cron/contract.php', frequency: '0 3 * * *', language: 'php8.3' };
    await sim.waitForTask(s, (await call('POST', `${svc}/cron`, `/hosting/web/${s}/cron`, { ...cronJob, description: 'contract', email: 'ops@example.com', status: 'enabled' })).id);
    const [cronId] = (await call('GET', `${svc}/cron`, `/hosting/web/${s}/cron`, { command: cronJob.command })) as number[];
    await call('GET', `${svc}/cron/{id}`, `/hosting/web/${s}/cron/${cronId}`);
    await call('PUT', `${svc}/cron/{id}`, `/hosting/web/${s}/cron/${cronId}`, { ...cronJob, frequency: '0 4 * * *', status: 'disabled' });
    const [cronUpdate] = (await client.requestPromised('GET', `/hosting/web/${s}/tasks`, { function: 'cron/update' })) as number[];
    await sim.waitForTask(s, cronUpdate!);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/cron/{id}`, `/hosting/web/${s}/cron/${cronId}`)).id);
    // Runtimes: created for an attached domain, changed (PUT answers nothing), then deleted once no domain uses it.
    const runtimeTask = await call('POST', `${svc}/runtime`, `/hosting/web/${s}/runtime`, { name: 'contract', type: 'python-3', appEnv: 'development', publicDir: 'public', appBootstrap: 'app.py', attachedDomains: [] });
    await sim.waitForTask(s, runtimeTask.id);
    const runtimeId = Number(runtimeTask.objectId);
    await call('PUT', `${svc}/runtime/{id}`, `/hosting/web/${s}/runtime/${runtimeId}`, { name: 'contract-2', appEnv: 'production' });
    await untilIdle(`/hosting/web/${s}/runtime/${runtimeId}`);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/runtime/{id}`, `/hosting/web/${s}/runtime/${runtimeId}`)).id);
    await call('GET', `${svc}/database`, `/hosting/web/${s}/database`);
    await call('GET', `${svc}/database/{name}`, `/hosting/web/${s}/database/demoshopdb1`);
    await call('GET', `${svc}/databaseAvailableType`, `/hosting/web/${s}/databaseAvailableType`);
    await call('GET', `${svc}/databaseAvailableVersion`, `/hosting/web/${s}/databaseAvailableVersion`, { type: 'mysql' });
    await call('GET', `${svc}/databaseCreationCapabilities`, `/hosting/web/${s}/databaseCreationCapabilities`);
    const db = await call('POST', `${svc}/database`, `/hosting/web/${s}/database`, { capabilitie: 'sqlPerso', user: 'demoshopct', password: 'Contract2024', type: 'mysql' });
    await call('GET', `${svc}/database/{name}`, `/hosting/web/${s}/database/demoshopct`);
    await sim.waitForTask(s, db.id);
    const dump = await call('POST', `${svc}/database/{name}/dump`, `/hosting/web/${s}/database/demoshopct/dump`, { date: 'now' });
    await sim.waitForTask(s, dump.id);
    const [dumpId] = (await call('GET', `${svc}/database/{name}/dump`, `/hosting/web/${s}/database/demoshopct/dump`)) as number[];
    await call('GET', `${svc}/database/{name}/dump/{id}`, `/hosting/web/${s}/database/demoshopct/dump/${dumpId}`);
    await call('GET', `${svc}/dump`, `/hosting/web/${s}/dump`);
    await call('GET', `${svc}/dump/{id}`, `/hosting/web/${s}/dump/${dumpId}`);
    await sim.waitForTask(s, (await call('POST', `${svc}/database/{name}/dump/{id}/restore`, `/hosting/web/${s}/database/demoshopct/dump/${dumpId}/restore`)).id);
    await sim.waitForTask(s, (await call('POST', `${svc}/database/{name}/restore`, `/hosting/web/${s}/database/demoshopct/restore`, { date: 'weekly.1' })).id);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/database/{name}/dump/{id}`, `/hosting/web/${s}/database/demoshopct/dump/${dumpId}`)).id);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/dump/{id}`, `/hosting/web/${s}/dump/5001`)).id);
    const module = await call('POST', `${svc}/module`, `/hosting/web/${s}/module`, {
      moduleId: 303,
      domain: 'contract.example.com',
      adminName: 'admin',
      adminPassword: 'Contract-admin-1',
      dependencies: [{ type: 'mysql', name: 'demoshopct', server: 'demoshopct.mysql.db', port: 3306, user: 'demoshopct', password: 'Contract2024' }],
    });
    await call('GET', `${svc}/module`, `/hosting/web/${s}/module`);
    await sim.waitForTask(s, module.id);
    await call('GET', `${svc}/module/{id}`, `/hosting/web/${s}/module/701`);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/module/{id}`, `/hosting/web/${s}/module/701`)).id);
    await call('GET', `${svc}/user`, `/hosting/web/${s}/user`);
    const user = await call('POST', `${svc}/user`, `/hosting/web/${s}/user`, { login: 'demoshop-ct', home: 'contract', password: 'Contract2024', sshState: 'active' });
    await call('GET', `${svc}/user/{login}`, `/hosting/web/${s}/user/demoshop-ct`);
    await sim.waitForTask(s, user.id);
    await call('PUT', `${svc}/user/{login}`, `/hosting/web/${s}/user/demoshop-ct`, { sshState: 'sftponly' });
    await untilIdle(`/hosting/web/${s}/user/demoshop-ct`);
    await sim.waitForTask(s, (await call('POST', `${svc}/user/{login}/changePassword`, `/hosting/web/${s}/user/demoshop-ct/changePassword`, { password: 'Contract2025' })).id);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/user/{login}`, `/hosting/web/${s}/user/demoshop-ct`)).id);
    const own = `/hosting/web/${s}/attachedDomain/contract.example.com/ssl`;
    await sim.waitForTask(s, (await call('POST', `${svc}/attachedDomain/{domain}/ssl`, own)).taskId);
    await call('GET', `${svc}/attachedDomain/{domain}/ssl`, own);
    await call('GET', `${svc}/attachedDomain/{domain}/ssl/report`, `${own}/report`);
    await sim.waitForTask(s, (await call('POST', `${svc}/attachedDomain/{domain}/ssl/regenerate`, `${own}/regenerate`)).taskId);
    await sim.waitForTask(s, (await call('PUT', `${svc}/attachedDomain/{domain}/ssl`, own, { regenerate: true })).taskId);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/attachedDomain/{domain}/ssl`, own)).taskId);
    await call('GET', `${svc}/ssl`, `/hosting/web/${s}/ssl`);
    await call('GET', `${svc}/ssl/domains`, `/hosting/web/${s}/ssl/domains`);
    await sim.waitForTask(s, (await call('POST', `${svc}/ssl/regenerate`, `/hosting/web/${s}/ssl/regenerate`)).taskId);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/ssl`, `/hosting/web/${s}/ssl`)).taskId);
    await call('POST', `${svc}/ssl`, `/hosting/web/${s}/ssl`);
    await sim.waitForTask(s, (await call('POST', `${svc}/database/{name}/changePassword`, `/hosting/web/${s}/database/demoshopct/changePassword`, { password: 'Contract2025' })).id);
    await sim.waitForTask(s, (await call('DELETE', `${svc}/database/{name}`, `/hosting/web/${s}/database/demoshopct`)).id);

    // Git deployment: the folder of git.example.com linked, deployed (the domain's vcsStatus follows), its branch
    // changed, then unlinked.
    await sim.waitForTask(s, (await call('POST', `${svc}/attachedDomain`, `/hosting/web/${s}/attachedDomain`, { domain: 'git.example.com', path: 'gitsite' })).id);
    await call('GET', '/hosting/web/vcs/supported', '/hosting/web/vcs/supported');
    await call('GET', `${svc}/websiteCreationCapabilities`, `/hosting/web/${s}/websiteCreationCapabilities`);
    await sim.waitForTask(s, (await call('POST', `${svc}/website`, `/hosting/web/${s}/website`, { path: 'gitsite', vcsUrl: 'https://github.com/acme/contract', vcsBranch: 'main' })).id);
    const [websiteId] = (await call('GET', `${svc}/website`, `/hosting/web/${s}/website`, { path: 'gitsite' })) as number[];
    const website = `/hosting/web/${s}/website/${websiteId}`;
    await call('GET', `${svc}/website/{id}`, website);
    await call('GET', `${svc}/vcs/webhooks`, `/hosting/web/${s}/vcs/webhooks`, { path: 'gitsite', vcs: 'github' });
    await sim.waitForTask(s, (await call('POST', `${svc}/website/{id}/deploy`, `${website}/deploy`, { reset: false })).id);
    const [deploymentId] = (await call('GET', `${svc}/website/{id}/deployment`, `${website}/deployment`)) as number[];
    await call('GET', `${svc}/website/{id}/deployment/{deploymentId}`, `${website}/deployment/${deploymentId}`);
    await call('GET', `${svc}/website/{id}/deployment/{deploymentId}/logs`, `${website}/deployment/${deploymentId}/logs`);
    await call('PUT', `${svc}/website/{id}`, website, { vcsBranch: 'staging' });
    expect(await call('GET', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/git.example.com`)).toMatchObject({ vcsStatus: 'created' });
    expect(await call('GET', `${svc}/website/{id}`, website)).toMatchObject({ vcsBranch: 'staging', domains: [{ fqdn: 'git.example.com', ssl: false, cdn: false }] });
    await sim.waitForTask(s, (await call('DELETE', `${svc}/website/{id}`, website, { deleteFiles: true })).id);
    expect(await call('GET', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/git.example.com`)).toMatchObject({ vcsStatus: 'disabled' });

    const zone = '/domain/zone/{zoneName}';
    await call('GET', '/domain/zone', '/domain/zone');
    await call('GET', zone, '/domain/zone/example.com');
    await call('GET', `${zone}/record`, '/domain/zone/example.com/record', { fieldType: 'A', subDomain: 'shop' });
    const record = await call('POST', `${zone}/record`, '/domain/zone/example.com/record', { fieldType: 'TXT', subDomain: 'contract', target: '"hello"', ttl: 3600 });
    await call('GET', `${zone}/record/{id}`, `/domain/zone/example.com/record/${record.id}`);
    await call('PUT', `${zone}/record/{id}`, `/domain/zone/example.com/record/${record.id}`, { target: '"hello again"' });
    await call('DELETE', `${zone}/record/{id}`, `/domain/zone/example.com/record/${record.id}`);
    await call('POST', `${zone}/refresh`, '/domain/zone/example.com/refresh');
    await sim.waitForTask(s, (await call('DELETE', `${svc}/attachedDomain/{domain}`, `/hosting/web/${s}/attachedDomain/contract.example.com`)).id);

    const credential = await sim.call('GET', '/auth/currentCredential');
    answers.push({ key: 'GET /auth/currentCredential', value: credential.body });
    const noAuth = await sim.call('POST', '/auth/credential', { unsigned: true, body: { accessRules: [{ method: 'GET', path: '/*' }] } });
    answers.push({ key: 'POST /auth/credential', value: noAuth.body });
    const minted = await sim.mintCredential([{ method: 'POST', path: '/auth/logout' }]);
    const logout = await sim.call('POST', '/auth/logout', { credentials: { consumerKey: minted.consumerKey } });
    answers.push({ key: 'POST /auth/logout', value: logout.body });

    for (const { key, value } of answers) {
      const operation = realOperations.get(key);
      expect(operation, key).toBeDefined();
      expectShape(value, (operation as OvhOperation).responseType, key);
    }
    expect(new Set(answers.map((answer) => answer.key))).toEqual(new Set(SERVED_OPERATIONS));
  });

  it('in the admin state too (dumps carry sendEmail, ssl its domains)', async () => {
    const state = await sim.state();
    for (const [name, service] of Object.entries(state.services)) {
      expectShape(service.service, 'hosting.web.ServiceWithIAM', `${name} service`);
      for (const item of service.attachedDomains) expectShape(item, 'hosting.web.attachedDomain.PublicAttachedDomain', `${name} attachedDomain`);
      for (const item of service.databases) expectShape(item, 'hosting.web.database', `${name} database`);
      for (const { sendEmail, ...item } of service.dumps) {
        expect(typeof sendEmail).toBe('boolean');
        expectShape(item, 'hosting.web.dump', `${name} dump`);
      }
      for (const item of service.modules) expectShape(item, 'hosting.web.module', `${name} module`);
      for (const item of service.users) expectShape(item, 'hosting.web.user', `${name} user`);
      for (const item of service.tasks) expectShape(item, 'hosting.web.task', `${name} task`);
      if (service.ssl) {
        const { domains, ...ssl } = service.ssl;
        expect(Array.isArray(domains)).toBe(true);
        expectShape(ssl, 'hosting.web.SSL', `${name} ssl`);
      }
      for (const item of service.runtimes) expectShape(item, 'hosting.web.runtime', `${name} runtime`);
      for (const item of service.ovhConfigs) expectShape(item, 'hosting.web.ovhConfig', `${name} ovhConfig`);
      for (const item of service.envVars) expectShape(item, 'hosting.web.EnvVar', `${name} envVar`);
      for (const { deployments, ...item } of service.websites) {
        expectShape(item, 'hosting.web.Website', `${name} website`);
        for (const { logs: _logs, ...deployment } of deployments) expectShape(deployment, 'hosting.web.website.Deployment', `${name} deployment`);
      }
      for (const item of service.crons) expectShape(item, 'hosting.web.Cron', `${name} cron`);
    }
    for (const [name, { account, records, ...zone }] of Object.entries(state.zones)) {
      expect(typeof account).toBe('string');
      expectShape(zone, 'domain.ZoneWithIAM', `zone ${name}`);
      for (const item of records) expectShape(item, 'domain.zone.Record', `zone ${name} record`);
    }
  });
});
