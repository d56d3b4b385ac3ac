// `ovhflow cron add|update|delete` and `ovhflow ls crons`, as operators run them (the binary, against the suite's
// Temporal dev server, a worker of this file and the real simulator over HTTPS), and POST /v1/cron-jobs over HTTP.
// The simulator's request log and admin state show what really happened at "OVH": how many jobs were created,
// changed or deleted, and what each job is now.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCronJobActivities } from '../../src/activities/cron-jobs.js';
import { cronWorkflowId, type CronRunResult } from '../../src/shared/cron.js';
import { startTestApi } from '../support/api.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';

/** Pro offer: 50 jobs, PHP up to 8.5, Node.js, Python, Ruby. */
const SHOP = 'demo-shop.ovh';
/** Perso offer: 10 jobs, PHP up to 8.4. */
const AGENCY = 'demo-agency.ovh';
const POLL = { timeout: 60_000, interval: 250 };
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('cron jobs: cron add|update|delete, ls crons, POST /v1/cron-jobs', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let ownWorker: CliStack['ownWorker'];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-cron');
    ({ stack, ownWorker } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
    await stack.sim.clearFaults();
    await stack.sim.config({ taskDurationMs: { default: 60, 'cron/create': 60, 'cron/update': 60, 'cron/delete': 60 } });
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const cronWrites = async (serviceName: string) => (await writesTo(stack.sim, serviceName)).filter((w) => /\/cron(\/\d+)?$/.test(w.path));
  const jobsOf = async (serviceName: string) => (await stack.sim.state()).services[serviceName]!.crons;
  const jobRunning = async (serviceName: string, command: string) => (await jobsOf(serviceName)).filter((job) => job.command === command);

  it('add twice writes once: the second run finds the identical job and completes with nothing sent; OVH ignoring the minutes is said', async () => {
    const ovhflow = await ownWorker('cli-cron-twice');
    const command = `shop/cron/twice-${unique()}.php --quiet`;
    const before = (await cronWrites(SHOP)).length;

    const first = await ovhflow('cron', 'add', '--service', SHOP, '--command', command, '--frequency', '15 3 * * *', '--language', 'php8.5', '--wait', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('OVH ignores the minutes field ("15") and picks the minute itself');
    const result = parsedJson(first).result as CronRunResult;
    expect(result).toMatchObject({ serviceName: SHOP, action: 'add', command, changed: true, outcome: 'created', before: null, after: { command, frequency: '15 3 * * *', language: 'php8.5', status: 'enabled' } });
    expect(result.minutesNote).toMatch(/OVH ignores the minutes field/);
    expect(await jobRunning(SHOP, command)).toEqual([expect.objectContaining({ frequency: '15 3 * * *', language: 'php8.5', state: 'created', status: 'enabled' })]);

    // Same job, written with other spacing and a leading ./: the same command, nothing to do.
    const second = await ovhflow('cron', 'add', '--service', SHOP, '--command', `./${command.replace(' ', '  ')}`, '--frequency', '15  3 * * *', '--language', 'php8.5', '--wait', '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(parsedJson(second)).toMatchObject({ status: 'completed', result: { changed: false, outcome: 'unchanged' } });

    const sent = (await cronWrites(SHOP)).slice(before);
    expect(sent.map((w) => `${w.method} ${w.path}`)).toEqual([`POST /hosting/web/${SHOP}/cron`]);
  });

  it('add of a job that runs with other settings is refused (use update); update changes it with one PUT; update of a missing job is a clear error', async () => {
    const ovhflow = await ownWorker('cli-cron-update');
    const command = `shop/cron/update-${unique()}.php`;
    expect((await ovhflow('cron', 'add', '--service', SHOP, '--command', command, '--frequency', '0 3 * * *', '--language', 'php8.3', '--wait')).code).toBe(0);
    const before = (await cronWrites(SHOP)).length;

    const clash = await ovhflow('cron', 'add', '--service', SHOP, '--command', command, '--frequency', '0 4 * * *', '--wait');
    expect(clash.code, `${clash.stdout}\n${clash.stderr}`).toBe(2);
    expect(`${clash.stdout}${clash.stderr}`).toMatch(/refused, nothing was changed: a cron job already runs .* with other settings \(frequency 0 3 \* \* \*, asked 0 4 \* \* \*\).*use `ovhflow cron update`/);

    const updated = await ovhflow('cron', 'update', '--service', SHOP, '--command', command, '--frequency', '0 4 * * 1-5', '--status', 'disabled', '--description', 'weekdays', '--wait', '--json');
    expect(updated.code, updated.stderr).toBe(0);
    const result = parsedJson(updated).result as CronRunResult;
    expect(result).toMatchObject({ outcome: 'updated', changed: true, before: { frequency: '0 3 * * *', status: 'enabled' }, after: { frequency: '0 4 * * 1-5', status: 'disabled', description: 'weekdays', language: 'php8.3' } });
    expect(result.changes.map((c) => c.field).sort()).toEqual(['description', 'frequency', 'status']);
    expect(await jobRunning(SHOP, command)).toEqual([expect.objectContaining({ frequency: '0 4 * * 1-5', status: 'disabled', description: 'weekdays', state: 'created' })]);

    const again = await ovhflow('cron', 'update', '--service', SHOP, '--command', command, '--status', 'disabled', '--wait', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(parsedJson(again)).toMatchObject({ result: { changed: false, outcome: 'unchanged' } });

    const missing = await ovhflow('cron', 'update', '--service', SHOP, '--command', 'shop/cron/never-added.php', '--status', 'enabled', '--wait');
    expect(missing.code).toBe(2);
    expect(`${missing.stdout}${missing.stderr}`).toContain('no cron job runs "shop/cron/never-added.php" on demo-shop.ovh: there is nothing to update');

    const sent = (await cronWrites(SHOP)).slice(before);
    expect(sent.map((w) => w.method)).toEqual(['PUT']);
  });

  it('delete removes the job; deleting it again is a no-op that says so', async () => {
    const ovhflow = await ownWorker('cli-cron-delete');
    const command = `shop/cron/delete-${unique()}.php`;
    expect((await ovhflow('cron', 'add', '--service', SHOP, '--command', command, '--frequency', '0 1 * * *', '--wait')).code).toBe(0);
    const before = (await cronWrites(SHOP)).length;

    const deleted = await ovhflow('cron', 'delete', '--service', SHOP, '--command', command, '--wait', '--json');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(parsedJson(deleted)).toMatchObject({ result: { outcome: 'deleted', changed: true, before: { command, frequency: '0 1 * * *' }, after: null } });
    expect(await jobRunning(SHOP, command)).toEqual([]);

    const again = await ovhflow('cron', 'delete', '--service', SHOP, '--command', command, '--wait', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(parsedJson(again)).toMatchObject({ status: 'completed', result: { changed: false, outcome: 'unchanged', note: `no cron job runs "${command}" on ${SHOP}: nothing to delete` } });

    expect((await cronWrites(SHOP)).slice(before).map((w) => w.method)).toEqual(['DELETE']);
  });

  it('a malformed frequency, an unknown language or shell in the command is refused before anything starts; an offer without crontab, without room, or a language the hosting does not offer is refused before any write', async () => {
    const ovhflow = await ownWorker('cli-cron-refused');
    const before = (await writesTo(stack.sim, AGENCY)).length;
    for (const [frequency, message] of [
      ['0 3 * *', 'a frequency is 5 crontab fields'],
      ['61 3 * * *', '"61" is not a valid minutes field'],
      ['0 3 * * mon', '"mon" is not a valid day of week field'],
      ['@daily', 'a frequency is 5 crontab fields'],
    ] as const) {
      const bad = await ovhflow('cron', 'add', '--service', AGENCY, '--command', 'www/cron.php', '--frequency', frequency);
      expect(bad.code, frequency).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n/);
      expect(bad.stderr).toContain(message);
    }
    const language = await ovhflow('cron', 'add', '--service', AGENCY, '--command', 'www/cron.php', '--frequency', '0 3 * * *', '--language', 'php9.9');
    expect(language.code).toBe(2);
    expect(language.stderr).toMatch(/language.*"php9\.9" is not allowed/);
    const shell = await ovhflow('cron', 'add', '--service', AGENCY, '--command', 'www/cron.php; rm -rf www', '--frequency', '0 3 * * *');
    expect(shell.code).toBe(2);
    expect(shell.stderr).toContain('without shell operators');
    const outside = await ovhflow('cron', 'add', '--service', AGENCY, '--command', '../other/cron.php', '--frequency', '0 3 * * *');
    expect(outside.code).toBe(2);

    // PHP 8.5 is not offered on Perso: refused by the run, with what the hosting offers.
    const notOffered = await ovhflow('cron', 'add', '--service', AGENCY, '--command', 'www/cron.php', '--frequency', '0 3 * * *', '--language', 'php8.5', '--wait');
    expect(notOffered.code, `${notOffered.stdout}\n${notOffered.stderr}`).toBe(2);
    expect(`${notOffered.stdout}${notOffered.stderr}`).toMatch(/refused, nothing was changed: demo-agency\.ovh does not run cron jobs in php8\.5; it offers php7\.4, .*php8\.4/);
    expect((await writesTo(stack.sim, AGENCY)).slice(before)).toEqual([]);

    // A Start hosting has no crontab at all.
    const start = `cron-start-${unique()}.ovh`;
    await stack.sim.setService(start, { offer: 'START' });
    const noCrontab = await ovhflow('cron', 'add', '--service', start, '--command', 'www/cron.php', '--frequency', '0 3 * * *', '--wait');
    expect(noCrontab.code, `${noCrontab.stdout}\n${noCrontab.stderr}`).toBe(2);
    expect(`${noCrontab.stdout}${noCrontab.stderr}`).toContain(`the START offer of ${start} has no scheduled tasks (crontab)`);
    expect(await writesTo(stack.sim, start)).toEqual([]);

    // A Perso hosting holding its 10 jobs already: no room for an eleventh.
    const full = `cron-full-${unique()}.ovh`;
    await stack.sim.setService(full, { offer: 'PERSO' });
    for (let n = 0; n < 10; n++) await stack.ovh.createCron(full, { command: `www/job-${n}.php`, frequency: '0 3 * * *', language: 'php8.3' });
    const filled = (await writesTo(stack.sim, full)).length;
    const noRoom = await ovhflow('cron', 'add', '--service', full, '--command', 'www/job-10.php', '--frequency', '0 3 * * *', '--wait');
    expect(noRoom.code, `${noRoom.stdout}\n${noRoom.stderr}`).toBe(2);
    expect(`${noRoom.stdout}${noRoom.stderr}`).toContain(`${full} already has 10 cron jobs, the most its PERSO offer allows (10)`);
    expect((await writesTo(stack.sim, full)).length).toBe(filled);
  });

  it('a creation whose answer was lost is adopted, not made twice', async () => {
    const ovhflow = await ownWorker('cli-cron-lost');
    const command = `www/cron/lost-${unique()}.php`;
    const before = (await cronWrites(AGENCY)).length;
    // The creation reaches OVH but its answer is lost: the retry must find the job by its command, not add another.
    await stack.sim.faults([{ method: 'POST', path: `/hosting/web/${AGENCY}/cron`, reset: 'after', times: 1 }]);
    const added = await ovhflow('cron', 'add', '--service', AGENCY, '--command', command, '--frequency', '0 2 * * *', '--language', 'php8.2', '--wait', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(parsedJson(added)).toMatchObject({ status: 'completed', result: { outcome: 'created', note: expect.stringContaining('(created by an earlier attempt)') } });
    expect(await jobRunning(AGENCY, command)).toHaveLength(1);
    expect((await cronWrites(AGENCY)).slice(before).map((w) => w.method)).toEqual(['POST']);
  });

  it('aborting after the write undoes it: a created job is deleted, a changed one restored, a deleted one re-created', async () => {
    const ovhflow = await ownWorker('cli-cron-abort');
    const command = `www/cron/abort-${unique()}.php`;
    // Each write's task lasts long enough for the test to make the run's next read of the jobs fail (an operator is needed).
    await stack.sim.config({ taskDurationMs: { 'cron/create': 1_500, 'cron/update': 1_500, 'cron/delete': 1_500 } });
    const tasksBefore = (await stack.sim.state()).services[AGENCY]!.tasks.length;

    const created = await runStoppedAfterWrite(ovhflow, 'add', ['--command', command, '--frequency', '0 2 * * *', '--language', 'php8.2', '--email', 'ops@example.com'], 'POST');
    expect(created.progress?.compensation?.undone).toEqual([`delete the cron job running "${command}" this run created`]);
    expect(await jobRunning(AGENCY, command)).toEqual([]);

    await stack.sim.config({ taskDurationMs: { 'cron/create': 60 } });
    expect((await ovhflow('cron', 'add', '--service', AGENCY, '--command', command, '--frequency', '0 2 * * *', '--language', 'php8.2', '--email', 'ops@example.com', '--wait')).code).toBe(0);

    const changed = await runStoppedAfterWrite(ovhflow, 'update', ['--command', command, '--frequency', '0 5 * * *', '--status', 'disabled'], 'PUT');
    expect(changed.progress?.compensation?.undone).toEqual([`put the cron job running "${command}" back to "0 2 * * *", php8.2, enabled`]);
    expect(await jobRunning(AGENCY, command)).toEqual([expect.objectContaining({ frequency: '0 2 * * *', status: 'enabled', email: 'ops@example.com', state: 'created' })]);

    const deleted = await runStoppedAfterWrite(ovhflow, 'delete', ['--command', command], 'DELETE');
    expect(deleted.progress?.compensation?.undone).toEqual([`re-create the cron job running "${command}" at "0 2 * * *", php8.2, enabled`]);
    expect(await jobRunning(AGENCY, command)).toEqual([expect.objectContaining({ frequency: '0 2 * * *', language: 'php8.2', email: 'ops@example.com', status: 'enabled', state: 'created' })]);

    const tasks = (await stack.sim.state()).services[AGENCY]!.tasks.slice(tasksBefore).map((task) => [task.function, task.status]);
    expect(tasks).toEqual([
      ['cron/create', 'done'],
      ['cron/delete', 'done'],
      ['cron/create', 'done'],
      ['cron/update', 'done'],
      ['cron/update', 'done'],
      ['cron/delete', 'done'],
      ['cron/create', 'done'],
    ]);
  });

  /** Starts a run, and once its write reached OVH makes the job's next read fail (an operator is needed), then aborts. */
  async function runStoppedAfterWrite(ovhflow: Ovhflow, action: 'add' | 'update' | 'delete', flags: string[], method: 'POST' | 'PUT' | 'DELETE') {
    const requestId = `abort-${unique()}`;
    const id = cronWorkflowId(AGENCY, action, requestId);
    const writes = (await cronWrites(AGENCY)).length;
    const started = await ovhflow('cron', action, '--service', AGENCY, ...flags, '--request-id', requestId);
    expect(started.code, started.stderr).toBe(0);
    await expect.poll(async () => (await cronWrites(AGENCY)).slice(writes).map((w) => w.method), POLL).toEqual([method]);
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${AGENCY}/cron`, status: 400, times: 1 }]);
    await expect.poll(async () => (await stack.runs.describeRun(id)).status, POLL).toBe('needs-attention');
    await stack.sim.clearFaults();
    expect((await ovhflow('abort', id)).code).toBe(0);
    const view = await outcomeOf(stack.runs, id, 60_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('aborted');
    return view;
  }

  it('ls crons lists the jobs of a hosting by command', async () => {
    const ovhflow = await ownWorker('cli-cron-ls');
    const command = `shop/cron/ls-${unique()}.php`;
    expect((await ovhflow('cron', 'add', '--service', SHOP, '--command', command, '--frequency', '0 6 * * 0', '--language', 'python3', '--description', 'weekly report', '--wait')).code).toBe(0);

    const listed = await ovhflow('ls', 'crons', '--service', SHOP, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = parsedJson(listed) as Array<Record<string, unknown>>;
    expect(rows.find((row) => row.command === command)).toMatchObject({ serviceName: SHOP, frequency: '0 6 * * 0', language: 'python3', status: 'enabled', state: 'created', description: 'weekly report' });

    const table = await ovhflow('ls', 'crons', '--service', SHOP);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`│ ${command.replace(/[.]/g, '\\.')} +│ 0 6 \\* \\* 0 +│ python3`));

    const noService = await ovhflow('ls', 'crons');
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain('cron jobs are listed per service: give --service');
  });

  it('POST /v1/cron-jobs refuses a malformed frequency with a 400 and starts a run that adds the job; GET /v1/inventory/crons shows it', async () => {
    const worker = await stack.startWorker();
    const api = await startTestApi(stack);
    const command = `shop/cron/api-${unique()}.php`;
    try {
      const writes = (await cronWrites(SHOP)).length;
      const bad = await api.call('POST', '/v1/cron-jobs', { body: { serviceName: SHOP, action: 'add', command, frequency: '0 25 * * *' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_input', issues: [{ field: 'frequency', message: expect.stringContaining('"25" is not a valid hours field') }] });
      expect((await cronWrites(SHOP)).length).toBe(writes);

      const started = await api.call('POST', '/v1/cron-jobs', { body: { serviceName: SHOP, action: 'add', command, frequency: '30 */6 * * *' } });
      expect(started.status, started.text).toBe(202);
      const workflowId = started.body.workflowId as string;
      expect(workflowId).toMatch(/^cron\/demo-shop\.ovh\/add\//);
      const view = await outcomeOf(stack.runs, workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      // No language given: the newest PHP the hosting offers.
      expect(view.result).toMatchObject({ changed: true, after: { command, frequency: '30 */6 * * *', language: 'php8.5' } });
      expect(JSON.stringify(view.progress)).toContain('OVH ignores the minutes field (\\"30\\") and picks the minute itself');

      const run = await api.call('GET', `/v1/runs/${encodeURIComponent(workflowId)}`);
      expect(run.body).toMatchObject({ type: 'cron', status: 'completed' });

      const inventory = await api.call('GET', `/v1/inventory/crons?service=${SHOP}`);
      expect(inventory.status, inventory.text).toBe(200);
      expect(JSON.stringify(inventory.body)).toContain(`"command":"${command}"`);
    } finally {
      await api.close();
      await worker.stop();
    }
  });

  it("decommission's removal deletes the jobs whose script lives under a site's folder, and only those; a site at the home owns only the home's own scripts", async () => {
    const service = `cron-decom-${unique()}.ovh`;
    await stack.sim.setService(service, { offer: 'PRO' });
    for (const command of ['site-a/cron/one.php', 'site-a/two.php --all', 'site-ab/three.php', 'other/four.php', 'root.php']) {
      const task = await stack.ovh.createCron(service, { command, frequency: '0 3 * * *', language: 'php8.3' });
      await stack.sim.waitForTask(service, task.id);
    }
    const activities = createCronJobActivities({ ovh: stack.ovh });
    const removed = await activities.removeCronJobsUnderPath({ serviceName: service, path: 'site-a' });
    expect(removed.map((entry) => entry.command).sort()).toEqual(['site-a/cron/one.php', 'site-a/two.php --all']);
    for (const entry of removed) await stack.sim.waitForTask(service, entry.taskId!);
    expect((await jobsOf(service)).map((job) => job.command).sort()).toEqual(['other/four.php', 'root.php', 'site-ab/three.php']);
    // A site at the home itself owns only the scripts directly in the home, never the other folders'.
    const fromHome = await activities.removeCronJobsUnderPath({ serviceName: service, path: '.' });
    expect(fromHome.map((entry) => entry.command)).toEqual(['root.php']);
    for (const entry of fromHome) await stack.sim.waitForTask(service, entry.taskId!);
    expect((await jobsOf(service)).map((job) => job.command).sort()).toEqual(['other/four.php', 'site-ab/three.php']);
  });
});
