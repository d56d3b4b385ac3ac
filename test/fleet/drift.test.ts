// Drift on a schedule, as an operator sets it up: `ovhflow schedule drift` on an exported fleet file, triggered, then a
// site changed by hand through OVH's API, triggered again — the binary against the suite's Temporal dev server, a
// worker of this file (with a real webhook receiver) and the real simulator over HTTPS. The simulator's request log
// proves the checks write nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NotificationBody } from '../../src/notify/deliver.js';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { singleKeyring } from '../../src/codec/keyring.js';
import { upsertDriftSchedule, type LatestDrift } from '../../src/schedules/drift.js';
import { freePort } from '../../src/temporal/ports.js';
import { useApiWithWorker } from '../support/api.js';
import { expectRefusedStdout, parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import type { TestStack } from '../support/stack.js';
import { createTestWorker, uniqueTaskQueue } from '../support/temporal.js';
import { fleetDrift } from '../../src/workflows/fleet-drift.js';

const SHOP = 'demo-shop.ovh';
const SHOP_SITE = 'shop.example.com';
const SECRET = 'fleet-drift-test-secret-0000';

describe('drift on a schedule: ovhflow schedule drift, drift report, fleet.drift, POST /v1/schedules/drift', { timeout: 240_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;
  let workerQueue: string;
  let stopWorker: () => Promise<void>;
  let receiver: Server;
  const received: NotificationBody[] = [];
  const scheduleIds: string[] = [];
  const scheduleIdOf = (name: string) => {
    const id = `drift-${name}-${Date.now()}`;
    scheduleIds.push(id);
    return id;
  };

  beforeAll(async () => {
    cliStack = await startCliStack('fleet-drift');
    stack = cliStack.stack;
    const receiverPort = await freePort();
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(raw) as NotificationBody);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
    const taskQueue = uniqueTaskQueue('fleet-drift');
    workerQueue = taskQueue;
    const { worker, close } = await createTestWorker(stack.t, taskQueue, {
      ovh: stack.ovh,
      notify: { secret: SECRET, targets: [{ name: 'ops', url: `http://127.0.0.1:${receiverPort}/`, events: ['fleet.drift'], format: 'json' }] },
    });
    const running = worker.run();
    stopWorker = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    };
    ovhflow = (...args) => cliStack.cli.run(taskQueue, ...args);
  });

  afterAll(async () => {
    for (const id of scheduleIds) await stack?.t.client.schedule.getHandle(id).delete().catch(() => undefined);
    await stopWorker?.();
    await new Promise((resolve) => receiver?.close(resolve));
    await cliStack?.close();
  });

  const inCwd = (name: string) => join(cliStack.cli.cwd, name);
  const mark = async () => (await stack.sim.requests()).length;
  const writesSince = async (from: number) => (await stack.sim.requests()).slice(from).filter((r) => r.method !== 'GET');

  async function latest(scheduleId: string): Promise<LatestDrift> {
    const run = await ovhflow('drift', 'report', scheduleId, '--json');
    expect([0, 1], run.stderr).toContain(run.code);
    return parsedJson(run) as LatestDrift;
  }

  /** Triggers the schedule and waits for the report of a check newer than `previous`. */
  async function triggerAndWait(scheduleId: string, previous?: string): Promise<LatestDrift> {
    const triggered = await ovhflow('schedule', 'trigger', scheduleId);
    expect(triggered.code, triggered.stderr).toBe(0);
    let found: LatestDrift | undefined;
    await vi.waitFor(
      async () => {
        found = await latest(scheduleId);
        expect(found.running).toBeUndefined();
        expect(found.notCompleted).toEqual([]);
        expect(found.workflowId).toBeDefined();
        expect(found.workflowId).not.toBe(previous);
      },
      { timeout: 90_000, interval: 1000 },
    );
    return found as LatestDrift;
  }

  it('a hand-made change shows in the next report, exactly, with zero writes by the checks, and raises fleet.drift once', async () => {
    const exported = await ovhflow('fleet', 'export', '--out', 'fleet.yaml');
    expect(exported.code, exported.stderr).toBe(0);
    const scheduleId = scheduleIdOf('cdn');

    const created = await ovhflow('schedule', 'drift', 'fleet.yaml', '--id', scheduleId, '--cron', '0 6 * * *', '--json');
    expect(created.code, created.stderr).toBe(0);
    expect(parsedJson(created)).toMatchObject({ scheduleId, kind: 'fleet-drift', created: true, paused: false, cron: '0 6 * * *', timezone: 'UTC', source: 'fleet.yaml', accounts: ['default'] });
    // The same command again updates the schedule, never a second one.
    const again = await ovhflow('schedule', 'drift', 'fleet.yaml', '--id', scheduleId);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^updated: ${scheduleId}  active  0 6 \\* \\* \\* \\(UTC\\)`));
    // The file travels in the schedule's action, encrypted like every payload: Temporal stores no readable copy.
    const raw = await stack.t.client.workflowService.describeSchedule({ namespace: stack.t.namespace, scheduleId });
    expect(Buffer.from(JSON.stringify(raw.schedule?.action)).toString()).not.toContain(SHOP_SITE);

    const none = await latest(scheduleId);
    expect(none.report).toBeUndefined();
    const nothingYet = await ovhflow('drift', 'report', scheduleId);
    expect(nothingYet.code).toBe(1);
    expect(nothingYet.stdout).toContain(`no completed drift check yet for ${scheduleId}`);

    const before = await mark();
    const first = await triggerAndWait(scheduleId);
    expect(first.report?.summary).toEqual({ create: 0, change: 0, blocked: 0, unmanaged: 0 });
    expect(first.report).toMatchObject({ sites: [], services: [], failures: [], source: 'fleet.yaml' });
    expect(first.report?.declaredSites).toBeGreaterThan(0);
    expect(await writesSince(before)).toEqual([]);

    // Someone turns the CDN on by hand (the Control Panel, a script): OVH's API, outside ovhflow.
    await stack.ovh.updateAttachedDomain(SHOP, SHOP_SITE, { cdn: 'active' });
    await vi.waitFor(async () => {
      const domain = await stack.ovh.getAttachedDomain(SHOP, SHOP_SITE);
      expect(domain).toMatchObject({ cdn: 'active', status: 'created' });
    }, { timeout: 30_000, interval: 200 });

    const afterChange = await mark();
    const second = await triggerAndWait(scheduleId, first.workflowId);
    expect(second.report?.summary).toEqual({ create: 0, change: 1, blocked: 0, unmanaged: 0 });
    expect(second.report?.sites).toEqual([
      expect.objectContaining({
        account: 'default',
        serviceName: SHOP,
        domain: SHOP_SITE,
        action: 'change',
        resources: [{ kind: 'site', key: SHOP_SITE, action: 'change', changes: [{ field: 'cdn', from: 'active', to: 'none' }], runKind: 'update-domain' }],
      }),
    ]);
    expect(second.report?.services).toEqual([]);
    expect(await writesSince(afterChange)).toEqual([]);

    const human = await ovhflow('drift', 'report', scheduleId);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`drift report of ${scheduleId} (fleet.yaml), checked `);
    expect(human.stdout).toContain('1 to change on 1 site(s)');
    expect(human.stdout).toMatch(/~ site shop\.example\.com: change {2}\[update-domain\]\n\s+cdn: active → none/);

    // One notification, for the check that found something; the quiet check raised none.
    await vi.waitFor(() => expect(received.filter((n) => n.runId === second.workflowId)).toHaveLength(1), { timeout: 60_000, interval: 200 });
    const notification = received.find((n) => n.runId === second.workflowId) as NotificationBody;
    expect(notification).toMatchObject({ event: 'fleet.drift', kind: 'fleet-drift', account: 'default' });
    expect(notification.message).toContain('1 to change on 1 site(s)');
    expect(notification.details).toMatchObject({ summary: { change: 1 }, sites: [{ domain: SHOP_SITE, action: 'change' }] });
    expect(received.filter((n) => n.runId === first.workflowId)).toEqual([]);

    const listed = await ovhflow('schedule', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(parsedJson(listed)).toContainEqual(expect.objectContaining({ scheduleId, kind: 'fleet-drift', sites: first.report?.declaredSites }));
    const described = await ovhflow('schedule', 'describe', scheduleId);
    expect(described.stdout).toContain('fleet drift check of fleet.yaml');

    await stack.ovh.updateAttachedDomain(SHOP, SHOP_SITE, { cdn: 'none' });
    await vi.waitFor(async () => expect(await stack.ovh.getAttachedDomain(SHOP, SHOP_SITE)).toMatchObject({ cdn: 'none', status: 'created' }), { timeout: 30_000, interval: 200 });
  });

  it('a bad file, cron or account is refused with exit 2 and no schedule; an unknown or non-drift schedule has no report', async () => {
    const doc = { version: 1, accounts: { default: { services: { [SHOP]: { users: [{ login: 'demoshop-x', home: 'x', password: 'PlainHunter22' }] } } } } };
    writeFileSync(inCwd('secret.yaml'), yaml.dump(doc));
    const scheduleId = scheduleIdOf('refused');
    const secret = await ovhflow('schedule', 'drift', 'secret.yaml', '--id', scheduleId);
    expect(secret.code).toBe(2);
    expectRefusedStdout(secret);
    expect(secret.stderr).toMatch(/invalid fleet file, nothing was changed:[\s\S]*users\[0\]\.password: a plaintext secret is not allowed/);
    expect(secret.stderr).not.toContain('PlainHunter22');

    writeFileSync(inCwd('other.yaml'), yaml.dump({ version: 1, accounts: { 'customer-b': { services: { [SHOP]: {} } } } }));
    const account = await ovhflow('schedule', 'drift', 'other.yaml', '--id', scheduleId);
    expect(account.code).toBe(2);
    expect(account.stderr).toContain('no OVH account named "customer-b"');

    writeFileSync(inCwd('ok.yaml'), readFileSync(inCwd('fleet.yaml'), 'utf8'));
    const cron = await ovhflow('schedule', 'drift', 'ok.yaml', '--id', scheduleId, '--cron', 'every morning');
    expect(cron.code).toBe(2);
    expect(cron.stderr).toContain('--cron:');

    const listed = parsedJson(await ovhflow('schedule', 'list', '--json')) as Array<{ scheduleId: string }>;
    expect(listed.map((s) => s.scheduleId)).not.toContain(scheduleId);

    // A drift schedule made with an encryption key this process lacks (another deployment's, a retired key's) does not
    // break the listing: it is listed with why its settings are not shown. (Deleted after: the files share a namespace.)
    const unreadableId = scheduleIdOf('other-key');
    const otherKey = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace, dataConverter: encryptedDataConverter(singleKeyring(randomBytes(32))) });
    await upsertDriftSchedule(otherKey, { scheduleId: unreadableId, file: { version: 1, accounts: {} }, taskQueue: stack.taskQueue });
    try {
      const text = await vi.waitFor(async () => {
        const result = await ovhflow('schedule', 'list');
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(unreadableId);
        return result.stdout;
      }, { timeout: 30_000, interval: 500 });
      const block = text.split('\n\n').find((b) => b.startsWith(unreadableId)) ?? '';
      expect(block).toContain('its settings cannot be read here: payload encrypted with key');
    } finally {
      await stack.t.client.schedule.getHandle(unreadableId).delete();
    }

    const unknown = await ovhflow('drift', 'report', 'no-such-schedule');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no schedule with id "no-such-schedule"');
    const nightlyId = scheduleIdOf('nightly');
    expect((await ovhflow('schedule', 'nightly-dumps', '--id', nightlyId)).code).toBe(0);
    const notDrift = await ovhflow('drift', 'report', nightlyId);
    expect(notDrift.code).toBe(2);
    expect(notDrift.stderr).toContain(`schedule "${nightlyId}" is not a drift schedule`);
  });

  it("reads each account of the file in that account: one the workers lack is reported unreadable, never read as another's", async () => {
    const file = {
      version: 1 as const,
      accounts: {
        default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn: 'active' as const }] } } },
        ghost: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop' }] } } },
      },
    };
    const before = await mark();
    const report = await stack.t.client.workflow.execute(fleetDrift, { taskQueue: workerQueue, workflowId: `test-fleet-drift/${randomUUID()}`, args: [{ file }] });
    expect(report.sites.map((s) => [s.account, s.domain, s.action])).toContainEqual(['default', SHOP_SITE, 'change']);
    expect(report.sites.some((s) => s.account === 'ghost')).toBe(false);
    expect(report.failures).toEqual([{ account: 'ghost', serviceName: SHOP, message: expect.stringContaining('ghost') }]);
    expect(await writesSince(before)).toEqual([]);
  });

  describe('over HTTP', () => {
    const api = useApiWithWorker(() => stack);

    it('POST /v1/schedules/drift creates the schedule from a YAML file, GET /v1/drift/latest answers its report; a bad file is a 400', async () => {
      const scheduleId = scheduleIdOf('http');
      const file = yaml.dump({ version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn: 'active' }] } } } } });
      const created = await api.call('POST', '/v1/schedules/drift', { body: { scheduleId, file, source: 'fleets/shop.yaml' } });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({ scheduleId, kind: 'fleet-drift', created: true, cron: '0 6 * * *', source: 'fleets/shop.yaml', sites: 1 });

      const empty = await api.call('GET', `/v1/drift/latest?scheduleId=${scheduleId}`);
      expect(empty.status, empty.text).toBe(200);
      expect(empty.body).toEqual({ scheduleId, notCompleted: [] });

      const before = await mark();
      expect((await api.call('POST', `/v1/schedules/${scheduleId}/trigger`)).status).toBe(200);
      let answer: LatestDrift | undefined;
      await vi.waitFor(
        async () => {
          const got = await api.call('GET', `/v1/drift/latest?scheduleId=${scheduleId}`);
          expect(got.status).toBe(200);
          answer = got.body as LatestDrift;
          expect(answer.report).toBeDefined();
        },
        { timeout: 90_000, interval: 1000 },
      );
      // The file declares one site with the CDN on; the rest of the service is unmanaged, never a removal.
      expect(answer?.report?.sites.find((s) => s.domain === SHOP_SITE)?.resources).toContainEqual({
        kind: 'site', key: SHOP_SITE, action: 'change', changes: [{ field: 'cdn', from: 'none', to: 'active' }], runKind: 'update-domain',
      });
      expect(answer?.report?.summary.change).toBe(1);
      expect(await writesSince(before)).toEqual([]);

      const bad = await api.call('POST', '/v1/schedules/drift', { body: { scheduleId: scheduleIdOf('http-bad'), file: { version: 1, accounts: { default: { services: { [SHOP]: { users: [{ login: 'demoshop-x', home: 'x', password: 'PlainHunter22' }] } } } } } } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_input', issues: [{ field: expect.stringContaining('users[0].password'), message: expect.stringContaining('a plaintext secret is not allowed') }] });
      expect(bad.text).not.toContain('PlainHunter22');
      expect((await api.call('GET', '/v1/drift/latest?scheduleId=no-such-schedule')).status).toBe(404);
    });
  });
});
