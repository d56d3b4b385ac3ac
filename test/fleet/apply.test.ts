// `ovhflow apply`, as operators run it: the binary, against the suite's Temporal dev server, a worker and the real
// simulator over HTTPS. The simulator's state says the change was made; its request log says each write was made once
// and that a site the file does not name was not touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyFleetResult } from '../../src/shared/apply.js';
import type { FleetPlan } from '../../src/shared/fleet.js';
import { useApiWithWorker } from '../support/api.js';
import { OVHFLOW_BIN, parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { TEST_KEY_BASE64 } from '../support/temporal.js';
import { waitFor } from '../support/processes.js';
import { outcomeOf } from '../support/stack.js';
import { startWorkerChild, type WorkerChild } from '../support/worker-process.js';
import type { TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const SHOP_SITE = 'shop.example.com';

type FleetDoc = {
  version: number;
  accounts: Record<string, { services: Record<string, { sites?: Array<Record<string, unknown>>; databases?: unknown[]; users?: Array<Record<string, unknown>>; php?: unknown[]; env?: Record<string, unknown>; cron?: Array<Record<string, unknown>> }> }>;
};

describe('fleet as code: ovhflow apply', { timeout: 300_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;

  beforeAll(async () => {
    cliStack = await startCliStack('cli-apply');
    stack = cliStack.stack;
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  const processes: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await cliStack?.close();
  });
  function startWorkerProcess(): WorkerChild {
    const worker = startWorkerChild(stack);
    processes.push(worker.child);
    return worker;
  }
  const startedId = (stdout: string) => /started:? (apply-fleet\/\S+)/.exec(stdout)?.[1] as string;

  const inCwd = (name: string) => join(cliStack.cli.cwd, name);
  const mark = async () => (await stack.sim.requests()).length;
  const writesSince = async (since: number) => (await stack.sim.requests()).slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/hosting/web'));
  const writeFleet = (name: string, doc: unknown) => writeFileSync(inCwd(name), yaml.dump(doc));
  async function exported(ovhflow: Ovhflow, name: string): Promise<FleetDoc> {
    const run = await ovhflow('fleet', 'export', '--out', name);
    expect(run.code, run.stderr).toBe(0);
    return yaml.load(readFileSync(inCwd(name), 'utf8')) as FleetDoc;
  }
  const resultOf = (stdout: string) => JSON.parse(/\nresult:\n([\s\S]*?\n\})\n/.exec(stdout)?.[1] ?? 'null') as ApplyFleetResult;

  it('export → edit → apply --yes --wait makes the edit (cdn, PHP, a new site); a second apply and plan do nothing; a site the file does not name is untouched', async () => {
    const ovhflow = await cliStack.ownWorker('apply-edit');
    const file = await exported(ovhflow, 'fleet.yaml');
    const services = file.accounts.default!.services;
    const shopSite = services[SHOP]!.sites![0]!;
    shopSite.cdn = 'active';
    (shopSite.php as Record<string, unknown>).engineVersion = '8.3';
    (services[AGENCY]!.sites ??= []).push({ domain: 'blog.example.org', path: 'blog', certificate: 'letsencrypt', database: { type: 'mysql' }, module: { name: 'wordpress' } });
    writeFleet('fleet.yaml', file);
    // Attached by hand after the export: the file does not name it, so the apply must not touch it.
    const byHand = await stack.ovh.attachDomain(AGENCY, { domain: 'handmade.example.org', path: 'handmade', ssl: false });
    await stack.sim.waitForTask(AGENCY, byHand.id);

    const before = await mark();
    const run = await ovhflow('apply', 'fleet.yaml', '--yes', '--wait');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/~ site shop\.example\.com: change {2}\[update-domain\]/);
    expect(run.stdout).toMatch(/Runs to start:/);
    const result = resultOf(run.stdout);
    expect(result.totals).toEqual({ changes: 3, done: 3, failed: 0, needsAttention: 0 });
    expect(result.done.map((d) => [d.subject, d.runType]).sort()).toEqual([
      ['blog.example.org', 'provision'],
      [SHOP_SITE, 'php'],
      [SHOP_SITE, 'update-domain'],
    ]);

    const state = await stack.sim.state();
    expect(state.services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)).toMatchObject({ cdn: 'active' });
    expect(state.services[SHOP]!.ovhConfigs.find((c) => c.path === 'shop' && !c.historical)).toMatchObject({ engineVersion: '8.3' });
    expect(state.services[AGENCY]!.attachedDomains.map((d) => d.domain)).toContain('blog.example.org');
    const writes = await writesSince(before);
    expect(writes.filter((w) => JSON.stringify(w).includes('handmade'))).toEqual([]);

    const afterApply = await mark();
    const again = await ovhflow('apply', 'fleet.yaml', '--yes', '--wait');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to apply');
    expect(again.stdout).not.toContain('started');
    const plan = parsedJson(await ovhflow('plan', 'fleet.yaml', '--json')) as FleetPlan;
    expect(plan.summary).toEqual({ create: 0, change: 0, blocked: 0, unmanaged: expect.any(Number) });
    expect(plan.sites.find((s) => s.domain === 'handmade.example.org')?.action).toBe('unmanaged');
    expect(await writesSince(afterApply)).toEqual([]);
  });

  it('without a terminal and without --yes, apply refuses (exit 2) and starts nothing; a saved plan OVH has changed since is refused, naming the site', async () => {
    const ovhflow = await cliStack.ownWorker('apply-refused');
    const file = await exported(ovhflow, 'stale.yaml');
    file.accounts.default!.services[SHOP]!.sites![0]!.ownLog = SHOP_SITE;
    writeFleet('stale.yaml', file);
    const before = await mark();

    const noTty = await ovhflow('apply', 'stale.yaml');
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('apply asks for a confirmation on a terminal: run it on one, or add --yes');
    expect((await stack.sim.requests()).length).toBe(before);

    const saved = await ovhflow('plan', 'stale.yaml', '--out', 'stale-plan.json');
    expect(saved.code, saved.stderr).toBe(0);
    // Someone changes the site in the Control Panel after the plan was saved.
    await stack.ovh.updateAttachedDomain(SHOP, SHOP_SITE, { firewall: 'active' });
    await waitFor('the change by hand to be made', async () => (await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)?.firewall === 'active');
    const sinceEdit = await mark();
    const stale = await ovhflow('apply', 'stale-plan.json', '--yes', '--wait');
    expect(stale.code, stale.stdout).toBe(2);
    expect(stale.stderr).toMatch(/the saved plan stale-plan\.json is stale: OVH changed since it was made .*shop\.example\.com \(demo-shop\.ovh, account default\).*Nothing was started/);
    expect(await writesSince(sinceEdit)).toEqual([]);
  });

  it('a child that needs an operator is listed in the report (exit 1) while the others are done; the apply goes on without it', async () => {
    const ovhflow = await cliStack.ownWorker('apply-attention');
    const attached = await stack.ovh.attachDomain(AGENCY, { domain: 'attention.example.org', path: 'attention', ssl: false });
    await stack.sim.waitForTask(AGENCY, attached.id);
    const file = await exported(ovhflow, 'attention.yaml');
    const services = file.accounts.default!.services;
    services[AGENCY]!.sites!.find((s) => s.domain === 'attention.example.org')!.cdn = 'active';
    (services[SHOP]!.sites![0]!.php as Record<string, unknown>).environment = 'development';
    writeFleet('attention.yaml', file);
    await stack.sim.faults([{ method: 'PUT', path: `/hosting/web/${AGENCY}/attachedDomain/attention.example.org`, status: 400 }]);
    try {
      const run = await ovhflow('apply', 'attention.yaml', '--yes', '--wait');
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
      const result = resultOf(run.stdout);
      expect(result.totals).toEqual({ changes: 2, done: 1, failed: 0, needsAttention: 1 });
      expect(result.done[0]).toMatchObject({ subject: SHOP_SITE, runType: 'php' });
      const waiting = result.needsAttention[0]!;
      expect(waiting).toMatchObject({ subject: 'attention.example.org', runType: 'update-domain', workflowId: expect.stringMatching(/^update-attached-domain\/demo-agency\.ovh\/attention\.example\.org\/apply-[0-9a-f]{16}$/) });
      expect(waiting.reason).toContain(`ovhflow retry|skip|abort ${waiting.workflowId}`);
      expect(run.stdout).toContain(`needs attention: attention.example.org (${AGENCY}) [update-domain] ${waiting.workflowId}`);
      const status = await ovhflow('status', waiting.workflowId, '--json');
      expect(parsedJson(status)).toMatchObject({ status: 'needs-attention' });

      // Applied again while that run still waits: the same change is the same run, found, not started a second time.
      const again = await ovhflow('apply', 'attention.yaml', '--yes', '--wait');
      expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(1);
      expect(resultOf(again.stdout).needsAttention).toEqual([expect.objectContaining({ workflowId: waiting.workflowId, found: true, status: 'needs-attention' })]);
      const puts = (await stack.sim.requests()).filter((r) => r.method === 'PUT' && r.path === `/hosting/web/${AGENCY}/attachedDomain/attention.example.org`);
      expect(puts).toHaveLength(1);
      const aborted = await ovhflow('abort', waiting.workflowId);
      expect(aborted.code, aborted.stderr).toBe(0);
    } finally {
      await stack.sim.clearFaults();
    }
  });

  it('an apply whose worker is killed (SIGKILL) while its children wait for OVH finishes on the next worker, each write made once', async () => {
    const first = startWorkerProcess();
    await waitFor('the first worker to poll', () => first.output().includes('worker ready'), 60_000);
    const ovhflow: Ovhflow = (...args) => cliStack.cli.run(stack.taskQueue, ...args);
    const file = await exported(ovhflow, 'kill.yaml');
    const shopSite = file.accounts.default!.services[SHOP]!.sites![0]!;
    shopSite.firewall = 'none';
    (shopSite.php as Record<string, unknown>).environment = 'production';
    writeFleet('kill.yaml', file);
    const config = await stack.sim.config();
    // OVH takes its time: the worker dies while the domain update waits for its task.
    await stack.sim.config({ taskDurationMs: { ...config.taskDurationMs, 'attachedDomain/update': 15_000 } });
    try {
      const before = await mark();
      const run = await ovhflow('apply', 'kill.yaml', '--yes', '--parallel', '1');
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const applyId = startedId(run.stdout);
      expect(applyId).toMatch(/^apply-fleet\//);
      await waitFor('the domain update to be sent', async () => (await writesSince(before)).some((w) => w.method === 'PUT'), 60_000);
      first.child.kill('SIGKILL');
      await waitFor('the first worker to die', () => first.child.exitCode !== null || first.child.signalCode !== null);
      const second = startWorkerProcess();
      await waitFor('the second worker to poll', () => second.output().includes('worker ready'), 60_000);

      const done = await outcomeOf(stack.runs, applyId, 180_000);
      expect(done.status, JSON.stringify(done.progress)).toBe('completed');
      expect((done.result as ApplyFleetResult).totals).toEqual({ changes: 2, done: 2, failed: 0, needsAttention: 0 });
      const writes = await writesSince(before);
      expect(writes.filter((w) => w.method === 'PUT' && w.path === `/hosting/web/${SHOP}/attachedDomain/${SHOP_SITE}`)).toHaveLength(1);
      expect(writes.filter((w) => w.path.endsWith('/changeConfiguration'))).toHaveLength(1);
      const state = await stack.sim.state();
      expect(state.services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)).toMatchObject({ firewall: 'none' });
      second.child.kill('SIGTERM');
    } finally {
      await stack.sim.config({ taskDurationMs: config.taskDurationMs });
    }
  });

  it('a fleet bigger than one part of the history continues as new: every change applied, each part of the history bounded', async () => {
    const worker = await stack.startWorker();
    try {
      const ovhflow: Ovhflow = (...args) => cliStack.cli.runWithEnv({ OVHFLOW_APPLY_CHILDREN_PER_EXECUTION: '2' }, stack.taskQueue, ...args);
      const file = await exported(ovhflow, 'many.yaml');
      const shop = file.accounts.default!.services[SHOP]!;
      const logins = ['one', 'two', 'three', 'four', 'five'].map((n) => `demoshop-${n}`);
      // One password by reference: resolved by the CLI at apply time, sent to OVH, never printed nor in clear in Temporal.
      shop.users = [...(shop.users ?? []), ...logins.map((login, i) => ({ login, home: `team/${login}`, sshState: 'none', ...(i === 0 ? { password: 'env:DEPLOY_PASSWORD' } : {}) }))];
      writeFleet('many.yaml', file);
      const password = 'DeploySecret2026xyz';
      const before = await mark();

      const missing = await ovhflow('apply', 'many.yaml', '--yes');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('env:DEPLOY_PASSWORD: this environment variable is not set where the apply runs');
      const run = await cliStack.cli.runWithEnv({ OVHFLOW_APPLY_CHILDREN_PER_EXECUTION: '2', DEPLOY_PASSWORD: password }, stack.taskQueue, 'apply', 'many.yaml', '--yes', '--wait');
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const result = resultOf(run.stdout);
      expect(result.totals).toEqual({ changes: 5, done: 5, failed: 0, needsAttention: 0 });
      expect(result.done.map((d) => d.subject).sort()).toEqual(logins.map((login) => `user ${login}`).sort());
      const users = (await stack.sim.state()).services[SHOP]!.users.map((u) => u.login);
      expect(users).toEqual(expect.arrayContaining(logins));
      const created = (await stack.sim.requests()).slice(before).filter((r) => r.method === 'POST' && r.path === `/hosting/web/${SHOP}/user`);
      expect(created).toHaveLength(5);
      // The simulator's log masks passwords: the one given is in the child's input, which Temporal holds encrypted only.
      expect(created.find((r) => (r.body as { login?: string }).login === logins[0])?.body).toMatchObject({ password: '***' });
      const child = result.done.find((d) => d.subject === `user ${logins[0]}`)!.workflowId;
      const childHistory = await stack.t.client.workflow.getHandle(child).fetchHistory();
      const childInput = await decodeFromPayloadsAtIndex<{ password?: string }>(stack.t.client.options.loadedDataConverter, 0, childHistory.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads);
      expect(childInput.password).toBe(password);
      expect(JSON.stringify(childHistory)).not.toContain(password);
      expect(`${run.stdout}${run.stderr}`).not.toContain(password);

      // Five children, two per part: three executions of one run, each history a few events per child.
      const applyId = startedId(run.stdout);
      const executions = [];
      for await (const execution of stack.t.client.workflow.list({ query: `WorkflowId = '${applyId}'` })) executions.push(execution);
      expect(executions.map((e) => e.status.name).sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
      for (const execution of executions) {
        const history = await stack.t.client.workflow.getHandle(applyId, execution.runId).fetchHistory();
        expect(history.events?.length ?? 0).toBeLessThanOrEqual(60);
        expect(JSON.stringify(history)).not.toContain(password);
      }
    } finally {
      await worker.stop();
    }
  });

  it('--prune decommissions a site the file does not name, as a decommission that waits for its own confirmation', async () => {
    const ovhflow = await cliStack.ownWorker('apply-prune');
    const byHand = await stack.ovh.attachDomain(AGENCY, { domain: 'prune-me.example.org', path: 'prune-me', ssl: false });
    await stack.sim.waitForTask(AGENCY, byHand.id);
    const file = await exported(ovhflow, 'prune.yaml');
    const agency = file.accounts.default!.services[AGENCY]!;
    agency.sites = agency.sites!.filter((site) => site.domain !== 'prune-me.example.org');
    writeFleet('prune.yaml', file);

    const run = await ovhflow('apply', 'prune.yaml', '--yes', '--wait', '--prune');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    const result = resultOf(run.stdout);
    expect(result.totals).toEqual({ changes: 1, done: 0, failed: 0, needsAttention: 1 });
    const decommission = result.needsAttention[0]!;
    expect(decommission).toMatchObject({ subject: 'prune-me.example.org', runType: 'decommission', workflowId: expect.stringMatching(/^decommission-site\/demo-agency\.ovh\/prune-me\.example\.org\/apply-/) });
    expect(decommission.reason).toContain(`ovhflow confirm ${decommission.workflowId}`);
    expect((await stack.sim.state()).services[AGENCY]!.attachedDomains.map((d) => d.domain)).toContain('prune-me.example.org');

    const confirmed = await ovhflow('confirm', decommission.workflowId);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const ended = await outcomeOf(stack.runs, decommission.workflowId, 120_000);
    expect(ended.status, JSON.stringify(ended.progress?.attention)).toBe('completed');
    expect((await stack.sim.state()).services[AGENCY]!.attachedDomains.map((d) => d.domain)).not.toContain('prune-me.example.org');
  });

  it("env, cron and git in the file: apply sets the variables in one env run (a password by reference), changes a job, follows a new branch and provisions a new site with its Git link and job; a second plan is empty; what the file drops is untouched", async () => {
    const ovhflow = await cliStack.ownWorker('apply-runs');
    const done = async (task: Promise<{ id: number }>) => stack.sim.waitForTask(AGENCY, (await task).id);
    await done(stack.ovh.attachDomain(AGENCY, { domain: 'deploy.example.org', path: 'deploysite', ssl: false }));
    await done(stack.ovh.createWebsite(AGENCY, { path: 'deploysite', vcsUrl: 'https://github.com/acme/deploysite', vcsBranch: 'main' }));
    await done(stack.ovh.createEnvVar(AGENCY, { key: 'APP_ENV', type: 'string', value: 'production' }));
    await done(stack.ovh.createEnvVar(AGENCY, { key: 'WORKERS', type: 'integer', value: '4' }));
    for (const command of ['deploysite/cron.php', 'deploysite/report.php']) await done(stack.ovh.createCron(AGENCY, { command, frequency: '0 3 * * *', language: 'php8.3' }));

    const file = await exported(ovhflow, 'runs.yaml');
    const agency = file.accounts.default!.services[AGENCY]!;
    agency.env = { WORKERS: { type: 'integer', value: 8 }, API_KEY: { type: 'password', value: 'env:FLEET_API_KEY' } };
    agency.cron = [{ ...agency.cron!.find((job) => job.command === 'deploysite/cron.php'), frequency: '0 4 * * *' }, { command: 'newgit/cron.php', frequency: '0 6 * * *' }];
    (agency.sites!.find((site) => site.domain === 'deploy.example.org')!.git as Record<string, unknown>).branch = 'develop';
    agency.sites!.push({ domain: 'newgit.example.org', path: 'newgit', git: { repository: 'https://github.com/acme/newgit', branch: 'main' } });
    writeFleet('runs.yaml', file);
    const apiKey = 'FleetApiKey2026secret';

    const before = await mark();
    const run = await ovhflow.withEnv({ FLEET_API_KEY: apiKey }, 'apply', 'runs.yaml', '--yes', '--wait');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(apiKey);
    const result = resultOf(run.stdout);
    expect(result.totals).toEqual({ changes: 4, done: 4, failed: 0, needsAttention: 0 });
    expect(result.done.map((d) => [d.subject, d.runType]).sort()).toEqual([
      ['deploy.example.org', 'cron'],
      ['deploy.example.org', 'deploy'],
      [`env of ${AGENCY}`, 'env'],
      ['newgit.example.org', 'provision'],
    ]);
    const envRun = result.done.find((d) => d.runType === 'env')!.workflowId;
    expect(JSON.stringify(await stack.t.client.workflow.getHandle(envRun).fetchHistory())).not.toContain(apiKey);

    const state = (await stack.sim.state()).services[AGENCY]!;
    expect(state.envVars.map(({ key, type, value }) => ({ key, type, value })).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'API_KEY', type: 'password', value: apiKey },
      { key: 'APP_ENV', type: 'string', value: 'production' },
      { key: 'WORKERS', type: 'integer', value: '8' },
    ]);
    expect(state.crons.map((job) => [job.command, job.frequency]).sort()).toEqual([
      ['deploysite/cron.php', '0 4 * * *'],
      ['deploysite/report.php', '0 3 * * *'],
      ['newgit/cron.php', '0 6 * * *'],
    ]);
    expect(state.websites.map((w) => [w.path, w.vcsUrl, w.vcsBranch]).sort()).toEqual([
      ['deploysite', 'https://github.com/acme/deploysite', 'develop'],
      ['newgit', 'https://github.com/acme/newgit', 'main'],
    ]);
    const writes = await writesSince(before);
    expect(writes.filter((w) => w.path.includes('APP_ENV') || w.method === 'DELETE')).toEqual([]);

    const afterApply = await mark();
    const plan = parsedJson(await ovhflow('plan', 'runs.yaml', '--json')) as FleetPlan;
    expect(plan.summary).toEqual({ create: 0, change: 0, blocked: 0, unmanaged: 2 });
    expect(plan.services.find((s) => s.serviceName === AGENCY)?.resources.filter((r) => r.action === 'unmanaged').map((r) => [r.kind, r.key])).toEqual([
      ['cron', 'deploysite/report.php'],
      ['env', 'APP_ENV'],
    ]);
    expect(await writesSince(afterApply)).toEqual([]);
  });

  describe('over HTTP', () => {
    const api = useApiWithWorker(() => stack);

    it('POST /v1/applies starts one apply run for a fleet file and answers 200 with nothing started once applied', async () => {
      const cdnNow = (await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)?.cdn;
      const cdn = cdnNow === 'active' ? 'none' : 'active';
      const doc = { version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn }] } } } } };
      const started = await api.call('POST', '/v1/applies', { rawBody: yaml.dump(doc), headers: { 'Content-Type': 'application/yaml' } });
      expect(started.status, started.text).toBe(202);
      const { workflowId } = started.body as { workflowId: string };
      expect(workflowId).toMatch(/^apply-fleet\//);
      const done = await outcomeOf(stack.runs, workflowId, 120_000);
      expect(done.status).toBe('completed');
      expect((done.result as ApplyFleetResult).done).toEqual([expect.objectContaining({ subject: SHOP_SITE, runType: 'update-domain', status: 'done' })]);
      expect((await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)).toMatchObject({ cdn });

      const again = await api.call('POST', '/v1/applies', { body: doc });
      expect(again.status, again.text).toBe(200);
      expect(again.body).toMatchObject({ applied: false, plan: { summary: { create: 0, change: 0, blocked: 0 } } });

      // A secret by reference is never read from the API's own environment (it holds the API token, OVH's keys).
      const runsBefore = (await stack.runs.listRuns({ type: 'apply' })).length;
      const withReference = { version: 1, accounts: { default: { services: { [SHOP]: { sites: doc.accounts.default.services[SHOP].sites, users: [{ login: 'demoshop-leak', home: 'leak', sshState: 'none', password: 'env:OVHFLOW_API_TOKEN' }] } } } } };
      const refused = await api.call('POST', '/v1/applies', { body: withReference });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.text).toContain('secret references are not read by the HTTP API');
      expect((await stack.runs.listRuns({ type: 'apply' })).length).toBe(runsBefore);
      expect((await stack.sim.state()).services[SHOP]!.users.map((u) => u.login)).not.toContain('demoshop-leak');
    });
  });

  it('on a terminal, apply asks before it starts anything: "no" starts nothing, "yes" starts the apply', async () => {
    const worker = await stack.startWorker();
    try {
      const ovhflow: Ovhflow = (...args) => cliStack.cli.run(stack.taskQueue, ...args);
      const file = await exported(ovhflow, 'tty.yaml');
      const shopSite = file.accounts.default!.services[SHOP]!.sites![0]!;
      shopSite.firewall = shopSite.firewall === 'active' ? 'none' : 'active';
      writeFleet('tty.yaml', file);

      /** `ovhflow apply tty.yaml` on a pseudo-terminal (util-linux `script`), answering the question with `answer`. */
      const onTerminal = (answer: string) =>
        new Promise<{ code: number; output: string }>((resolve, reject) => {
          const command = `${process.execPath} ${OVHFLOW_BIN} apply tty.yaml`;
          const child = spawn('script', ['-qec', command, '/dev/null'], {
            cwd: cliStack.cli.cwd,
            env: { PATH: process.env.PATH, HOME: cliStack.cli.cwd, TEMPORAL_ADDRESS: stack.t.address, TEMPORAL_NAMESPACE: stack.t.namespace, TEMPORAL_TASK_QUEUE: stack.taskQueue, OVHFLOW_ENCRYPTION_KEY: TEST_KEY_BASE64, LOG_LEVEL: 'warn' },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          let output = '';
          let answered = false;
          const killer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`no answer in time:\n${output}`));
          }, 90_000);
          const take = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            if (!answered && output.includes('Type yes to apply:')) {
              answered = true;
              child.stdin.write(`${answer}\r`);
            }
          };
          child.stdout.on('data', take);
          child.stderr.on('data', take);
          child.on('close', (code) => {
            clearTimeout(killer);
            resolve({ code: code ?? -1, output });
          });
        });

      const before = await mark();
      const declined = await onTerminal('no');
      expect(declined.output).toMatch(/Start 1 run\(s\) for 1 site\(s\)\? Type yes to apply:/);
      expect(declined.output).toContain('Not confirmed: nothing was started.');
      expect(declined.code).toBe(1);
      expect(await writesSince(before)).toEqual([]);

      const confirmed = await onTerminal('yes');
      expect(confirmed.code, confirmed.output).toBe(0);
      const applyId = startedId(confirmed.output);
      expect((await outcomeOf(stack.runs, applyId, 120_000)).status).toBe('completed');
      expect((await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)).toMatchObject({ firewall: shopSite.firewall });
    } finally {
      await worker.stop();
    }
  });
});
