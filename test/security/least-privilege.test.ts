// Least privilege, end to end (real Temporal dev server, real simulator enforcing access rules as OVH does):
// a consumer key with exactly requiredAccessRules() runs everything ovhflow does, and a key missing any single one
// of those rules makes a run stop with a clear "not granted" message naming the refused call.
//
// One stack for the file; one worker per restricted key, each on its own task queue; every run on its own hosting
// service or domain, so the probes run in parallel (started in beforeAll, each test awaits its own).
//
// Which run proves each rule necessary:
// - rules provisioning uses: a provisionSite run needs attention at the step that makes the call;
// - dump / restore rules: a backupDatabase / restoreDatabase run needs attention;
// - GET /hosting/web (only `ls services` and nightly discovery list services): the inventory run fails;
// - GET /auth/currentCredential: the credentials-check run fails;
// - POST user: a createFtpUser run needs attention;
// - every DELETE (used only by abort's compensations, which log a failed undo and go on, so no run ever stops on
//   one): a direct OvhClient call, through the activity boundary's classification, is refused naming the call — and
//   the same call with the exact key gets past OVH's gateway. The exact-key test aborts a run to show they suffice.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActivityFailure } from '../../src/activities/failures.js';
import { OvhClient, requiredAccessRules, type AccessRule } from '../../src/ovh/client.js';
import { OvhApiError } from '../../src/ovh/errors.js';
import { createRunService, type RunService, type RunView } from '../../src/runs/service.js';
import type { CredentialCheckResult } from '../../src/shared/credentials.js';
import { parseBackupDatabaseInput, parseCreateFtpUserInput, parseProvisionSiteInput, parseRestoreDatabaseInput, parseRotateCredentialsInput, type ParseResult } from '../../src/shared/inputs/index.js';
import type { InventoryResult } from '../../src/shared/inventory.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { FAST_POLL, outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createTestWorker, uniqueTaskQueue } from '../support/temporal.js';

const REQUIRED = requiredAccessRules();
const ruleName = (rule: AccessRule) => `${rule.method} ${rule.path}`;
const DEMO_SHOP = 'demo-shop.ovh';
const DEMO_SHOP_DB = 'demoshopdb1';
const DEMO_SHOP_DUMP = 5001;

interface KeyedWorker {
  ovh: OvhClient;
  runs: RunService;
  taskQueue: string;
}

/** How a run (or a call) ended when a rule was missing. */
interface Refusal {
  /** `needs-attention` (a run waiting for an operator), `failed` (a read-only run), `refused` (a direct call). */
  status: string;
  step?: string;
  failureType?: string;
  message: string;
  /** The call that must be named: method and concrete path. */
  call: string;
}

interface Probe {
  how: string;
  /** The step of the run that must stop (runs that wait for an operator). */
  step?: string;
  run: (worker: KeyedWorker | undefined, client: OvhClient) => Promise<Refusal>;
  /** Direct probes need no worker. */
  direct?: boolean;
}

let stack: TestStack;
const stops: Array<() => Promise<void>> = [];
const startedRuns: string[] = [];

function parsed<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

async function clientWith(rules: AccessRule[]): Promise<OvhClient> {
  const minted = await stack.sim.mintCredential(rules);
  return new OvhClient({
    endpoint: stack.sim.url,
    applicationKey: stack.sim.credentials.applicationKey,
    applicationSecret: stack.sim.credentials.applicationSecret,
    consumerKey: minted.consumerKey,
    caFile: stack.sim.caFile,
    timeoutMs: 5000,
    logger: stack.t.logger,
  });
}

async function workerWith(name: string, ovh: OvhClient): Promise<KeyedWorker> {
  const taskQueue = uniqueTaskQueue(name);
  const { worker, close } = await createTestWorker(stack.t, taskQueue, { ovh });
  const running = worker.run();
  stops.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await close();
  });
  return { ovh, taskQueue, runs: createRunService({ client: stack.t.client, taskQueue, settings: { poll: FAST_POLL } }) };
}

