// Several OVH accounts on one worker (issue #16), against the suite's Temporal dev server and a real simulator holding
// three OVH accounts: the demo one (the classic OVH_* variables, account `default`), `agency-b` (an application key
// and consumer key of another NIC, secrets in files), and service accounts of a third NIC (OAuth2 + IAM policies,
// secrets in an environment variable or a file). One worker, one accounts file, as an operator would set them up.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { runInAccount } from '../../src/ovh/account-context.js';
import { createAccountRouter, type OvhAccountRouter } from '../../src/ovh/account-router.js';
import { requiredAccessRules } from '../../src/ovh/access-rules.js';
import { OvhApiError } from '../../src/ovh/errors.js';
import { requiredIamActions, type IamPolicy } from '../../src/ovh/iam-actions.js';
import { operationPath, OVH_OPERATIONS, type OperationName } from '../../src/ovh/operations.js';
import { createRunService, type RunService } from '../../src/runs/service.js';
import { parseBackupDatabaseInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { ensureFreshDist, ovhflowCli, parsedJson, type OvhflowCli } from '../support/cli.js';
import { provisionInput } from '../support/provisioning.js';
import { secretFilesIn, simulatorOvhEnv, startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { FAST_POLL, outcomeOf, uniqueDomain, type TestStack } from '../support/stack.js';
import { connectTestTemporal, runTestWorker, TEST_KEY_BASE64, uniqueTaskQueue, type TestTemporal } from '../support/temporal.js';
import { everythingIn, leakedIn } from '../security/support.js';

const NIC_B = 'acb111-ovh';
const NIC_C = 'acc222-ovh';
const tag = () => randomUUID().replace(/-/g, '').slice(0, 5).replace(/^\d/, 'x');

interface ServiceAccount {
  clientId: string;
  clientSecret: string;
  identity: string;
}

let t: TestTemporal;
let sim: TestSimulator;
let config: Config;
let router: OvhAccountRouter;
let runs: RunService;
let cli: OvhflowCli;
let api: TestApi;
let taskQueue: string;
let stopWorker: () => Promise<void>;
let building: Promise<void>;
/** What `ovhflow credentials policy --account <a> --service <s> --json` printed, by account (asked once, at once). */
let policies: Promise<Record<'customer-c' | 'customer-p' | 'probe', IamPolicy>>;
const services = { b: '', c: '', p: '' };
/** A DNS zone of customer-c's account (the DNS step's zone calls need dnsZone actions on it). */
const zoneC = `acc-c-${tag()}.example`;
const secrets: Record<string, string> = {};
let full: ServiceAccount;
let partial: ServiceAccount;
let probe: ServiceAccount;

async function hostingService(prefix: string, account: string): Promise<string> {
  const name = `${prefix}${tag()}.example.net`;
  await sim.admin('POST', `/services/${name}`, { offer: 'PERFORMANCE_1', primaryLogin: `${prefix.slice(0, 2)}${tag()}`, account });
  return name;
}

const serviceAccount = (name: string) => sim.admin('POST', '/service-accounts', { account: NIC_C, name }) as Promise<ServiceAccount>;
const applyPolicy = (policy: IamPolicy) => sim.admin('POST', '/iam/policies', policy) as Promise<{ id: string }>;
const ovhflow = (...args: string[]) => cli.run(taskQueue, ...args);

async function policyFromCli(account: string, service: string): Promise<IamPolicy> {
  const printed = await ovhflow('credentials', 'policy', '--account', account, '--service', service, '--json');
  expect(printed.code, printed.stderr).toBe(0);
  return (parsedJson(printed) as { policy: IamPolicy }).policy;
}

beforeAll(async () => {
  building = ensureFreshDist();
  t = await connectTestTemporal();
  sim = await startTestSimulator({ taskDurationMs: { default: 30 } });
  services.b = await hostingService('accb', NIC_B);
  services.c = await hostingService('accc', NIC_C);
  services.p = await hostingService('accp', NIC_C);
  await sim.admin('POST', `/zones/${zoneC}`, { account: NIC_C });
  const application = (await sim.admin('POST', '/applications', { name: 'agency-b-tools', account: NIC_B })) as { applicationKey: string; applicationSecret: string };
  const minted = await sim.mintCredential(requiredAccessRules(), { applicationKey: application.applicationKey });
  [full, partial, probe] = await Promise.all([serviceAccount('ovhflow-full'), serviceAccount('ovhflow-partial'), serviceAccount('ovhflow-probe')]);
  Object.assign(secrets, {
    agencyBApplicationSecret: application.applicationSecret,
    agencyBConsumerKey: minted.consumerKey,
    fullClientSecret: full.clientSecret,
    partialClientSecret: partial.clientSecret,
    probeClientSecret: probe.clientSecret,
    demoApplicationSecret: sim.credentials.applicationSecret,
    demoConsumerKey: sim.credentials.consumerKey,
  });

  // The operator's setup: secrets in files and variables, the accounts file naming them.
  const { dir, secretFile } = secretFilesIn('ovhflow-accounts-');
  const accountsFile = join(dir, 'ovhflow.accounts.json');
  const common = { endpoint: sim.url, caFile: sim.caFile };
  writeFileSync(
    accountsFile,
    JSON.stringify({
      accounts: {
        'agency-b': {
          ...common,
          nic: NIC_B,
          applicationKey: application.applicationKey,
          applicationSecretFile: secretFile('b-secret', application.applicationSecret),
          consumerKeyFile: secretFile('b-ck', minted.consumerKey),
          rateLimitPerSecond: 3,
        },
        'customer-c': { ...common, nic: NIC_C, clientId: full.clientId, clientSecretEnv: 'CUSTOMER_C_CLIENT_SECRET' },
        'customer-p': { ...common, nic: NIC_C, clientId: partial.clientId, clientSecretFile: secretFile('p-secret', partial.clientSecret) },
        probe: { ...common, nic: NIC_C, clientId: probe.clientId, clientSecretEnv: 'PROBE_CLIENT_SECRET' },
      },
    }),
  );
  const classic = { ...simulatorOvhEnv(sim), OVHFLOW_ACCOUNTS_FILE: accountsFile };
  const workerEnv = { ...classic, CUSTOMER_C_CLIENT_SECRET: full.clientSecret, PROBE_CLIENT_SECRET: probe.clientSecret };
  config = loadConfig(workerEnv);
  router = createAccountRouter(config.accounts.accounts, config.accounts.defaultAccount, t.logger, workerEnv);

  taskQueue = uniqueTaskQueue('accounts');
  stopWorker = (await runTestWorker(t, taskQueue, { ovh: router })).stop;
  runs = createRunService({ client: t.client, taskQueue, settings: { poll: FAST_POLL }, accounts: config.accounts });
  api = await startTestApi({ runs, t } as unknown as TestStack);

  // The CLI reads the same configuration (for the account names; it never reads their secrets: none of the secret
  // variables is in its environment).
  cli = ovhflowCli({ temporalAddress: t.address, temporalNamespace: t.namespace, encryptionKeyBase64: TEST_KEY_BASE64 });
  writeFileSync(join(cli.cwd, '.env'), Object.entries(classic).map(([k, v]) => `${k}=${v}`).join('\n'));
  await building;
  policies = Promise.all([policyFromCli('customer-c', services.c), policyFromCli('customer-p', services.p), policyFromCli('probe', services.c)]).then(
    ([c, p, probePolicy]) => ({ 'customer-c': c, 'customer-p': p, probe: probePolicy }),
  );
  policies.catch(() => undefined); // awaited by the tests, which report a failure
}, 180_000);

afterAll(async () => {
  await api?.close();
  await stopWorker?.();
  cli?.dispose();
  await sim?.stop();
  await t?.close();
});

describe('named OVH accounts', () => {
  it('the accounts file names four accounts beside the classic one, the default keeps its name and its workflow ids', () => {
    expect(config.accounts.names).toEqual(['default', 'agency-b', 'customer-c', 'customer-p', 'probe']);
    expect(config.accounts.defaultAccount).toBe('default');
    expect(runs.inAccount('provision-site/demo-agency.ovh/x.example.org').workflowId).toBe('provision-site/demo-agency.ovh/x.example.org');
    expect(runs.inAccount('provision-site/s/x.example.org', { account: 'agency-b' }).workflowId).toBe('provision-site/s/x.example.org@agency-b');
  });

  it('a run naming an unknown account is refused before anything is started or written (exit 2)', async () => {
    const before = (await sim.requests()).length;
    const [provision, listed, overHttp, listedOverHttp] = await Promise.all([
      ovhflow('provision', '--service', 'demo-agency.ovh', '--domain', uniqueDomain('nope'), '--account', 'nope', '--json'),
      ovhflow('runs', '--account', 'nope'),
      api.call('POST', '/v1/provisions', { body: { serviceName: 'demo-agency.ovh', domain: uniqueDomain('nope'), account: 'nope' } }),
      api.call('GET', '/v1/runs?account=nope'),
    ]);
    expect(provision.code, provision.stderr).toBe(2);
    expect(provision.stderr).toContain('no OVH account named "nope" (configured: default, agency-b, customer-c, customer-p, probe)');
    expect(listed.code).toBe(2);
    expect(overHttp.status).toBe(400);
    expect(overHttp.body).toEqual({ error: 'unknown_account', message: 'account: no OVH account named "nope" (configured: default, agency-b, customer-c, customer-p, probe)' });
    expect(listedOverHttp.status).toBe(400);
    expect((await sim.requests()).length).toBe(before);
  });

  it('two accounts provisioning the same domain at once are two runs, each in its own account, each with its own rate limit', async () => {
    const domain = uniqueDomain('twin');
    // One from the run service as the CLI uses it, the other over HTTP with the API's `account` field.
    const [a, started] = await Promise.all([
      runs.start('provision', provisionInput({ serviceName: 'demo-agency.ovh', domain, ssl: { mode: 'none' } })),
      api.call('POST', '/v1/provisions', { body: { serviceName: services.b, domain, ssl: 'none', account: 'agency-b' } }),
    ]);
    expect(started.status, started.text).toBe(202);
    const b = started.body as { workflowId: string };
    expect(a.workflowId).toBe(`provision-site/demo-agency.ovh/${domain}`);
    expect(b.workflowId).toBe(`provision-site/${services.b}/${domain}@agency-b`);
    const [viewA, viewB] = await Promise.all([outcomeOf(runs, a.workflowId, 30_000), outcomeOf(runs, b.workflowId, 30_000)]);
    // OVH attaches a domain to one hosting: the first attach wins, the other run stops on OVH's conflict, alone.
    const views = [viewA, viewB].sort((x, y) => x.status.localeCompare(y.status));
    expect(views.map((v) => v.status)).toEqual(['completed', 'needs-attention']);
    expect(views[1]?.progress?.attention).toMatchObject({ step: 'attachDomain', failureType: 'OvhConflict' });
    const attaches = (await sim.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/attachedDomain') && (r.body as { domain?: string } | null)?.domain === domain);
    expect(attaches.map((r) => r.path).sort()).toEqual([`/hosting/web/${services.b}/attachedDomain`, '/hosting/web/demo-agency.ovh/attachedDomain'].sort());
    await runs.abort(views[1]!.workflowId);

    // Each account's calls take from its own bucket: agency-b's 3 per second does not slow the default's 50.
    const timed = async (account: string) => {
      const started = Date.now();
      await runInAccount(account, () => Promise.all(Array.from({ length: 9 }, () => router.clientFor().listServices())));
      return Date.now() - started;
    };
    const [slow, fast] = await Promise.all([timed('agency-b'), timed('default')]);
    expect(slow).toBeGreaterThanOrEqual(1800); // 3 at once, then 6 more at 3 per second
    expect(fast).toBeLessThan(1000);

    // `runs --account` (here `GET /v1/runs?account=`) lists each account's runs only.
    await vi.waitFor(
      async () => {
        const listOf = async (account: string) => (await api.call('GET', `/v1/runs?account=${account}`)).body.runs as Array<{ workflowId: string }>;
        const [ofB, ofDefault] = await Promise.all([listOf('agency-b'), listOf('default')]);
        expect(ofB.map((r) => r.workflowId)).toContain(b.workflowId);
        expect(ofB.map((r) => r.workflowId)).not.toContain(a.workflowId);
        expect(ofDefault.map((r) => r.workflowId)).toContain(a.workflowId);
        expect(ofDefault.map((r) => r.workflowId)).not.toContain(b.workflowId);
      },
      { timeout: 15_000, interval: 300 },
    );
  });

  it("the console's start forms work in every account: the service choices are that account's, and the run is in it", async () => {
    const form = (fields: Record<string, string>, cookie = '') => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual' as const,
    });
    const loggedIn = await fetch(`${api.url}/console/login`, form({ token: api.token, next: '/console' }));
    const cookie = loggedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await (await fetch(`${api.url}/console/start/provision?account=agency-b`, { headers: { cookie } })).text();
    // The account switch lists every configured account; the service field offers agency-b's services only.
    expect(page).toContain('<option value="agency-b" selected>agency-b</option>');
    const offered = [...page.matchAll(/<select id="f-serviceName" name="serviceName"[^>]*>(.*?)<\/select>/gs)][0]?.[1] ?? '';
    expect(offered).toContain(services.b);
    expect(offered).not.toContain(services.c);
    expect(offered).not.toContain('demo-agency.ovh');

    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const domain = uniqueDomain('console-b');
    const started = await fetch(
      `${api.url}/console/start/provision`,
      form({ _csrf: csrf, account: 'agency-b', serviceName: services.b, domain, ssl: 'none', dns: 'skip' }, cookie),
    );
    expect(started.status, await started.clone().text()).toBe(303);
    const workflowId = new URL(started.headers.get('location') ?? '', api.url).searchParams.get('id') ?? '';
    expect(workflowId).toBe(`provision-site/${services.b}/${domain}@agency-b`);
    const view = await outcomeOf(runs, workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect(view.account).toBe('agency-b');
  });

  it("another account's nightly dumps have their own schedule, and dump that account's services only", async () => {
    const created = await api.call('POST', '/v1/schedules/nightly-dumps', { body: { account: 'agency-b', cron: '0 3 * * *' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ scheduleId: 'nightly-dumps.agency-b', account: 'agency-b' });
    try {
      expect((await api.call('POST', '/v1/schedules/nightly-dumps.agency-b/trigger')).status).toBe(200);
      let night: string | undefined;
      await vi.waitFor(
        async () => {
          for await (const info of t.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND OvhflowRunType = 'nightly' AND OvhflowAccount = 'agency-b'` })) night = info.workflowId;
          expect(night).toBeDefined();
        },
        { timeout: 15_000, interval: 300 },
      );
      const view = await outcomeOf(runs, night as string, 30_000);
      expect(view.status).toBe('completed');
      expect((view.result as { services: string[] }).services).toEqual([services.b]);
    } finally {
      await api.call('DELETE', '/v1/schedules/nightly-dumps.agency-b');
    }
  });

  it('a run naming an account the worker lacks stops with a permanent failure naming it', async () => {
    const wider = createRunService({ client: t.client, taskQueue, settings: { poll: FAST_POLL }, accounts: { defaultAccount: 'default', names: [...config.accounts.names, 'ghost'] } });
    const ref = await wider.start('provision', provisionInput({ serviceName: 'demo-agency.ovh', domain: uniqueDomain('ghost'), ssl: { mode: 'none' } }), { account: 'ghost' });
    const view = await outcomeOf(runs, ref.workflowId, 20_000);
    expect(view.status).toBe('needs-attention');
    expect(view.progress?.attention).toMatchObject({ failureType: 'OvhflowUnknownAccount' });
    expect(view.progress?.attention?.message).toContain('this worker has no OVH account named "ghost"');
    expect(view.pending).toBeUndefined();
    await runs.abort(ref.workflowId);
  });
});

describe('service accounts', () => {
  it('the policy `credentials policy` prints lets a full run complete; one action less stops the step that needs it, naming the action', async () => {
    const { 'customer-c': policyC, 'customer-p': policyP } = await policies;
    expect(policyC.identities).toEqual([full.identity]);
    // Its hosting service, and the zones the DNS step may write (every zone of the account unless --zone names some).
    expect(policyC.resources).toEqual([{ urn: `urn:v1:eu:resource:webHosting:${services.c}` }, { urn: 'urn:v1:eu:resource:dnsZone:*' }]);
    const missing = 'webHosting:apiovh:database/create';
    expect(policyP.permissions.allow).toContainEqual({ action: missing });
    await Promise.all([applyPolicy(policyC), applyPolicy({ ...policyP, permissions: { allow: policyP.permissions.allow.filter((a) => a.action !== missing) } })]);

    const [c, p] = await Promise.all([
      runs.start('provision', provisionInput({ serviceName: services.c, domain: uniqueDomain('sa'), database: {}, module: { name: 'wordpress' } }), { account: 'customer-c' }),
      runs.start('provision', provisionInput({ serviceName: services.p, domain: uniqueDomain('sa-partial'), database: {}, ssl: { mode: 'none' } }), { account: 'customer-p' }),
    ]);
    const [viewC, viewP] = await Promise.all([outcomeOf(runs, c.workflowId, 40_000), outcomeOf(runs, p.workflowId, 30_000)]);
    expect(viewC.status, JSON.stringify(viewC.progress?.attention)).toBe('completed');
    const result = viewC.result as ProvisionSiteResult;
    expect(result.module?.id).toBeDefined();
    expect(viewP.status).toBe('needs-attention');
    expect(viewP.progress?.attention).toMatchObject({ step: 'createDatabase', failureType: 'OvhForbidden' });
    expect(viewP.progress?.attention?.message).toContain(`IAM action not allowed: ${missing}`);

    // A backup of the new database, by the same service account, under the same policy.
    const backupInput = parseBackupDatabaseInput({ serviceName: services.c, databaseName: result.database?.name, sendEmail: false });
    if (!backupInput.ok) throw new Error(JSON.stringify(backupInput.issues));
    const backup = await runs.start('backup', backupInput.value, { account: 'customer-c', requestId: randomUUID() });
    expect((await outcomeOf(runs, backup.workflowId, 30_000)).status).toBe('completed');

    // The check through the worker: a token, the one service it may see, no read refused.
    // Inventory across accounts: each account sees its own services, through its own credentials.
    const [checked, inventory] = await Promise.all([ovhflow('credentials', 'check', '--account', 'customer-c', '--json'), ovhflow('ls', 'services', '--all-accounts', '--json')]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(parsedJson(checked)).toMatchObject({ ok: true, kind: 'service-account', services: [services.c], lacking: [] });
    expect(inventory.code, inventory.stderr).toBe(0);
    const rows = parsedJson(inventory) as Array<{ account: string }>;
    const servicesOf = (account: string) => rows.filter((row) => row.account === account).map((row) => JSON.stringify(row));
    expect(servicesOf('agency-b')).toEqual([expect.stringContaining(services.b)]);
    expect(servicesOf('customer-c')).toEqual([expect.stringContaining(services.c)]);
    expect(servicesOf('default').join()).toContain('demo-agency.ovh');
    expect(servicesOf('default').join()).not.toContain(services.b);
    await runs.abort(p.workflowId);
  });

  it('each action of the policy is necessary: without it, the calls that need it are refused naming it', async () => {
    const client = router.clientFor('probe');
    const base = (await policies).probe;
    expect(base.identities).toEqual([probe.identity]);
    const actions = requiredIamActions();
    expect(actions.map((a) => a.action).sort()).toEqual(base.permissions.allow.map((a) => a.action).sort());
    const callOf = (name: OperationName, dropped = 'nothing') => {
      const values = { serviceName: services.c, domain: 'probe.example.org', name: 'probedb', id: 1, deploymentId: 1, key: 'PROBE_VAR', login: 'probe-user', zoneName: zoneC };
      // The lists of services and zones are not refused: they leave out what the identity may not `get` (then no
      // run finds it).
      const listed: Partial<Record<OperationName, string>> = { listServices: services.c, listDnsZones: zoneC };
      return client.call(OVH_OPERATIONS[name].method, operationPath(name, values as never)).then(
        (answer: unknown) => {
          const expected = listed[name];
          return expected && Array.isArray(answer) && !answer.includes(expected) ? new OvhApiError('forbidden', { method: 'GET', path: name }, `${expected} not listed without ${dropped}`) : undefined;
        },
        (error: unknown) => error,
      );
    };
    // An IAM refusal, not a business rule's 403 (e.g. Let's Encrypt without a domain, since the names are dummies).
    const refusal = (error: unknown) => (error instanceof OvhApiError && error.kind === 'forbidden' && /not granted|not listed/.test(error.ovhMessage) ? error.ovhMessage : undefined);
    for (const { action, operations } of actions) {
      const { id } = await applyPolicy({ ...base, name: `probe-${tag()}`, permissions: { allow: base.permissions.allow.filter((a) => a.action !== action) } });
      const errors = await Promise.all(operations.map((name) => callOf(name, action)));
      errors.forEach((error, index) => expect(refusal(error), `${action} dropped, ${operations[index]}`).toContain(action));
      await sim.admin('DELETE', `/iam/policies/${id}`);
    }
    // And with every action, none of those calls is refused by IAM (they may fail for other reasons: dummy names).
    const { id } = await applyPolicy(base);
    const errors = await Promise.all(actions.flatMap((a) => a.operations).map((name) => callOf(name)));
    expect(errors.map(refusal).filter(Boolean)).toEqual([]);
    await sim.admin('DELETE', `/iam/policies/${id}`);
  });

  it('no secret of any account is in the raw history of its runs or in the logs', async () => {
    const plain = new Client({ connection: t.client.connection, namespace: t.namespace });
    // Every run of this file: two twins, the ghost, two service-account provisionings, a backup, a credentials check.
    const ours: string[] = [];
    await vi.waitFor(
      async () => {
        ours.length = 0;
        for await (const info of t.client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) ours.push(info.workflowId);
        expect(ours.length).toBeGreaterThanOrEqual(7);
      },
      { timeout: 15_000, interval: 300 },
    );
    for (const workflowId of ours) {
      const history = await plain.workflow.getHandle(workflowId).fetchHistory();
      expect(leakedIn(everythingIn(history), secrets), workflowId).toEqual([]);
    }
    expect(leakedIn(t.logLines.join('\n'), secrets)).toEqual([]);
    expect(leakedIn(JSON.stringify(await sim.requests()), secrets)).toEqual([]);
  });
});
