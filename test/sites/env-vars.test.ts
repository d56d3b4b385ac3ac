// `ovhflow env set|unset` and `ovhflow ls env`, as operators run them (the binary, against the suite's Temporal dev
// server, a worker of this file and the real simulator over HTTPS), and POST /v1/env-vars over HTTP. The simulator's
// request log and admin state show what really happened at "OVH": how many writes were sent, which variables a
// hosting has and with which values. Password values are searched for in the raw history (read without the codec),
// the worker's log lines, the CLI's output and the simulator's request log.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envVarsWorkflowId, type EnsureEnvVarsResult } from '../../src/shared/env-vars.js';
import { parsedJson, startCliStack, type CliRun, type CliStack } from '../support/cli.js';
import { startTestApi } from '../support/api.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';
import { createTestWorker, uniqueTaskQueue } from '../support/temporal.js';
import { everythingIn, leakedIn } from '../security/support.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const POLL = { timeout: 60_000, interval: 250 };
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('environment variables: env set|unset, ls env, POST /v1/env-vars', { timeout: 150_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-env');
    stack = cliStack.stack;
  });
  afterEach(async () => {
    for (const stop of stops) await stop();
    stops = [];
    await stack.sim.clearFaults();
    await stack.sim.config({ taskDurationMs: { default: 60, 'envVar/delete': 60 } });
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  /** A worker on a task queue of the test's own, and the binary started on that queue (with extra environment). */
  async function ownWorker(name: string) {
    const taskQueue = uniqueTaskQueue(name);
    const { worker, close } = await createTestWorker(stack.t, taskQueue, { ovh: stack.ovh });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    });
    const ovhflow = (...args: string[]) => cliStack.cli.run(taskQueue, ...args);
    ovhflow.withEnv = (env: Record<string, string>, ...args: string[]) => cliStack.cli.runWithEnv(env, taskQueue, ...args);
    return ovhflow;
  }

  const allEnvWrites = async (serviceName: string) => (await writesTo(stack.sim, serviceName)).filter((w) => /\/envVar(\/|$)/.test(w.path));
  /** What `envWrites` leaves out: the writes recorded so far (by query id: the request log drops its oldest entries). */
  const mark = async (serviceName: string) => new Set((await allEnvWrites(serviceName)).map((w) => w.queryId));
  /** The writes to a hosting's variables since `since`. */
  const envWrites = async (serviceName: string, since: Set<string>) => (await allEnvWrites(serviceName)).filter((w) => !since.has(w.queryId));
  const envVarsOf = async (serviceName: string) => (await stack.sim.state()).services[serviceName]!.envVars;
  const variable = async (serviceName: string, key: string) => (await envVarsOf(serviceName)).find((v) => v.key === key);
  /** A variable put there beforehand, as if by hand in OVH's control panel. */
  const existing = async (serviceName: string, key: string, type: 'integer' | 'password' | 'string', value: string) => {
    const task = await stack.ovh.createEnvVar(serviceName, { key, type, value });
    await expect.poll(async () => (await stack.ovh.getTask(serviceName, task.id)).status, POLL).toBe('done');
  };

  it('env set twice writes once: a create whose answer was lost is adopted, and the second run finds everything in place and writes nothing', async () => {
    const ovhflow = await ownWorker('cli-env-twice');
    const since = await mark(SHOP);
    // The first create reaches OVH but its answer is lost: the retry must find the variable, not create it again.
    await stack.sim.faults([{ method: 'POST', path: `/hosting/web/${SHOP}/envVar`, reset: 'after', times: 1 }]);

    const first = await ovhflow('env', 'set', '--service', SHOP, 'APP_ENV=production', 'WORKERS:integer=4', '--wait', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(parsedJson(first)).toMatchObject({ type: 'env', status: 'completed' });
    const result = parsedJson(first).result as EnsureEnvVarsResult;
    expect(result).toEqual({
      serviceName: SHOP,
      changed: true,
      variables: [
        { name: 'APP_ENV', action: 'create', type: 'string', value: 'production' },
        { name: 'WORKERS', action: 'create', type: 'integer', value: '4' },
      ],
    });
    expect(await variable(SHOP, 'APP_ENV')).toMatchObject({ type: 'string', value: 'production', status: 'created' });
    expect(await variable(SHOP, 'WORKERS')).toMatchObject({ type: 'integer', value: '4', status: 'created' });

    const second = await ovhflow('env', 'set', '--service', SHOP, 'APP_ENV=production', 'WORKERS:integer=4', '--wait', '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(parsedJson(second)).toMatchObject({ status: 'completed', result: { changed: false, variables: [{ name: 'APP_ENV', action: 'unchanged' }, { name: 'WORKERS', action: 'unchanged' }] } });

    // Two creates in all: the lost one (applied, answer reset) and WORKERS; none by the retry, none by the second run.
    const sent = await envWrites(SHOP, since);
    expect(sent.map((w) => [w.method, w.path, w.status])).toEqual([
      ['POST', `/hosting/web/${SHOP}/envVar`, 0],
      ['POST', `/hosting/web/${SHOP}/envVar`, 200],
    ]);

    // A changed value is one PUT; unset is one DELETE; unsetting what is absent writes nothing.
    const later = await mark(SHOP);
    const changed = await ovhflow('env', 'set', '--service', SHOP, 'APP_ENV=staging', '--wait', '--json');
    expect(parsedJson(changed)).toMatchObject({ status: 'completed', result: { variables: [{ name: 'APP_ENV', action: 'update', value: 'staging' }] } });
    const unset = await ovhflow('env', 'unset', '--service', SHOP, 'WORKERS', 'NEVER_SET', '--wait', '--json');
    expect(unset.code, unset.stderr).toBe(0);
    expect(parsedJson(unset)).toMatchObject({ status: 'completed', result: { changed: true, variables: [{ name: 'WORKERS', action: 'delete' }, { name: 'NEVER_SET', action: 'unchanged' }] } });
    expect(await variable(SHOP, 'WORKERS')).toBeUndefined();
    expect(await variable(SHOP, 'APP_ENV')).toMatchObject({ value: 'staging' });
    expect((await envWrites(SHOP, later)).map((w) => `${w.method} ${w.path}`)).toEqual([`PUT /hosting/web/${SHOP}/envVar/APP_ENV`, `DELETE /hosting/web/${SHOP}/envVar/WORKERS`]);
  });

  it('a password variable (from a file, from the environment) is masked in the result, in `status --json` and in `ls env`, and never reaches raw history, logs or the CLI', async () => {
    const ovhflow = await ownWorker('cli-env-secret');
    const fileSecret = `FileSecret-${unique()}${unique()}`;
    const envSecret = `EnvSecret-${unique()}${unique()}`;
    const dir = mkdtempSync(join(tmpdir(), 'ovhflow-env-'));
    const file = join(dir, 'api-token');
    writeFileSync(file, `${fileSecret}\n`, { mode: 0o600 });

    const set = await ovhflow.withEnv({ SOURCE_SECRET: envSecret }, 'env', 'set', '--service', SHOP, 'APP_NAME=shop', '--from-file', `API_TOKEN:password=${file}`, '--from-env', 'DB_PASS:password=SOURCE_SECRET', '--wait', '--json');
    expect(set.code, set.stderr).toBe(0);
    const run = parsedJson(set);
    expect(run.result).toEqual({
      serviceName: SHOP,
      changed: true,
      variables: [
        { name: 'APP_NAME', action: 'create', type: 'string', value: 'shop' },
        { name: 'API_TOKEN', action: 'create', type: 'password', value: '********' },
        { name: 'DB_PASS', action: 'create', type: 'password', value: '********' },
      ],
    });
    // At OVH: the values themselves (the file's last line break dropped).
    expect(await variable(SHOP, 'API_TOKEN')).toMatchObject({ type: 'password', value: fileSecret });
    expect(await variable(SHOP, 'DB_PASS')).toMatchObject({ type: 'password', value: envSecret });

    const status = await ovhflow('status', run.workflowId as string, '--json');
    const listed = await ovhflow('ls', 'env', '--service', SHOP, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = parsedJson(listed) as Array<Record<string, unknown>>;
    expect(rows.filter((row) => ['API_TOKEN', 'APP_NAME', 'DB_PASS'].includes(row.name as string))).toEqual([
      { serviceName: SHOP, name: 'API_TOKEN', type: 'password', value: '********', status: 'created' },
      { serviceName: SHOP, name: 'APP_NAME', type: 'string', value: 'shop', status: 'created' },
      { serviceName: SHOP, name: 'DB_PASS', type: 'password', value: '********', status: 'created' },
    ]);
    const table = await ovhflow('ls', 'env', '--service', SHOP);
    expect(table.stdout).toMatch(/│ API_TOKEN +│ password +│ \*{8} +│/);

    // The same passwords again: nothing to write (OVH's values are compared inside the worker).
    const again = await ovhflow.withEnv({ SOURCE_SECRET: envSecret }, 'env', 'set', '--service', SHOP, '--from-file', `API_TOKEN:password=${file}`, '--from-env', 'DB_PASS:password=SOURCE_SECRET', '--wait', '--json');
    expect(parsedJson(again)).toMatchObject({ status: 'completed', result: { changed: false } });

    const secrets = { fileSecret, envSecret };
    const outputs: CliRun[] = [set, status, listed, table, again];
    expect(leakedIn(outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n'), secrets)).toEqual([]);
    const plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    for (const workflowId of [run.workflowId as string, parsedJson(again).workflowId as string]) {
      const history = await plain.workflow.getHandle(workflowId).fetchHistory();
      expect(leakedIn(everythingIn(history), secrets), workflowId).toEqual([]);
    }
    expect(leakedIn(stack.t.logLines.join('\n'), secrets)).toEqual([]);
    expect(leakedIn(JSON.stringify(await stack.sim.requests()), secrets)).toEqual([]);
  });

  it('an aborted env set puts everything back: the variable it created is removed, the ones it changed get their old value, the one it removed is created again', async () => {
    const ovhflow = await ownWorker('cli-env-abort');
    const oldPassword = `OldSecret-${unique()}`;
    const newPassword = `NewSecret-${unique()}`;
    await existing(AGENCY, 'KEEP_ME', 'string', 'old-value');
    await existing(AGENCY, 'OLD_FLAG', 'integer', '7');
    await existing(AGENCY, 'AGENCY_DB_PASS', 'password', oldPassword);
    await existing(AGENCY, 'RETYPED', 'string', '12');
    // Long enough to inject the next fault while the run waits for its last task.
    await stack.sim.config({ taskDurationMs: { 'envVar/delete': 3_000 } });
    const requestId = `abort-${unique()}`;
    const id = envVarsWorkflowId(AGENCY, requestId);
    const started = await ovhflow.withEnv(
      { NEW_PASSWORD: newPassword },
      'env', 'set', '--service', AGENCY, 'NEW_VAR=fresh', 'KEEP_ME=new-value', 'RETYPED:integer=12', '--from-env', 'AGENCY_DB_PASS:password=NEW_PASSWORD', '--unset', 'OLD_FLAG', '--request-id', requestId,
    );
    expect(started.code, started.stderr).toBe(0);
    await expect
      .poll(async () => (await stack.runs.describeRun(id)).progress?.steps.find((s) => s.name === 'apply')?.task?.function, POLL)
      .toBe('envVar/delete');
    await expect.poll(async () => (await variable(AGENCY, 'OLD_FLAG'))?.status, POLL).toBe('deleting');
    // Once the last task is over, the check that follows is refused: the run stops for an operator.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${AGENCY}/envVar`, status: 400, times: 1 }]);
    await expect.poll(async () => (await stack.runs.describeRun(id)).status, POLL).toBe('needs-attention');
    expect(await variable(AGENCY, 'OLD_FLAG')).toBeUndefined();
    expect(await variable(AGENCY, 'KEEP_ME')).toMatchObject({ value: 'new-value' });
    expect(await variable(AGENCY, 'RETYPED')).toMatchObject({ type: 'integer', value: '12' });
    expect(await variable(AGENCY, 'AGENCY_DB_PASS')).toMatchObject({ value: newPassword });

    const aborted = await ovhflow('abort', id);
    expect(aborted.code, aborted.stderr).toBe(0);
    const view = await outcomeOf(stack.runs, id, 60_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('aborted');
    expect(view.progress?.compensation?.undone).toEqual([
      'create the variable OLD_FLAG this run removed again (integer)',
      'put the old password value of AGENCY_DB_PASS back',
      'put the old string value of RETYPED back',
      'put the old string value of KEEP_ME back',
      'remove the variable NEW_VAR this run created',
    ]);

    const after = await envVarsOf(AGENCY);
    expect(after.find((v) => v.key === 'NEW_VAR')).toBeUndefined();
    expect(after.find((v) => v.key === 'KEEP_ME')).toMatchObject({ type: 'string', value: 'old-value', status: 'created' });
    expect(after.find((v) => v.key === 'RETYPED')).toMatchObject({ type: 'string', value: '12', status: 'created' });
    expect(after.find((v) => v.key === 'OLD_FLAG')).toMatchObject({ type: 'integer', value: '7', status: 'created' });
    expect(after.find((v) => v.key === 'AGENCY_DB_PASS')).toMatchObject({ type: 'password', value: oldPassword, status: 'created' });
    const plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    const history = await plain.workflow.getHandle(id).fetchHistory();
    expect(leakedIn(everythingIn(history), { oldPassword, newPassword })).toEqual([]);
    expect(leakedIn(stack.t.logLines.join('\n'), { oldPassword, newPassword })).toEqual([]);
  });

  it("OVH's refusal stops the run for an operator with OVH's message, nothing written; abort then has nothing to undo", async () => {
    const ovhflow = await ownWorker('cli-env-refused');
    const since = await mark(AGENCY);
    await stack.sim.request('POST', `/_sim/services/${AGENCY}`, { state: 'maintenance' });
    try {
      const refused = await ovhflow('env', 'set', '--service', AGENCY, 'IN_MAINTENANCE=yes', '--wait', '--json');
      expect(refused.code).toBe(1);
      const run = parsedJson(refused);
      expect(run).toMatchObject({ status: 'needs-attention', attention: { step: 'apply', failureType: 'OvhForbidden' } });
      expect(JSON.stringify(run.attention)).toContain(`The service ${AGENCY} is not active (state: maintenance): it cannot be modified`);
      const aborted = await ovhflow('abort', run.workflowId as string);
      expect(aborted.code, aborted.stderr).toBe(0);
      const view = await outcomeOf(stack.runs, run.workflowId as string);
      expect(view.status).toBe('aborted');
      expect(view.progress?.compensation).toMatchObject({ undone: [], notUndone: [] });
      expect(JSON.stringify(view.failure)).toContain('already gone: remove the variable IN_MAINTENANCE this run created');
    } finally {
      await stack.sim.request('POST', `/_sim/services/${AGENCY}`, { state: 'active' });
    }
    expect((await envWrites(AGENCY, since)).map((w) => [w.method, w.status])).toEqual([['POST', 403]]);
    expect(await variable(AGENCY, 'IN_MAINTENANCE')).toBeUndefined();
  });

  it('bad input is refused before anything starts (exit 2, the value never quoted back), and nothing is written', async () => {
    const ovhflow = await ownWorker('cli-env-bad');
    const since = await mark(SHOP);
    const runsBefore = (await stack.runs.listRuns({ type: 'env' })).length;
    const cases: Array<[string[], RegExp]> = [
      [['set', '--service', SHOP, '1BAD=x'], /1BAD\.name: a variable name is letters, digits and _, and does not start with a digit/],
      [['set', '--service', SHOP, 'EMPTY='], /EMPTY\.value: must not be empty \(to remove a variable, unset it\)/],
      [['set', '--service', SHOP, 'FLAG:bool=1'], /FLAG\.type: "bool" is not allowed; use one of "integer", "password", "string"/],
      [['set', '--service', SHOP, '--type', 'float', 'RATE=1.5'], /RATE\.type: "float" is not allowed/],
      [['set', '--service', SHOP, 'COUNT:integer=many'], /COUNT\.value: an integer variable takes a whole number/],
      [['set', '--service', SHOP, 'SHORT:password=abc12'], /SHORT\.value: a password variable must be at least 8 characters long/],
      [['set', '--service', SHOP, 'BOTH=1', '--unset', 'BOTH'], /unset\[0\]: BOTH is both set and unset: choose one/],
      [['set', '--service', SHOP, 'TWICE=1', 'TWICE=2'], /TWICE\.name: TWICE is given twice/],
      [['set', '--service', SHOP, 'Secret-Typed-Without-Equals'], /argument 1: expected NAME=VALUE \(to remove a variable: ovhflow env unset/],
      [['set', '--service', SHOP, '--from-env', 'DB_PASS:password=NOT_IN_ENV'], /--from-env DB_PASS: NOT_IN_ENV is not set in this environment/],
      [['set', '--service', SHOP, '--from-file', 'TOKEN=/nonexistent/token'], /--from-file TOKEN: cannot read \/nonexistent\/token \(ENOENT\)/],
      [['set', '--service', SHOP], /give at least one variable to set or to unset/],
      [['unset', '--service', SHOP, 'not-a-name'], /unset\[0\]: a variable name is letters, digits and _/],
    ];
    const runs = await Promise.all(cases.map(([args]) => ovhflow('env', ...args)));
    runs.forEach((run, index) => {
      const [args, message] = cases[index]!;
      expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n/);
      expect(run.stderr, args.join(' ')).toMatch(message);
    });
    // A value is never echoed (it may be a password typed into the wrong place).
    expect(runs.map((run) => run.stderr).join('\n')).not.toMatch(/abc12|many|Secret-Typed-Without-Equals/);
    expect(await envWrites(SHOP, since)).toEqual([]);
    expect((await stack.runs.listRuns({ type: 'env' })).length).toBe(runsBefore);
  });

  it('POST /v1/env-vars answers 202 and the run sets the variables; a bad body is a 400; GET /v1/inventory/env masks passwords', async () => {
    const worker = await stack.startWorker();
    const api = await startTestApi(stack);
    const secret = `ApiSecret-${unique()}`;
    try {
      const empty = await api.call('POST', '/v1/env-vars', { body: { serviceName: SHOP, set: [{ name: 'X', value: '' }] } });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('must not be empty');
      const both = await api.call('POST', '/v1/env-vars', { body: { serviceName: SHOP, set: [{ name: 'X', value: 'x' }], unset: ['X'] } });
      expect(both.status).toBe(400);
      expect(both.text).toContain('X is both set and unset');

      const started = await api.call('POST', '/v1/env-vars', { body: { serviceName: SHOP, set: [{ name: 'HTTP_SET', value: 'over-http' }, { name: 'HTTP_SECRET', value: secret, type: 'password' }] } });
      expect(started.status, started.text).toBe(202);
      const workflowId = started.body.workflowId as string;
      expect(workflowId).toMatch(/^set-env-vars\/demo-shop\.ovh\//);
      const view = await outcomeOf(stack.runs, workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      expect(view.result).toMatchObject({ changed: true, variables: [{ name: 'HTTP_SET', value: 'over-http' }, { name: 'HTTP_SECRET', value: '********' }] });

      const run = await api.call('GET', `/v1/runs/${encodeURIComponent(workflowId)}`);
      expect(run.body).toMatchObject({ type: 'env', status: 'completed' });
      const inventory = await api.call('GET', `/v1/inventory/env?service=${SHOP}`);
      expect(inventory.status, inventory.text).toBe(200);
      expect(inventory.text).toContain('"name":"HTTP_SECRET","type":"password","value":"********"');
      expect(leakedIn(`${started.text}\n${run.text}\n${inventory.text}`, { secret })).toEqual([]);
      expect(await variable(SHOP, 'HTTP_SECRET')).toMatchObject({ type: 'password', value: secret });
    } finally {
      await api.close();
      await worker.stop();
    }
  });
});