/**
 * A PRO hosting of its own, so parallel runs never compete for a quota or a certificate. `hostingWideSsl`: an older
 * hosting without per-domain certificates (multipleSSL false), to prove the rules of the hosting-wide certificate.
 */
async function freshService(prefix: string, options: { hostingWideSsl?: boolean } = {}): Promise<string> {
  const serviceName = `${prefix}-${randomUUID().slice(0, 8)}.ovh`;
  await stack.sim.setService(serviceName, { offer: 'PRO', ...(options.hostingWideSsl ? { multipleSsl: false } : {}) });
  return serviceName;
}

async function finished(runs: RunService, workflowId: string): Promise<RunView> {
  startedRuns.push(workflowId);
  return outcomeOf(runs, workflowId, 45_000);
}

async function createFtpUser(worker: KeyedWorker, serviceName: string): Promise<RunView> {
  const { primaryLogin } = await stack.ovh.getService(serviceName);
  const ref = await worker.runs.start('ftp-user', parsed(parseCreateFtpUserInput({ serviceName, login: `${primaryLogin}-ftp`, home: 'ftp' })));
  return finished(worker.runs, ref.workflowId);
}

async function provision(worker: KeyedWorker, raw: Record<string, unknown>): Promise<RunView> {
  const ref = await worker.runs.start('provision', parsed(parseProvisionSiteInput(raw)));
  return finished(worker.runs, ref.workflowId);
}

function attentionOf(view: RunView, call: string): Refusal {
  const attention = view.progress?.attention;
  return {
    status: view.status,
    ...(attention ? { step: attention.step, failureType: attention.failureType } : {}),
    message: attention?.message ?? view.failure?.message ?? JSON.stringify(view.progress),
    call,
  };
}

/** Runs a read-only workflow (inventory, credentials check) and returns how it failed. */
async function failureOfReadOnlyRun(worker: KeyedWorker, workflowType: string, args: unknown[], call: string): Promise<Refusal> {
  try {
    await stack.t.client.workflow.execute(workflowType, {
      taskQueue: worker.taskQueue,
      workflowId: `test/least-privilege/${workflowType}/${randomUUID()}`,
      args,
      workflowExecutionTimeout: '30 seconds',
    });
    return { status: 'completed', message: '', call };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
    return { status: 'failed', failureType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined, message: cause?.message ?? error.message, call };
  }
}

/** A direct call, classified as an activity would: OVH's refusal as the operator sees it. */
async function refusalOfCall(call: string, make: () => Promise<unknown>): Promise<Refusal> {
  try {
    await make();
    return { status: 'completed', message: '', call };
  } catch (error) {
    const failure = toActivityFailure(error);
    if (!(failure instanceof ApplicationFailure)) throw error;
    return { status: 'refused', failureType: failure.type ?? undefined, message: failure.message, call };
  }
}

/** A hosting that does not exist: with the exact key the call passes OVH's gateway and gets a 404, nothing is written. */
const NOWHERE = `lp-nowhere-${randomUUID().slice(0, 8)}.ovh`;
const NOWHERE_ZONE = `lp-nowhere-${randomUUID().slice(0, 8)}.example`;

