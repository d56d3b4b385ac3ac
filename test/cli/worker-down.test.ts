// A run whose worker is gone: its progress query would wait for a worker that is not coming. `ovhflow status`, the
// HTTP API and the console's needs-attention queue answer anyway, within the query's deadline, with the status the
// run last said (its search attribute) and why its steps are unknown. Before the deadline, one such run made the
// console's home page hang past a browser's patience (CI saw every console test time out at login).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_QUERY_DEADLINE_MS } from '../../src/runs/service.js';
import { parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueDomain } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const POLL = { timeout: 60_000, interval: 250 };

describe('a run whose worker is down', { timeout: 150_000 }, () => {
  let cliStack: CliStack;
  let api: TestApi;

  beforeAll(async () => {
    cliStack = await startCliStack('worker-down');
    api = await startTestApi(cliStack.stack);
  });
  afterAll(async () => {
    await api?.close();
    await cliStack?.close();
  });

  it('status, the API and the console queue answer within the query deadline: needs-attention from the last word, steps unknown, said why', async () => {
    const { stack } = cliStack;
    const ovhflow = await cliStack.ownWorker('worker-down');
    const domain = uniqueDomain('worker-down');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400, times: 1 }]);
    const started = await ovhflow('provision', '--service', SHOP, '--domain', domain, '--module', 'wordpress', '--json');
    expect(started.code, started.stderr).toBe(0);
    const id = parsedJson(started).workflowId as string;
    await expect.poll(async () => (await stack.runs.describeRun(id)).status, POLL).toBe('needs-attention');
    await expect.poll(async () => (await stack.runs.describeRun(id)).progress?.attention?.step, POLL).toBe('createDatabase');

    await cliStack.stopWorkers(); // nothing polls the run's task queue any more

    const before = Date.now();
    const status = await ovhflow('status', id);
    expect(status.code, status.stderr).toBe(1); // needs attention, as when its worker answered
    expect(status.stdout).toMatch(new RegExp(`${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+NEEDS-ATTENTION`));
    expect(status.stdout, `${status.stdout}\n${status.stderr}`).toContain('steps unknown for now: ');
    expect(status.stdout).toContain('is a worker running?');

    const answer = await api.call('GET', `/v1/runs/${encodeURIComponent(id)}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ workflowId: id, status: 'needs-attention', progressUnavailable: expect.any(String) });
    expect(answer.body.steps).toBeUndefined();

    // The console's home page, logged in as a browser would be (a form post, then the session cookie).
    const login = await fetch(`${api.url}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: api.url },
      body: new URLSearchParams({ token: api.token, next: '/console' }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const pageStarted = Date.now();
    const home = await fetch(`${api.url}/console?service=${SHOP}&type=provision`, { headers: { Cookie: cookie } });
    const pageMs = Date.now() - pageStarted;
    const text = await home.text();
    expect(home.status).toBe(200);
    expect(text).toContain(`data-run="${id}"`);
    expect(text).toContain('details when a worker is back');
    // One deadline for the page however many runs of that queue it lists (with room for a busy machine).
    expect(pageMs).toBeLessThan(PROGRESS_QUERY_DEADLINE_MS * 3);
    expect(Date.now() - before).toBeLessThan(60_000);
  });
});
