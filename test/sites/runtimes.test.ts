// `ovhflow ls runtimes` and GET /v1/inventory/runtimes: each runtime of a hosting (PHP-FPM, Node.js, Python, Ruby)
// and the attached domains that use it, read through the worker from the real simulator over HTTPS. A domain without
// a `runtimeId` runs on the hosting's default runtime.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.js';
import { parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import type { TestStack } from '../support/stack.js';

/** Pro offer: a default PHP-FPM runtime (902) used by shop.example.com, and a Node.js one (903) no domain uses yet. */
const SHOP = 'demo-shop.ovh';
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('runtimes: ls runtimes, GET /v1/inventory/runtimes', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;

  beforeAll(async () => {
    cliStack = await startCliStack('cli-runtimes');
    ({ stack } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  it('ls runtimes shows each runtime of a hosting and the attached domains that use it', async () => {
    const ovhflow = await cliStack.ownWorker('cli-runtimes-ls');
    // A site on the Node.js runtime, and a new Python runtime for another site, made at "OVH" directly.
    const api = `api-${unique()}.example.com`;
    const worker = `worker-${unique()}.example.com`;
    const client = stack.sim.ovhClient();
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain: api, path: 'api', ssl: false, runtimeId: 903, bypassDNSConfiguration: true })).id);
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain: worker, path: 'worker', ssl: false, bypassDNSConfiguration: true })).id);
    const created = (await client.requestPromised('POST', `/hosting/web/${SHOP}/runtime`, { name: 'jobs', type: 'python-3', attachedDomains: [worker], appBootstrap: 'main.py' })) as { id: number; objectId: string };
    await stack.sim.waitForTask(SHOP, created.id);
    const python = Number(created.objectId);

    const listed = await ovhflow('ls', 'runtimes', '--service', SHOP, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const rows = parsedJson(listed) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.id)).toEqual([902, 903, python]);
    expect(rows[0]).toMatchObject({ serviceName: SHOP, type: 'phpfpm-8.0', isDefault: true, status: 'created' });
    // The default runtime serves every domain that names none (the shop, the new worker site before its runtime).
    expect(String(rows[0]!.attachedDomains).split(', ')).toContain('shop.example.com');
    expect(String(rows[0]!.attachedDomains)).not.toContain(api);
    expect(rows[1]).toMatchObject({ name: 'api', type: 'nodejs-14', isDefault: false, appBootstrap: 'app.js', publicDir: 'public', attachedDomains: api });
    expect(rows[2]).toMatchObject({ name: 'jobs', type: 'python-3', isDefault: false, appBootstrap: 'main.py', attachedDomains: worker });

    const table = await ovhflow('ls', 'runtimes', '--service', SHOP);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/│ 903 +│ api +│ nodejs-14/);
    expect(table.stdout).toContain(api);

    const noService = await ovhflow('ls', 'runtimes');
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain('runtimes are listed per service: give --service');
  });

  it('GET /v1/inventory/runtimes answers the same rows, one page at a time', async () => {
    const worker = await stack.startWorker();
    const api = await startTestApi(stack);
    try {
      const page = await api.call('GET', `/v1/inventory/runtimes?service=${SHOP}&limit=1`);
      expect(page.status, page.text).toBe(200);
      expect(page.body).toMatchObject({ kind: 'runtimes', items: [{ serviceName: SHOP, id: 902, isDefault: true }], limit: 1 });
      expect(page.body.next).toMatch(/offset=1/);
      const missing = await api.call('GET', '/v1/inventory/runtimes');
      expect(missing.status).toBe(400);
    } finally {
      await api.close();
      await worker.stop();
    }
  });
});