const DIRECT_CALLS: Record<string, { call: string; make: (ovh: OvhClient) => Promise<unknown> }> = {
  'DELETE /hosting/web/*/attachedDomain/*': { call: `DELETE /hosting/web/${NOWHERE}/attachedDomain/gone.example.org`, make: (ovh) => ovh.detachDomain(NOWHERE, 'gone.example.org') },
  'DELETE /hosting/web/*/database/*': { call: `DELETE /hosting/web/${NOWHERE}/database/gonedb`, make: (ovh) => ovh.deleteDatabase(NOWHERE, 'gonedb') },
  'DELETE /hosting/web/*/module/*': { call: `DELETE /hosting/web/${NOWHERE}/module/77`, make: (ovh) => ovh.deleteModule(NOWHERE, 77) },
  'DELETE /hosting/web/*/ssl': { call: `DELETE /hosting/web/${NOWHERE}/ssl`, make: (ovh) => ovh.deleteSsl(NOWHERE) },
  'DELETE /hosting/web/*/user/*': { call: `DELETE /hosting/web/${NOWHERE}/user/gone-user`, make: (ovh) => ovh.deleteUser(NOWHERE, 'gone-user') },
  // DNS readiness, on a zone that does not exist (404 with the exact key, nothing written).
  'GET /domain/zone/*/record': { call: `GET /domain/zone/${NOWHERE_ZONE}/record`, make: (ovh) => ovh.listZoneRecords(NOWHERE_ZONE, { subDomain: 'www' }) },
  'GET /domain/zone/*/record/*': { call: `GET /domain/zone/${NOWHERE_ZONE}/record/77`, make: (ovh) => ovh.getZoneRecord(NOWHERE_ZONE, 77) },
  'POST /domain/zone/*/record': {
    call: `POST /domain/zone/${NOWHERE_ZONE}/record`,
    make: (ovh) => ovh.createZoneRecord(NOWHERE_ZONE, { fieldType: 'A', subDomain: 'www', target: '192.0.2.1' }),
  },
  'PUT /domain/zone/*/record/*': { call: `PUT /domain/zone/${NOWHERE_ZONE}/record/77`, make: (ovh) => ovh.updateZoneRecord(NOWHERE_ZONE, 77, { target: '192.0.2.1' }) },
  'DELETE /domain/zone/*/record/*': { call: `DELETE /domain/zone/${NOWHERE_ZONE}/record/77`, make: (ovh) => ovh.deleteZoneRecord(NOWHERE_ZONE, 77) },
  'POST /domain/zone/*/refresh': { call: `POST /domain/zone/${NOWHERE_ZONE}/refresh`, make: (ovh) => ovh.refreshZone(NOWHERE_ZONE) },
  'PUT /hosting/web/*/attachedDomain/*': {
    call: `PUT /hosting/web/${NOWHERE}/attachedDomain/gone.example.org`,
    make: (ovh) => ovh.updateAttachedDomain(NOWHERE, 'gone.example.org', { cdn: 'active' }),
  },
  // `.ovhconfig`: the change, and the rollback only an aborted `php set` makes.
  'POST /hosting/web/*/ovhConfig/*/changeConfiguration': {
    call: `POST /hosting/web/${NOWHERE}/ovhConfig/77/changeConfiguration`,
    make: (ovh) => ovh.changeOvhConfig(NOWHERE, 77, { engineVersion: '8.3' }),
  },
  'POST /hosting/web/*/ovhConfig/*/rollback': { call: `POST /hosting/web/${NOWHERE}/ovhConfig/77/rollback`, make: (ovh) => ovh.rollbackOvhConfig(NOWHERE, 77, 76) },
  // A provisioning that sets its site's PHP asks OVH to find the new folder's `.ovhconfig`.
  'POST /hosting/web/*/ovhConfigRefresh': { call: `POST /hosting/web/${NOWHERE}/ovhConfigRefresh`, make: (ovh) => ovh.refreshOvhConfigs(NOWHERE) },
  // Git deployment: the link's creation, branch change and removal, and a deployment.
  'POST /hosting/web/*/website': {
    call: `POST /hosting/web/${NOWHERE}/website`,
    make: (ovh) => ovh.createWebsite(NOWHERE, { path: 'app', vcsUrl: 'https://github.com/acme/site', vcsBranch: 'main' }),
  },
  'PUT /hosting/web/*/website/*': { call: `PUT /hosting/web/${NOWHERE}/website/77`, make: (ovh) => ovh.updateWebsite(NOWHERE, 77, { vcsBranch: 'main' }) },
  'DELETE /hosting/web/*/website/*': { call: `DELETE /hosting/web/${NOWHERE}/website/77`, make: (ovh) => ovh.deleteWebsite(NOWHERE, 77, true) },
  'POST /hosting/web/*/website/*/deploy': { call: `POST /hosting/web/${NOWHERE}/website/77/deploy`, make: (ovh) => ovh.deployWebsite(NOWHERE, 77, false) },
  'PUT /hosting/web/*/user/*': { call: `PUT /hosting/web/${NOWHERE}/user/gone-user`, make: (ovh) => ovh.updateUser(NOWHERE, 'gone-user', { sshState: 'none' }) },
  'POST /hosting/web/*/database/*/changePassword': {
    call: `POST /hosting/web/${NOWHERE}/database/gonedb/changePassword`,
    make: (ovh) => ovh.changeDatabasePassword(NOWHERE, 'gonedb', 'GoneDb2024pass'),
  },
  // Environment variables: `env set` creates and changes them, `env unset` (and an aborted set) removes them.
  'POST /hosting/web/*/envVar': { call: `POST /hosting/web/${NOWHERE}/envVar`, make: (ovh) => ovh.createEnvVar(NOWHERE, { key: 'GONE_VAR', type: 'string', value: 'gone' }) },
  'PUT /hosting/web/*/envVar/*': { call: `PUT /hosting/web/${NOWHERE}/envVar/GONE_VAR`, make: (ovh) => ovh.updateEnvVar(NOWHERE, 'GONE_VAR', 'gone') },
  'DELETE /hosting/web/*/envVar/*': { call: `DELETE /hosting/web/${NOWHERE}/envVar/GONE_VAR`, make: (ovh) => ovh.deleteEnvVar(NOWHERE, 'GONE_VAR') },
  // Scheduled tasks: cron add, update and delete (each also the undo of another).
  'POST /hosting/web/*/cron': {
    call: `POST /hosting/web/${NOWHERE}/cron`,
    make: (ovh) => ovh.createCron(NOWHERE, { command: 'www/cron.php', frequency: '0 3 * * *', language: 'php8.3' }),
  },
  'PUT /hosting/web/*/cron/*': {
    call: `PUT /hosting/web/${NOWHERE}/cron/77`,
    make: (ovh) => ovh.updateCron(NOWHERE, 77, { command: 'www/cron.php', frequency: '0 3 * * *', language: 'php8.3' }),
  },
  'DELETE /hosting/web/*/cron/*': { call: `DELETE /hosting/web/${NOWHERE}/cron/77`, make: (ovh) => ovh.deleteCron(NOWHERE, 77) },
};

