// `ovhflow ls ...` and `ovhflow credentials request|check`, spawned as a user runs them (`node bin/ovhflow.js`),
// against the suite's Temporal dev server and workers of this file talking to a real simulator. The CLI gets
// Temporal settings and the payload key only — no OVH variable at all, from a directory with no .env — which
// proves OVH credentials stay on the worker.
//
// The CLI runs from dist/: when dist is older than src/, beforeAll compiles it first (test/support/cli.ts)
// with `tsc -p tsconfig.build.json` (about 20 s; the workflow bundle is not needed by these commands).
import { randomBytes, randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleKeyring } from '../../src/codec/keyring.js';
import { OvhClient, requiredAccessRules } from '../../src/ovh/client.js';
import { ensureFreshDist, ovhflowCli, type CliRun, type OvhflowCli } from '../support/cli.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { createTestWorker, uniqueTaskQueue } from '../support/temporal.js';

// The key the CLI gets as OVHFLOW_ENCRYPTION_KEY, and this file's workers encrypt with.
const KEY = randomBytes(32);
const KEYRING = singleKeyring(KEY);

describe('ovhflow ls and ovhflow credentials, through the worker (the CLI holds no OVH credentials)', () => {
  let stack: TestStack;
  let ovhflow: OvhflowCli;
  let lackingQueue: string;
  const lackingRule = { method: 'POST', path: '/hosting/web/*/module' } as const;
  const stops: Array<() => Promise<void>> = [];

  async function startWorker(taskQueue: string, ovh: OvhClient) {
    const { worker, close } = await createTestWorker(stack.t, taskQueue, { ovh, keyring: KEYRING });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    });
  }

  function cli(args: string[], taskQueue = stack.taskQueue): Promise<CliRun> {
    return ovhflow.run(taskQueue, ...args);
  }

  beforeAll(async () => {
    const building = ensureFreshDist();
    stack = await startTestStack('cli-inventory');
    ovhflow = ovhflowCli({ temporalAddress: stack.t.address, temporalNamespace: stack.t.namespace, encryptionKeyBase64: KEY.toString('base64') });
    await startWorker(stack.taskQueue, stack.ovh);
    lackingQueue = uniqueTaskQueue('cli-lacking');
    const minted = await stack.sim.mintCredential(requiredAccessRules().filter((r) => !(r.method === lackingRule.method && r.path === lackingRule.path)));
    const lacking = new OvhClient({
      endpoint: stack.sim.url,
      applicationKey: stack.sim.credentials.applicationKey,
      applicationSecret: stack.sim.credentials.applicationSecret,
      consumerKey: minted.consumerKey,
      caFile: stack.sim.caFile,
      timeoutMs: 5000,
      logger: stack.t.logger,
    });
    await startWorker(lackingQueue, lacking);
    await building;
  });

  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    await stack?.close();
    ovhflow?.dispose();
  });

  it('ls services --json lists the demo services with their state, offer and primary login', async () => {
    const run = await cli(['ls', 'services', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.serviceName).sort()).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);
    expect(rows.find((row) => row.serviceName === 'demo-shop.ovh')).toMatchObject({ state: 'active', offer: 'PRO', primaryLogin: 'demoshop' });
    expect(rows.find((row) => row.serviceName === 'demo-blocked.ovh')).toMatchObject({ state: 'bloqued' });
  });

  it('ls databases --service demo-shop.ovh prints a table of its databases', async () => {
    const run = await cli(['ls', 'databases', '--service', 'demo-shop.ovh']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/┌/);
    for (const text of ['name', 'type', 'version', 'status', 'server', 'demoshopdb1', 'mysql', '8.0', 'created', 'demoshopdb1.mysql.db']) {
      expect(run.stdout).toContain(text);
    }
  });

  it('ls modules, users, dumps and tasks answer through the worker too', async () => {
    // Two finished tasks and one still running on the hosting: ls tasks --status done lists the finished ones only.
    const shopClient = stack.sim.ovhClient();
    const attached = await shopClient.requestPromised('POST', '/hosting/web/demo-shop.ovh/attachedDomain', { domain: 'tasks.example.org', path: 'tasks' });
    const dumped = await shopClient.requestPromised('POST', '/hosting/web/demo-shop.ovh/database/demoshopdb1/dump', { date: 'now', sendEmail: false });
    await Promise.all([stack.sim.waitForTask('demo-shop.ovh', attached.id), stack.sim.waitForTask('demo-shop.ovh', dumped.id)]);
    await stack.sim.config({ taskDurationMs: { default: 600_000 } });
    const running = await shopClient.requestPromised('POST', '/hosting/web/demo-shop.ovh/attachedDomain', { domain: 'tasks-running.example.org', path: 'tasks2' });
    await stack.sim.config({ taskDurationMs: { default: 60 } });
    const [modules, installed, users, dumps, tasks] = await Promise.all([
      cli(['ls', 'modules', '--json']),
      cli(['ls', 'modules', '--installed', '--service', 'demo-shop.ovh', '--json']),
      cli(['ls', 'users', '--service', 'demo-shop.ovh', '--json']),
      cli(['ls', 'dumps', '--service', 'demo-shop.ovh', '--database', 'demoshopdb1']),
      cli(['ls', 'tasks', '--service', 'demo-shop.ovh', '--status', 'done', '--json']),
    ]);
    for (const run of [modules, installed, users, dumps, tasks]) expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(modules.stdout) as Array<{ name: string }>).map((m) => m.name.toLowerCase())).toContain('wordpress');
    expect(JSON.parse(installed.stdout)).toEqual([expect.objectContaining({ id: 701, targetUrl: 'https://shop.example.com/', status: 'created' })]);
    expect(Array.isArray(JSON.parse(users.stdout))).toBe(true);
    expect(dumps.stdout).toMatch(/5001/);
    expect(dumps.stdout).toMatch(/daily\.1/);
    const listed = JSON.parse(tasks.stdout) as Array<{ id: number; function: string; status: string }>;
    expect(listed.map((t) => t.id).sort()).toEqual([attached.id, dumped.id].sort());
    expect(listed.find((t) => t.id === attached.id)).toMatchObject({ serviceName: 'demo-shop.ovh', function: 'attachedDomain/create', status: 'done' });
    expect(listed.find((t) => t.id === dumped.id)).toMatchObject({ function: 'dump/create', status: 'done' });
    expect(listed.map((t) => t.id)).not.toContain(running.id);
  });

  it('bad usage exits 2 without starting anything: ls tasks without --service, an unknown kind, a bad status', async () => {
    const [tasks, unknown, status, dumps] = await Promise.all([
      cli(['ls', 'tasks']),
      cli(['ls', 'servers']),
      cli(['ls', 'tasks', '--service', 'demo-shop.ovh', '--status', 'finished']),
      cli(['ls', 'dumps']),
    ]);
    expect([tasks.code, unknown.code, status.code, dumps.code]).toEqual([2, 2, 2, 2]);
    expect(tasks.stderr).toMatch(/--service/);
    expect(unknown.stderr).toMatch(/unknown inventory "servers"/);
    expect(status.stderr).toMatch(/--status: a task status is one of/);
    expect(dumps.stderr).toMatch(/--service/);
  });

  it('credentials check --json: the demo key lacks nothing (exit 0) and is reported broader than needed', async () => {
    const [json, human] = await Promise.all([cli(['credentials', 'check', '--json']), cli(['credentials', 'check'])]);
    expect(json.code, json.stderr).toBe(0);
    const check = JSON.parse(json.stdout);
    expect(check).toMatchObject({ ok: true, lacking: [], credential: { status: 'validated' } });
    expect(check.required.map((r: { method: string; path: string }) => ({ method: r.method, path: r.path }))).toEqual(requiredAccessRules());
    expect(check.unneeded).toEqual([
      { method: 'GET', path: '/*' },
      { method: 'POST', path: '/*' },
      { method: 'PUT', path: '/*' },
      { method: 'DELETE', path: '/*' },
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/0 lacking/);
    expect(human.stdout).toMatch(/more than ovhflow needs/);
  });

  it('credentials check against a worker whose key lacks a rule names the rule and the calls it refuses, and exits 1', async () => {
    const [json, human] = await Promise.all([cli(['credentials', 'check', '--json'], lackingQueue), cli(['credentials', 'check'], lackingQueue)]);
    expect(json.code, json.stderr).toBe(1);
    const check = JSON.parse(json.stdout);
    expect(check.ok).toBe(false);
    expect(check.lacking).toEqual([{ ...lackingRule, operations: ['installModule'] }]);
    expect(check.unneeded).toEqual([]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/1 lacking/);
    expect(human.stdout).toMatch(/POST\s+\/hosting\/web\/\*\/module\s+needed by installModule/);
  });

  it('credentials request prints a validation URL the simulator serves and the OVH_CONSUMER_KEY line; the key is never logged nor stored in clear', async () => {
    const redirect = `https://example.org/ovhflow-${randomUUID().slice(0, 8)}`;
    const run = await cli(['credentials', 'request', '--redirect', redirect]);
    expect(run.code, run.stderr).toBe(0);
    const url = /(https:\/\/\S+\/auth\/\?credentialToken=\S+)/.exec(run.stdout)?.[1];
    const consumerKey = /^OVH_CONSUMER_KEY=(\w+)$/m.exec(run.stdout)?.[1];
    expect(url, run.stdout).toBeDefined();
    expect(consumerKey, run.stdout).toBeDefined();
    expect(url!.startsWith(`${stack.sim.url}/auth/`)).toBe(true);

    // The page a person opens lists exactly the rules ovhflow needs; validating it redirects where asked.
    const target = url!.slice(stack.sim.url.length);
    const page = await stack.sim.request('GET', target);
    expect(page.status).toBe(200);
    for (const rule of requiredAccessRules()) expect(page.text).toContain(`<code>${rule.method} ${rule.path}</code>`);
    expect(page.text.match(/<code>/g)).toHaveLength(requiredAccessRules().length);
    const validated = await stack.sim.request('POST', `${target}&action=validate`);
    expect([validated.status, validated.headers.location]).toEqual([303, redirect]);
    const client = new OvhClient({ ...stack.sim.credentials, endpoint: stack.sim.url, consumerKey: consumerKey!, caFile: stack.sim.caFile, logger: stack.t.logger });
    expect(await client.currentCredential()).toMatchObject({ status: 'validated', rules: requiredAccessRules() });

    // Printed because asked for, and nowhere else: not in the worker's logs, not in clear in Temporal's history.
    expect(run.stderr).not.toContain(consumerKey);
    expect(stack.t.logLines.join('\n')).not.toContain(consumerKey);
    const ids: string[] = [];
    for (const deadline = Date.now() + 10_000; ids.length === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      // Visibility lags the run by a moment.
      for await (const info of stack.t.client.workflow.list({ query: `WorkflowType = 'requestCredentials' AND TaskQueue = '${stack.taskQueue}'` })) ids.push(info.workflowId);
    }
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(id.startsWith('credentials/')).toBe(true);
      const history = await stack.t.client.workflow.getHandle(id).fetchHistory();
      const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
      expect(bytes.includes(Buffer.from(consumerKey!))).toBe(false);
    }
  });

  it('a worker that does not answer is reported, not waited for forever', async () => {
    const run = await cli(['ls', 'services', '--timeout', '2'], uniqueTaskQueue('cli-nobody'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no answer from a worker within 2 s on task queue "test-cli-nobody-\w+".*no worker is polling it/);
  });
});
