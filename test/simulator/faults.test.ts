// Deterministic fault injection: HTTP errors, connection resets before or after the write, latency — a number of
// times or with a seeded probability — and tasks that end cancelled, stay stuck or run slow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const shop = '/hosting/web/demo-shop.ovh';
const newDatabase = (user: string) => ({ capabilitie: 'sqlPerso', user, password: 'Passw0rdOk', type: 'mysql' });

beforeAll(async () => {
  sim = await startTestSimulator();
});
beforeEach(async () => {
  await sim.reset();
  await sim.config({ taskDurationMs: { default: 40 } });
});
afterAll(async () => {
  await sim.stop();
});

const databaseNames = async () => ((await sim.state()).services['demo-shop.ovh']?.databases ?? []).map((database) => database.name);

describe('request faults', () => {
  it('answers an HTTP error a given number of times, without applying the call', async () => {
    await sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 503, times: 2 }]);
    const first = await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopf1') });
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body).toEqual({ class: 'Server::ServiceUnavailable', message: 'Service Unavailable (injected fault)' });
    expect((await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopf1') })).status).toBe(503);
    expect(await databaseNames()).toEqual(['demoshopdb1']);
    expect((await sim.call('GET', `${shop}/database`)).status).toBe(200);
    expect((await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopf1') })).status).toBe(200);
    expect(await databaseNames()).toEqual(['demoshopdb1', 'demoshopf1']);
    const faulted = (await sim.requests()).filter((r) => r.fault === 'status');
    expect(faulted.map((r) => r.status)).toEqual([503, 503]);
  });

  it('resets the connection before the call is applied', async () => {
    await sim.faults([{ method: 'POST', path: '/hosting/web/demo-shop.ovh/database', reset: 'before', times: 1 }]);
    const client = sim.ovhClient();
    const refused = (await client.requestPromised('POST', `${shop}/database`, newDatabase('demoshopf2')).catch((error: unknown) => error)) as OvhRejection;
    expect((refused.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(await databaseNames()).toEqual(['demoshopdb1']);
    expect((await sim.requests()).at(-1)).toMatchObject({ fault: 'reset-before', status: 0 });
  });

  it('resets the connection after the call is applied', async () => {
    await sim.faults([{ method: 'POST', path: '/hosting/web/demo-shop.ovh/database', reset: 'after', times: 1 }]);
    const client = sim.ovhClient();
    const refused = (await client.requestPromised('POST', `${shop}/database`, newDatabase('demoshopf3')).catch((error: unknown) => error)) as OvhRejection;
    expect((refused.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(await databaseNames()).toEqual(['demoshopdb1', 'demoshopf3']);
    const retry = await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopf3') });
    expect(retry.status).toBe(409);
  });

  it('adds latency', async () => {
    await sim.faults([{ path: '/hosting/web', latencyMs: 300 }]);
    const started = Date.now();
    expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const quick = Date.now();
    await sim.call('GET', '/hosting/web/demo-shop.ovh');
    expect(Date.now() - quick).toBeLessThan(250);
  });

  it('fires with a probability that is the same for the same seed', async () => {
    const pattern = async (seed: number) => {
      await sim.reset(seed);
      await sim.faults([{ method: 'GET', path: '/hosting/web/*', status: 500, probability: 0.5 }]);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i += 1) statuses.push((await sim.call('GET', '/hosting/web/demo-shop.ovh')).status);
      return statuses;
    };
    const first = await pattern(7);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern(7)).toEqual(first);
    expect(await pattern(8)).not.toEqual(first);
  });

  it('matches one segment per *, and ** for any depth', async () => {
    await sim.faults([{ path: '/hosting/web/*', status: 502 }]);
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh')).status).toBe(502);
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh/database')).status).toBe(200);
    await sim.clearFaults();
    await sim.faults([{ method: 'DELETE', path: '/hosting/web/**', status: 504 }]);
    expect((await sim.call('DELETE', `${shop}/database/demoshopdb1`)).status).toBe(504);
    expect((await sim.call('GET', `${shop}/database/demoshopdb1`)).status).toBe(200);
  });

  it('lists and clears the rules', async () => {
    const rules = await sim.faults([{ path: '/hosting/web', status: 500, times: 3 }, { taskFunction: 'module/install', outcome: 'stuck' }]);
    expect(rules).toEqual([
      { id: expect.any(Number), fired: 0, path: '/hosting/web', status: 500, times: 3 },
      { id: expect.any(Number), fired: 0, taskFunction: 'module/install', outcome: 'stuck' },
    ]);
    await sim.call('GET', '/hosting/web');
    expect((await sim.request('GET', '/_sim/faults')).body.rules[0].fired).toBe(1);
    await sim.clearFaults();
    expect((await sim.request('GET', '/_sim/faults')).body).toEqual({ rules: [] });
    expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
    const invalid = await sim.request('POST', '/_sim/faults', { rules: [{ path: '/hosting/web' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toContain('a request rule needs status, reset or latencyMs');
  });
});

describe('task faults', () => {
  it('ends a task cancelled, and the resource it was creating never appears', async () => {
    await sim.faults([{ taskFunction: 'database/create', outcome: 'cancelled', times: 1 }]);
    const cancelled = (await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopc1') })).body;
    expect((await sim.waitForTask('demo-shop.ovh', cancelled.id as number)).status).toBe('cancelled');
    expect((await sim.call('GET', `${shop}/database/demoshopc1`)).status).toBe(404);
    const retried = (await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopc1') })).body;
    expect((await sim.waitForTask('demo-shop.ovh', retried.id as number)).status).toBe('done');
  });

  it('a task rule with a serviceName touches only that hosting\'s tasks', async () => {
    await sim.faults([{ taskFunction: 'database/create', serviceName: 'another.example.net', outcome: 'cancelled', times: 1 }]);
    const mine = (await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopc2') })).body;
    expect((await sim.waitForTask('demo-shop.ovh', mine.id as number)).status).toBe('done');
    expect((await sim.request('GET', '/_sim/faults')).body.rules).toEqual([
      { id: expect.any(Number), fired: 0, taskFunction: 'database/create', serviceName: 'another.example.net', outcome: 'cancelled', times: 1 },
    ]);
    await sim.faults([{ taskFunction: 'database/create', serviceName: 'demo-shop.ovh', outcome: 'cancelled', times: 1 }]);
    const cancelled = (await sim.call('POST', `${shop}/database`, { body: newDatabase('demoshopc3') })).body;
    expect((await sim.waitForTask('demo-shop.ovh', cancelled.id as number)).status).toBe('cancelled');
  });

  it('leaves a stuck task doing forever, its resource still being created', async () => {
    await sim.faults([{ taskFunction: 'attachedDomain/create', outcome: 'stuck' }]);
    const stuck = (await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'stuck.example.org' } })).body;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await sim.call('GET', `${shop}/tasks/${stuck.id}`)).body.status).toBe('doing');
    expect((await sim.call('GET', `${shop}/attachedDomain/stuck.example.org`)).body).toMatchObject({ status: 'creating', taskId: stuck.id });
    expect((await sim.call('DELETE', `${shop}/attachedDomain/stuck.example.org`)).status).toBe(409);
  });

  it('runs a slow task ten times longer', async () => {
    await sim.config({ taskDurationMs: { 'dump/create': 50 } });
    await sim.faults([{ taskFunction: 'dump/create', outcome: 'slow', times: 1 }]);
    const slow = (await sim.call('POST', `${shop}/database/demoshopdb1/dump`, { body: { date: 'now' } })).body;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await sim.call('GET', `${shop}/tasks/${slow.id}`)).body.status).toBe('doing');
    const finished = await sim.waitForTask('demo-shop.ovh', slow.id as number);
    expect(Date.parse(finished.doneDate as string) - Date.parse(finished.startDate as string)).toBe(500);
  });
});