const PROBES: Record<string, Probe> = {
  'GET /hosting/web': {
    how: 'the inventory run listing services fails',
    run: (worker) => failureOfReadOnlyRun(worker!, 'inventory', [{ kind: 'services' }], 'GET /hosting/web'),
  },
  'GET /hosting/web/*': {
    how: 'provisionSite needs attention at preflight',
    step: 'preflight',
    run: async (worker) => {
      const serviceName = await freshService('lp-read');
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp'), ssl: { mode: 'none' } });
      return attentionOf(view, `GET /hosting/web/${serviceName}`);
    },
  },
  'POST /hosting/web/*/attachedDomain': {
    how: 'provisionSite needs attention at attachDomain',
    step: 'attachDomain',
    run: async (worker) => {
      const serviceName = await freshService('lp-attach');
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp'), ssl: { mode: 'none' } });
      return attentionOf(view, `POST /hosting/web/${serviceName}/attachedDomain`);
    },
  },
  'POST /hosting/web/*/database': {
    how: 'provisionSite needs attention at createDatabase',
    step: 'createDatabase',
    run: async (worker) => {
      const serviceName = await freshService('lp-db');
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp'), database: {}, ssl: { mode: 'none' } });
      return attentionOf(view, `POST /hosting/web/${serviceName}/database`);
    },
  },
  'POST /hosting/web/*/module': {
    how: 'provisionSite needs attention at installModule',
    step: 'installModule',
    run: async (worker) => {
      const serviceName = await freshService('lp-module');
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp'), database: {}, module: { name: 'wordpress' }, ssl: { mode: 'none' } });
      return attentionOf(view, `POST /hosting/web/${serviceName}/module`);
    },
  },
  'POST /hosting/web/*/ssl': {
    how: "provisionSite needs attention at ssl (ordering Let's Encrypt)",
    step: 'ssl',
    run: async (worker) => {
      const serviceName = await freshService('lp-ssl', { hostingWideSsl: true });
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp') });
      return attentionOf(view, `POST /hosting/web/${serviceName}/ssl`);
    },
  },
  'POST /hosting/web/*/ssl/regenerate': {
    how: 'a second provisionSite on the hosting needs attention at ssl (regenerating)',
    step: 'ssl',
    run: async (worker) => {
      const serviceName = await freshService('lp-regen', { hostingWideSsl: true });
      const first = await provision(worker!, { serviceName, domain: uniqueDomain('lp') });
      if (first.status !== 'completed') return attentionOf(first, 'the first provisioning (ordering the certificate) should complete');
      const view = await provision(worker!, { serviceName, domain: uniqueDomain('lp') });
      return attentionOf(view, `POST /hosting/web/${serviceName}/ssl/regenerate`);
    },
  },
  'POST /hosting/web/*/database/*/dump': {
    how: 'backupDatabase needs attention at dump',
    step: 'dump',
    run: async (worker) => {
      const ref = await worker!.runs.start('backup', parsed(parseBackupDatabaseInput({ serviceName: DEMO_SHOP, databaseName: DEMO_SHOP_DB })), { requestId: randomUUID() });
      return attentionOf(await finished(worker!.runs, ref.workflowId), `POST /hosting/web/${DEMO_SHOP}/database/${DEMO_SHOP_DB}/dump`);
    },
  },
  'POST /hosting/web/*/database/*/restore': {
    how: 'restoreDatabase needs attention at restore',
    step: 'restore',
    run: async (worker) => {
      const input = parseRestoreDatabaseInput({ serviceName: DEMO_SHOP, databaseName: DEMO_SHOP_DB, dump: { id: DEMO_SHOP_DUMP }, safetyDump: false, confirmed: true });
      const ref = await worker!.runs.start('restore', parsed(input), { requestId: randomUUID() });
      return attentionOf(await finished(worker!.runs, ref.workflowId), `POST /hosting/web/${DEMO_SHOP}/database/${DEMO_SHOP_DB}/dump/${DEMO_SHOP_DUMP}/restore`);
    },
  },
  'POST /hosting/web/*/user': {
    how: 'createFtpUser needs attention at createUser',
    step: 'createUser',
    run: async (worker) => {
      const serviceName = await freshService('lp-user');
      const view = await createFtpUser(worker!, serviceName);
      return attentionOf(view, `POST /hosting/web/${serviceName}/user`);
    },
  },
  'GET /domain/zone': {
    how: 'ovhflow dns check (the dnsCheck run) fails for a domain not attached yet',
    run: (worker) => failureOfReadOnlyRun(worker!, 'dnsCheck', [{ serviceName: DEMO_SHOP, domain: uniqueDomain('lp-dns') }], 'GET /domain/zone'),
  },
  'POST /hosting/web/*/user/*/changePassword': {
    how: 'rotateCredentials needs attention at changePassword',
    step: 'changePassword',
    run: async (worker) => {
      const serviceName = await freshService('lp-rotate');
      const { primaryLogin } = await stack.ovh.getService(serviceName);
      const ref = await worker!.runs.start('rotate', parsed(parseRotateCredentialsInput({ serviceName, target: { kind: 'ftp-user', login: primaryLogin } })), { requestId: randomUUID() });
      return attentionOf(await finished(worker!.runs, ref.workflowId), `POST /hosting/web/${serviceName}/user/${primaryLogin}/changePassword`);
    },
  },
  'GET /auth/currentCredential': {
    how: 'the credentials check run fails',
    run: (worker) => failureOfReadOnlyRun(worker!, 'checkCredentials', [], 'GET /auth/currentCredential'),
  },
  ...Object.fromEntries(
    Object.entries(DIRECT_CALLS).map(([rule, { call, make }]): [string, Probe] => [
      rule,
      { how: 'the call is refused (direct OvhClient call)', direct: true, run: (_worker, client) => refusalOfCall(call, () => make(client)) },
    ]),
  ),
};

