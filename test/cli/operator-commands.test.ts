// The operator's decisions as operators make them: `node bin/ovhflow.js runs --needs-attention | status | retry |
// skip | abort` in child processes, against the suite's Temporal dev server, a worker of this file and a real
// simulator over HTTPS. Each test checks exit codes (0 ok, 1 the run failed or needs attention, 2 bad usage or input)
// and what is printed, human and --json; the simulator's admin API shows what really happened at "OVH".
// The same scenarios through the run service: test/provisioning/operator-control.test.ts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { escapeRegExp, parsedJson, startCliStack, watchedBlocks, type CliStack, type Ovhflow, expectRefusedStdout } from '../support/cli.js';
import { uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { createTestWorker, uniqueTaskQueue } from '../support/temporal.js';

const SHOP = 'demo-shop.ovh';
const POLL = { timeout: 60_000, interval: 250 };

// Every command is a process (about a second each on an idle machine, several when the cores are busy): tests get room.
describe('operator commands through the ovhflow binary: a provisioning that needs attention', { timeout: 150_000 }, () => {
  let stack: TestStack;
  let ownWorker: CliStack['ownWorker'];
  let cliStack: CliStack;

  beforeAll(async () => {
    cliStack = await startCliStack('cli-operator');
    ({ stack, ownWorker } = cliStack);
  });
  beforeEach(async () => {
    // Each test starts from the demo fixtures: the Pro offer's database quota is not used up by earlier tests.
    await stack.sim.reset();
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const statusOf = async (workflowId: string) => (await stack.runs.describeRun(workflowId)).status;

  /** `ovhflow provision ... --json` without --wait: exit 0 and the new run's id. */
  async function startProvision(ovhflow: Ovhflow, domain: string, ...flags: string[]): Promise<string> {
    const started = await ovhflow('provision', '--service', SHOP, '--domain', domain, ...flags, '--json');
    expect(started.code, started.stderr).toBe(0);
    const printed = parsedJson(started);
    expect(printed).toMatchObject({ workflowId: `provision-site/${SHOP}/${domain}`, status: 'running', existing: false });
    expect(printed.runId).toMatch(/\S/);
    return printed.workflowId as string;
  }

  it('a refused database creation is listed by runs --needs-attention and explained by status (exit 1); a bad --set is refused (exit 2) and changes nothing; a good one completes the run, which status --watch follows to the end (exit 0)', async () => {
    const ovhflow = await ownWorker('cli-retry');
    const domain = uniqueDomain('cli-retry');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400, times: 1 }]);
    const id = await startProvision(ovhflow, domain, '--module', 'wordpress');
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');
    const refused = (await stack.sim.requests()).find((r) => r.method === 'POST' && r.path === `/hosting/web/${SHOP}/database` && r.fault !== undefined);
    expect(refused).toMatchObject({ status: 400, fault: 'status' });

    // The queue of runs waiting for a person (visibility lags the run by a moment).
    await vi.waitFor(
      async () => {
        const listed = await ovhflow('runs', '--needs-attention', '--json');
        expect(listed.code, listed.stderr).toBe(0);
        expect(parsedJson(listed)).toContainEqual(expect.objectContaining({ workflowId: id, type: 'provision', status: 'needs-attention' }));
      },
      { timeout: 30_000, interval: 500 },
    );
    const listed = await ovhflow('runs', '--needs-attention');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^needs-attention +provision +\\S+ +${escapeRegExp(id)}$`, 'm'));
    for (const line of listed.stdout.trimEnd().split('\n')) expect(line).toMatch(/^needs-attention /);

    // What failed, OVH's words and query id (the very request the simulator refused), what to check, what to do.
    const [human, machine, watching] = await Promise.all([ovhflow('status', id), ovhflow('status', id, '--json'), ovhflow('status', id, '--watch')]);
    expect([human.code, machine.code, watching.code]).toEqual([1, 1, 1]);
    // --watch follows a run until it needs a person: here that is at once.
    expect(watching.stdout).toContain('NEEDS ATTENTION at step createDatabase (OvhBadRequest)');
    const waiting = parsedJson(machine);
    expect(waiting).toMatchObject({
      workflowId: id,
      type: 'provision',
      status: 'needs-attention',
      currentStep: 'createDatabase',
      attention: { step: 'createDatabase', failureType: 'OvhBadRequest', queryId: refused!.queryId },
    });
    const attention = waiting.attention as { ovhMessage: string; hint: string; message: string; since: string };
    expect(attention.ovhMessage).toMatch(/\S/);
    expect(attention.hint).toMatch(/\S/);
    expect(human.stdout).toContain(`${id}  NEEDS-ATTENTION`);
    expect(human.stdout).toMatch(/✔ Attach the domain +done/);
    expect(human.stdout).toMatch(/! Create the database +needs-attention/);
    expect(human.stdout).toContain('NEEDS ATTENTION at step createDatabase (OvhBadRequest)');
    expect(human.stdout).toContain(attention.message);
    expect(human.stdout).toContain(`OVH said: ${attention.ovhMessage} (query id ${refused!.queryId})`);
    expect(human.stdout).toContain(`what to check: ${attention.hint}`);
    expect(human.stdout).toContain(`then: ovhflow retry ${id} [--set key=value]  |  ovhflow skip ${id}  |  ovhflow abort ${id}`);

    // Bad corrections: refused before anything happens, with the reason.
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    const [outside, typo, identity, confirm] = await Promise.all([
      ovhflow('retry', id, '--set', 'path=../etc'),
      ovhflow('retry', id, '--set', 'database.userSufix=cli1', '--json'),
      ovhflow('retry', id, '--set', 'domain=other.example.org'),
      // Nothing here waits for a confirmation: only a restore does.
      ovhflow('confirm', id),
    ]);
    for (const refusedRun of [outside, typo, identity, confirm]) {
      expect(refusedRun.code, refusedRun.stderr).toBe(2);
      expectRefusedStdout(refusedRun);
    }
    expect(outside.stderr).toMatch(/^ovhflow: .*path.*"\.\."/m);
    expect(typo.stderr).toMatch(/database\.userSufix.*did you mean "database\.userSuffix"\?/);
    expect(identity.stderr).toMatch(/domain.*identifies the run and cannot change on retry/);
    expect(confirm.stderr).toBe(`ovhflow: cannot confirm: run ${id} is a provision run, and only a restore, a certificate replacement, a decommission, an FTP/SSH user deletion, or a Git repository replacement waits for a confirmation (decide with: ovhflow retry|skip|abort ${id})\n`);
    const still = parsedJson(await ovhflow('status', id, '--json'));
    expect(still).toMatchObject({ status: 'needs-attention', attention: { step: 'createDatabase', since: attention.since } });
    expect(still.steps).toEqual(waiting.steps);
    expect((await writesTo(stack.sim, SHOP)).length).toBe(writesBefore);

    // A good correction: accepted, then used (the database user gets the corrected suffix).
    const retried = await ovhflow('retry', id, '--set', 'database.userSuffix=cli1');
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toBe(`retry accepted for step createDatabase of ${id}\n`);
    const watched = await ovhflow('status', id, '--watch');
    expect(watched.code, watched.stderr).toBe(0);
    const blocks = watchedBlocks(watched.stdout, id);
    const last = blocks.at(-1)!;
    expect(last).toContain(`${id}  COMPLETED`);
    for (const title of ['Check the service and inputs', 'Attach the domain', 'Create the database', 'Install the module', 'Turn on HTTPS']) {
      expect(last).toMatch(new RegExp(`✔ ${title} +done`));
    }
    // Piped output says each change once: no block repeats the one before it but for a ticking clock.
    const withoutClock = blocks.map((b) => b.replace(/\(\d+(m\d+)?s\)|\b\d+(m\d+)?s\b/g, ''));
    withoutClock.slice(1).forEach((block, i) => expect(block, `block ${i + 1} repeats block ${i}`).not.toBe(withoutClock[i]));
    expect(watched.stdout).toMatch(/\nresult:\n\{/);
    expect(watched.stdout).toContain('"user": "demoshopcli1"');
    expect(watched.stdout).toContain('"password": "********"');
    expect(watched.stdout).toContain('(passwords hidden: add --show-secrets to print them)');

    // The generated passwords are printed only when asked for.
    const result = (await stack.runs.describeRun(id)).result as ProvisionSiteResult;
    expect(result.database?.user).toBe('demoshopcli1');
    const secrets = [result.database?.password, result.module?.adminPassword];
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 8)).toBe(true);
    const [plain, shown] = await Promise.all([ovhflow('status', id, '--json'), ovhflow('status', id, '--json', '--show-secrets')]);
    expect([plain.code, shown.code]).toEqual([0, 0]);
    for (const secret of secrets) {
      for (const output of [watched.stdout, watched.stderr, plain.stdout, retried.stdout]) expect(output).not.toContain(secret);
    }
    expect(parsedJson(plain)).toMatchObject({ status: 'completed', result: { database: { password: '********' }, module: { adminPassword: '********' } } });
    expect(parsedJson(shown)).toMatchObject({ status: 'completed', result: { database: { password: secrets[0] }, module: { adminPassword: secrets[1] } } });
    const databases = (await stack.sim.state()).services[SHOP]!.databases.map((d) => d.name);
    expect(databases).toContain('demoshopcli1');
  });

  it('skip on a failed module installation: the run completes without it, shown skipped', async () => {
    const ovhflow = await ownWorker('cli-skip');
    const domain = uniqueDomain('cli-skip');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const id = await startProvision(ovhflow, domain, '--module', 'wordpress', '--ssl', 'none');
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');
    expect(parsedJson(await ovhflow('status', id, '--json')).attention).toMatchObject({ step: 'installModule', failureType: 'OvhBadRequest' });

    const skipped = await ovhflow('skip', id, '--json');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(parsedJson(skipped)).toEqual({ workflowId: id, step: 'installModule', decision: 'skip' });
    const watched = await ovhflow('status', id, '--watch', '--json');
    expect(watched.code, watched.stderr).toBe(0);
    const done = parsedJson(watched);
    expect(done).toMatchObject({ workflowId: id, status: 'completed', result: { skipped: ['installModule'], database: { password: '********' } } });
    expect(done.result.module).toBeUndefined();
    const steps = Object.fromEntries((done.steps as Array<{ name: string; state: string }>).map((s) => [s.name, s.state]));
    expect(steps).toEqual({ preflight: 'done', attachDomain: 'done', dns: 'adopted', createDatabase: 'done', installModule: 'skipped', git: 'skipped', php: 'skipped', env: 'skipped', cron: 'skipped', ssl: 'skipped' });

    const human = await ovhflow('status', id);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${id}  COMPLETED`);
    expect(human.stdout).toMatch(/↷ Install the module +skipped .*skipped by an operator after: /);
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.modules.some((m) => String(m.targetUrl).includes(domain))).toBe(false);
    expect(state.attachedDomains.some((d) => d.domain === domain)).toBe(true);

    // Too late for another decision: the run is over.
    const again = await ovhflow('skip', id);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`cannot skip: run ${id} is completed, not waiting for an operator`);
  });

  it('a decision no worker takes does not hang: exit 1 within the decision timeout, saying so; the decision applies once a worker is back', async () => {
    // A worker of this test's own, stopped and started again on the same task queue.
    const taskQueue = uniqueTaskQueue('cli-no-worker');
    const startWorker = async () => {
      const { worker, close } = await createTestWorker(stack.t, taskQueue, { ovh: stack.ovh });
      const running = worker.run();
      return async () => {
        worker.shutdown();
        await running;
        await close();
      };
    };
    const ovhflow: Ovhflow = (...args) => cliStack.cli.run(taskQueue, ...args);
    let stopWorker = await startWorker();
    const domain = uniqueDomain('cli-no-worker');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const id = await startProvision(ovhflow, domain, '--module', 'wordpress', '--ssl', 'none');
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');
    await stopWorker();

    const skipped = await cliStack.cli.runWithEnv({ OVHFLOW_DECISION_TIMEOUT_SECONDS: '3' }, taskQueue, 'skip', id);
    expect(skipped.code, skipped.stderr).toBe(1);
    expect(skipped.stderr).toContain(`no worker took the skip within 3 s: is a worker running on task queue "${taskQueue}"?`);
    expect(skipped.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(skipped.ms).toBeLessThan(30_000);
    const badSetting = await cliStack.cli.runWithEnv({ OVHFLOW_DECISION_TIMEOUT_SECONDS: 'soon' }, taskQueue, 'skip', id);
    expect(badSetting.code).toBe(2);
    expect(badSetting.stderr).toContain('OVHFLOW_DECISION_TIMEOUT_SECONDS: "soon" is not a positive number of seconds');

    // Temporal kept the admitted decision: the next worker applies it, and the run completes without the module.
    stopWorker = await startWorker();
    try {
      await expect.poll(() => statusOf(id), POLL).toBe('completed');
      const done = parsedJson(await ovhflow('status', id, '--json'));
      expect(done.result.skipped).toEqual(['installModule']);
    } finally {
      await stopWorker();
    }
  });

  it('abort undoes what the run created and nothing that existed before; the run ends aborted (status exits 1)', async () => {
    const ovhflow = await ownWorker('cli-abort');
    // The domain was attached by hand before the run: the run adopts it, creates a database, and fails at the module.
    const domain = uniqueDomain('cli-abort');
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain, path: 'kept', ssl: true })).id);
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const before = (await stack.sim.state()).services[SHOP]!;
    const id = await startProvision(ovhflow, domain, '--path', 'kept', '--db-user-suffix', 'abrt', '--module', 'joomla');
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');
    const waiting = parsedJson(await ovhflow('status', id, '--json'));
    const stateOf = (name: string) => (waiting.steps as Array<{ name: string; state: string }>).find((s) => s.name === name)?.state;
    expect([stateOf('attachDomain'), stateOf('createDatabase'), stateOf('installModule')]).toEqual(['adopted', 'done', 'needs-attention']);
    expect((await stack.sim.state()).services[SHOP]!.databases.map((d) => d.name)).toContain('demoshopabrt');

    const aborted = await ovhflow('abort', id);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stdout).toBe(`abort accepted for step installModule of ${id}\n`);
    await expect.poll(() => statusOf(id), POLL).toBe('aborted');

    const [human, machine] = await Promise.all([ovhflow('status', id), ovhflow('status', id, '--json')]);
    expect([human.code, machine.code]).toEqual([1, 1]);
    expect(human.stdout).toContain(`${id}  ABORTED`);
    expect(human.stdout).toMatch(/^ {2}aborted: aborted by an operator at step installModule.*undone: .*demoshopabrt/m);
    expect(parsedJson(machine)).toMatchObject({ workflowId: id, status: 'aborted', failure: { type: 'OvhflowRunAborted' } });

    // What the run created is gone; what existed before it is untouched.
    const after = (await stack.sim.state()).services[SHOP]!;
    const names = (rows: Array<Record<string, unknown>>, key: string) => rows.map((r) => String(r[key])).sort();
    expect(names(after.databases, 'name')).toEqual(names(before.databases, 'name'));
    expect(names(after.modules, 'id')).toEqual(names(before.modules, 'id'));
    expect(after.attachedDomains.find((d) => d.domain === domain)).toMatchObject({ path: 'kept' });
    expect(names(after.attachedDomains, 'domain')).toEqual(names(before.attachedDomains, 'domain'));

    // An aborted run takes no more decisions.
    const [retry, abort] = await Promise.all([ovhflow('retry', id), ovhflow('abort', id, '--json')]);
    expect([retry.code, abort.code]).toEqual([2, 2]);
    expect(retry.stderr).toContain(`cannot retry: run ${id} is aborted, not waiting for an operator`);
    expect(abort.stderr).toContain(`cannot abort: run ${id} is aborted, not waiting for an operator`);
    expectRefusedStdout(abort);
  });

  it('a decision on an unknown run, or on a run that completed, is bad usage: exit 2 and why, nothing printed on stdout', async () => {
    const ovhflow = await ownWorker('cli-decide');
    const unknown = `provision-site/${SHOP}/${uniqueDomain('nobody')}`;
    const onUnknown = await Promise.all([
      ovhflow('retry', unknown),
      ovhflow('skip', unknown, '--json'),
      ovhflow('abort', unknown),
      ovhflow('confirm', unknown),
      ovhflow('status', unknown, '--watch', '--json'),
    ]);
    for (const run of onUnknown) {
      expect(run.code, run.stderr).toBe(2);
      expectRefusedStdout(run);
      expect(run.stderr).toBe(`ovhflow: no run with id "${unknown}"\n`);
    }

    const domain = uniqueDomain('cli-done');
    const provisioned = await ovhflow('provision', '--service', SHOP, '--domain', domain, '--no-database', '--ssl', 'none', '--wait', '--json');
    expect(provisioned.code, provisioned.stderr).toBe(0);
    const id = `provision-site/${SHOP}/${domain}`;
    expect(parsedJson(provisioned)).toMatchObject({ workflowId: id, status: 'completed', result: { domain: { name: domain } } });
    const decisions = ['retry', 'skip', 'abort'];
    const [confirm, ...onCompleted] = await Promise.all([ovhflow('confirm', id), ...decisions.map((decision) => ovhflow(decision, id))]);
    onCompleted.forEach((run, i) => {
      expect(run.code, `${decisions[i]}: ${run.stderr}`).toBe(2);
      expectRefusedStdout(run);
      expect(run.stderr).toBe(`ovhflow: cannot ${decisions[i]}: run ${id} is completed, not waiting for an operator\n`);
    });
    expect(confirm.code, confirm.stderr).toBe(2);
    expect(confirm.stdout).toBe('');
    expect(confirm.stderr).toBe(`ovhflow: cannot confirm: run ${id} is a provision run, and only a restore, a certificate replacement, a decommission, an FTP/SSH user deletion, or a Git repository replacement waits for a confirmation\n`);
    const status = await ovhflow('status', id, '--json');
    expect(status.code).toBe(0);
    expect(parsedJson(status)).toMatchObject({ status: 'completed' });
  });
});
