// `ovhflow php set` and `ovhflow ls php`, as operators run them (the binary, against the suite's Temporal dev server,
// a worker of this file and the real simulator over HTTPS), and POST /v1/php-configs over HTTP. The simulator's
// request log and admin state show what really happened at "OVH": how many changes were sent, which configuration a
// folder has, whether a rollback was made.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phpConfigWorkflowId, type SetPhpConfigResult } from '../../src/shared/php-config.js';
import { parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import { startTestApi } from '../support/api.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
/** Perso offer: PHP up to 8.4, not 8.5. */
const AGENCY = 'demo-agency.ovh';
const POLL = { timeout: 60_000, interval: 250 };
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('PHP per folder: php set, ls php, POST /v1/php-configs', { timeout: 150_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let ownWorker: CliStack['ownWorker'];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-php');
    ({ stack, ownWorker } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
    await stack.sim.config({ taskDurationMs: { default: 60, 'ovhConfig/update': 60 } });
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const configChanges = async (serviceName: string) =>
    (await writesTo(stack.sim, serviceName)).filter((w) => /\/ovhConfig\/\d+\/(changeConfiguration|rollback)$/.test(w.path));
  const configAt = async (serviceName: string, path: string) => {
    const service = (await stack.sim.state()).services[serviceName]!;
    return service.ovhConfigs.find((config) => config.path === path && config.historical === false)!;
  };

  it('php set twice writes once: the second run finds the folder already on 8.3 and completes with nothing sent', async () => {
    const ovhflow = await ownWorker('cli-php-twice');
    expect(await configAt(SHOP, 'shop')).toMatchObject({ engineVersion: '8.1', environment: 'production' });
    const before = (await configChanges(SHOP)).length;

    const first = await ovhflow('php', 'set', '--service', SHOP, '--path', 'shop', '--version', '8.3', '--environment', 'development', '--wait', '--json');
    expect(first.code, first.stderr).toBe(0);
    const firstResult = parsedJson(first).result as SetPhpConfigResult;
    expect(firstResult).toMatchObject({ serviceName: SHOP, path: 'shop', changed: true, before: { engineVersion: '8.1', environment: 'production' }, after: { engineVersion: '8.3', environment: 'development' } });
    expect(firstResult.changes.map((c) => c.field).sort()).toEqual(['engineVersion', 'environment']);
    expect(await configAt(SHOP, 'shop')).toMatchObject({ engineVersion: '8.3', environment: 'development', status: 'created' });

    const second = await ovhflow('php', 'set', '--service', SHOP, '--path', 'shop', '--version', '8.3', '--environment', 'development', '--wait', '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(parsedJson(second)).toMatchObject({ status: 'completed', result: { changed: false, changes: [], after: { engineVersion: '8.3' } } });

    const sent = (await configChanges(SHOP)).slice(before);
    expect(sent.map((w) => w.path)).toEqual([expect.stringMatching(/^\/hosting\/web\/demo-shop\.ovh\/ovhConfig\/\d+\/changeConfiguration$/)]);
  });

  it('a version the hosting does not offer is refused before any write (exit 2, with what it offers); one OVH does not know is refused before anything starts; a folder without .ovhconfig needs an operator', async () => {
    const ovhflow = await ownWorker('cli-php-refused');
    const before = (await configChanges(AGENCY)).length;

    const refused = await ovhflow('php', 'set', '--service', AGENCY, '--version', '8.5', '--wait');
    expect(refused.code, `${refused.stdout}\n${refused.stderr}`).toBe(2);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/refused, nothing was changed: this hosting does not offer PHP 8\.5; it offers 7\.4, 8\.0, 8\.1, 8\.2, 8\.3, 8\.4/);

    const unknown = await ovhflow('php', 'set', '--service', AGENCY, '--version', '9.1');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*engineVersion.*"9\.1" is not allowed/);

    // A folder OVH has no .ovhconfig for: the run stops for an operator with what to do, nothing written.
    const missing = await ovhflow('php', 'set', '--service', AGENCY, '--path', 'nosuchsite', '--version', '8.3', '--wait', '--json');
    expect(missing.code).toBe(1);
    expect(parsedJson(missing)).toMatchObject({ status: 'needs-attention', attention: { step: 'preflight', failureType: 'OvhNotFound' } });
    expect(JSON.stringify(parsedJson(missing).attention)).toContain(`${AGENCY} has no .ovhconfig in nosuchsite`);
    const runId = parsedJson(missing).workflowId as string;
    expect((await ovhflow('abort', runId)).code).toBe(0);

    expect((await configChanges(AGENCY)).slice(before)).toEqual([]);
    expect(await configAt(AGENCY, '')).toMatchObject({ engineVersion: '8.2' });
  });

  it('a change whose answer was lost is adopted, and an aborted php set rolls the configuration OVH applied back', async () => {
    const ovhflow = await ownWorker('cli-php-abort');
    // Long enough to inject the next fault while the run waits for OVH's task.
    await stack.sim.config({ taskDurationMs: { 'ovhConfig/update': 3_000 } });
    // The change reaches OVH but its answer is lost: the retry must find the change on the configuration, not send it again.
    await stack.sim.faults([{ method: 'POST', path: `/hosting/web/${AGENCY}/ovhConfig/*/changeConfiguration`, reset: 'after', times: 1 }]);
    const requestId = `abort-${unique()}`;
    const id = phpConfigWorkflowId(AGENCY, '', requestId);
    const started = await ovhflow('php', 'set', '--service', AGENCY, '--version', '8.4', '--firewall', 'security', '--request-id', requestId);
    expect(started.code, started.stderr).toBe(0);
    await expect
      .poll(async () => (await stack.runs.describeRun(id)).progress?.steps.find((s) => s.name === 'apply')?.state, POLL)
      .toBe('waiting-for-ovh-task');
    // Once OVH's task is done, its check of the configuration is refused: the run stops for an operator.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${AGENCY}/ovhConfig/*`, status: 400, times: 1 }]);
    await expect.poll(async () => (await stack.runs.describeRun(id)).status, POLL).toBe('needs-attention');
    await stack.sim.clearFaults();
    expect(await configAt(AGENCY, '')).toMatchObject({ engineVersion: '8.4', httpFirewall: 'security' });

    const aborted = await ovhflow('abort', id);
    expect(aborted.code, aborted.stderr).toBe(0);
    const view = await outcomeOf(stack.runs, id, 60_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('aborted');
    expect(view.progress?.compensation?.undone).toEqual([expect.stringMatching(/^roll the \.ovhconfig of the home back to php 8\.2, production, firewall none/)]);

    expect(await configAt(AGENCY, '')).toMatchObject({ engineVersion: '8.2', httpFirewall: 'none', status: 'created' });
    const tasks = (await stack.sim.state()).services[AGENCY]!.tasks.map((task) => [task.function, task.status]);
    expect(tasks).toEqual([
      ['ovhConfig/update', 'done'],
      ['ovhConfig/rollback', 'done'],
    ]);
    // One change (its answer lost, then adopted), one rollback.
    const sent = (await configChanges(AGENCY)).map((w) => w.path.replace(/.*\/ovhConfig\/\d+\//, ''));
    expect(sent).toEqual(['changeConfiguration', 'rollback']);
  });

  it('ls php lists each folder of a hosting with its configuration', async () => {
    const ovhflow = await ownWorker('cli-php-ls');
    const listed = await ovhflow('ls', 'php', '--service', SHOP, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = parsedJson(listed) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.path)).toEqual(['', 'shop']);
    expect(rows[0]).toMatchObject({ serviceName: SHOP, engineName: 'php', engineVersion: '8.2', environment: 'production', httpFirewall: 'none', container: 'stable64', status: 'created' });

    const table = await ovhflow('ls', 'php', '--service', SHOP);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/engineVersion/);
    expect(table.stdout).toMatch(/│ shop +│ php +│ 8\.\d/);

    const noService = await ovhflow('ls', 'php');
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain("each folder's PHP is listed per service: give --service");
  });

  it('POST /v1/php-configs answers 202 and the run completes with the change; GET /v1/inventory/php shows it', async () => {
    const worker = await stack.startWorker();
    const api = await startTestApi(stack);
    try {
      const bad = await api.call('POST', '/v1/php-configs', { body: { serviceName: SHOP, path: 'shop' } });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('give at least one setting');

      const started = await api.call('POST', '/v1/php-configs', { body: { serviceName: SHOP, path: 'shop', engineVersion: '8.4', httpFirewall: 'security' } });
      expect(started.status, started.text).toBe(202);
      const workflowId = started.body.workflowId as string;
      expect(workflowId).toMatch(/^set-php-config\/demo-shop\.ovh\/shop\//);
      const view = await outcomeOf(stack.runs, workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      expect(view.result).toMatchObject({ changed: true, after: { engineVersion: '8.4', httpFirewall: 'security' } });

      const run = await api.call('GET', `/v1/runs/${encodeURIComponent(workflowId)}`);
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ type: 'php', status: 'completed' });

      const inventory = await api.call('GET', `/v1/inventory/php?service=${SHOP}`);
      expect(inventory.status, inventory.text).toBe(200);
      expect(JSON.stringify(inventory.body)).toContain('"engineVersion":"8.4"');
    } finally {
      await api.close();
      await worker.stop();
    }
  });
});