const refusals = new Map<string, Promise<Refusal | { error: unknown }>>();
let exact: KeyedWorker;

describe('least privilege: the consumer key ovhflow asks for is exactly what its calls need', () => {
  beforeAll(async () => {
    stack = await startTestStack('least-privilege');
    exact = await workerWith('lp-exact', await clientWith(REQUIRED));
    await Promise.all(
      REQUIRED.map(async (rule) => {
        const probe = PROBES[ruleName(rule)];
        if (!probe) return;
        const client = await clientWith(REQUIRED.filter((r) => r !== rule));
        const worker = probe.direct ? undefined : await workerWith(`lp-${rule.method.toLowerCase()}`, client);
        // Settled now, awaited by each rule's own test: every probe runs in parallel.
        refusals.set(ruleName(rule), probe.run(worker, client).catch((error: unknown) => ({ error })));
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(startedRuns.map((id) => stack.t.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
    await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
    await stack?.close();
  });

  it('with exactly requiredAccessRules(), provisioning (ordering and regenerating SSL), abort, an FTP user, backup, restore, inventory and the credentials check all succeed', async () => {
    const fresh = await freshService('lp-ok');
    const [onShop, onFresh, aborted, ftpUser] = await Promise.all([
      provision(exact, { serviceName: DEMO_SHOP, domain: uniqueDomain('lp-ok'), database: {}, module: { name: 'wordpress' } }),
      provision(exact, { serviceName: fresh, domain: uniqueDomain('lp-ok'), database: {}, module: { name: 'wordpress' } }),
      provisionThenAbort(),
      freshService('lp-ok-ftp').then((serviceName) => createFtpUser(exact, serviceName)),
    ]);
    expect(ftpUser.status, JSON.stringify(ftpUser.progress)).toBe('completed');
    expect(onShop.status, JSON.stringify(onShop.progress)).toBe('completed');
    expect((onShop.result as ProvisionSiteResult).ssl).toMatchObject({ action: 'ordered', scope: 'domain' });
    expect(onFresh.status, JSON.stringify(onFresh.progress)).toBe('completed');
    expect((onFresh.result as ProvisionSiteResult).ssl).toMatchObject({ action: 'ordered', scope: 'domain' });
    expect(aborted.status, JSON.stringify(aborted.progress)).toBe('aborted');

    const database = (onShop.result as ProvisionSiteResult).database!.name;
    const backup = await exact.runs.start('backup', parsed(parseBackupDatabaseInput({ serviceName: DEMO_SHOP, databaseName: database })), { requestId: randomUUID() });
    expect((await finished(exact.runs, backup.workflowId)).status).toBe('completed');
    const restore = parseRestoreDatabaseInput({ serviceName: DEMO_SHOP, databaseName: database, dump: { latest: true }, safetyDump: true, confirmed: true });
    const restored = await finished(exact.runs, (await exact.runs.start('restore', parsed(restore), { requestId: randomUUID() })).workflowId);
    expect(restored.status, JSON.stringify(restored.progress)).toBe('completed');

    const services = await stack.t.client.workflow.execute('inventory', { taskQueue: exact.taskQueue, workflowId: `test/lp/${randomUUID()}`, args: [{ kind: 'services' }] });
    expect((services as InventoryResult).rows.map((row) => row.serviceName)).toContain(DEMO_SHOP);
    const check = (await stack.t.client.workflow.execute('checkCredentials', { taskQueue: exact.taskQueue, workflowId: `test/lp/${randomUUID()}`, args: [] })) as CredentialCheckResult;
    expect([check.lacking, check.unneeded]).toEqual([[], []]);
    expect(check.credential.rules).toEqual(REQUIRED);

    // Every OVH call went through with this key: not one refusal.
    const refused = (await stack.sim.requests()).filter((r) => r.status === 403 && r.path.includes('lp-ok'));
    expect(refused).toEqual([]);
  });

  /** A run that needs an operator after creating everything, then is aborted: every DELETE of the compensations is made. */
  async function provisionThenAbort(): Promise<RunView> {
    const serviceName = await freshService('lp-ok-abort', { hostingWideSsl: true });
    // A permanent failure once the certificate exists, so abort undoes the certificate, module, database and domain.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${serviceName}/ssl/domains`, status: 400, times: 1 }]);
    const ref = await exact.runs.start('provision', parsed(parseProvisionSiteInput({ serviceName, domain: uniqueDomain('lp-ok'), database: {}, module: { name: 'wordpress' } })));
    startedRuns.push(ref.workflowId);
    const waiting = await outcomeOf(exact.runs, ref.workflowId, 45_000);
    if (waiting.status !== 'needs-attention') return waiting;
    await exact.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(exact.runs, ref.workflowId, 45_000);
    const state = (await stack.sim.state()).services[serviceName]!;
    expect([state.attachedDomains, state.databases, state.modules]).toEqual([[], [], []]);
    // The certificate's removal is not waited for: gone, or on its way.
    expect(state.ssl === null || state.ssl.status === 'deleting', JSON.stringify(state.ssl)).toBe(true);
    const deletes = (await stack.sim.requests()).filter((r) => r.method === 'DELETE' && r.path.includes(serviceName));
    expect(deletes.map((r) => [r.path.replace(/\/[^/]+$/, '/…'), r.status]).sort()).toEqual(
      [
        [`/hosting/web/${serviceName}/attachedDomain/…`, 200],
        [`/hosting/web/${serviceName}/database/…`, 200],
        [`/hosting/web/${serviceName}/module/…`, 200],
        [`/hosting/web/${serviceName}/…`, 200],
      ].sort(),
    );
    return aborted;
  }

  for (const rule of REQUIRED) {
    const name = ruleName(rule);
    it(`without ${name}: ${PROBES[name]?.how ?? 'NO PROBE'}, "not granted", naming the call`, async () => {
      expect(PROBES[name], `no probe proves ${name} necessary: add one to PROBES`).toBeDefined();
      const outcome = await refusals.get(name)!;
      if ('error' in outcome) throw outcome.error;
      expect(outcome.failureType, JSON.stringify(outcome)).toBe('OvhForbidden');
      expect(outcome.message).toMatch(/This call has not been granted/);
      expect(outcome.message).toContain(`${outcome.call} failed: HTTP 403`);
      if (PROBES[name]?.direct) {
        expect(outcome.status).toBe('refused');
        // The same call with the exact key passes the gateway (the hosting does not exist: 404, nothing written).
        const passed = await DIRECT_CALLS[name]!.make(exact.ovh).then(
          () => 'ok',
          (error: unknown) => (error instanceof OvhApiError ? error.kind : String(error)),
        );
        expect(passed).toBe('notFound');
      } else if (PROBES[name]?.step) {
        expect([outcome.status, outcome.step]).toEqual(['needs-attention', PROBES[name]?.step]);
      } else {
        expect(outcome.status).toBe('failed');
      }
    });
  }
});
