// What the OVH client records, against the real simulator over HTTPS: each call by operation (never its path) and
// status, a 429 as a refused call with the Retry-After the client waited, and the time calls queued on the client's
// own rate limit. Inside an account's context (as activities run), calls carry that account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { registry } from '../../src/metrics/registry.js';
import { runInAccount } from '../../src/ovh/account-context.js';
import { OvhClient } from '../../src/ovh/client.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const logger = createLogger('silent');

function client(rateLimitPerSecond = 0): OvhClient {
  return new OvhClient({ endpoint: sim.url, ...sim.credentials, caFile: sim.caFile, timeoutMs: 5000, rateLimitPerSecond, logger });
}

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim?.stop();
});

describe('OVH client metrics', () => {
  it('count a 429 as refused, the Retry-After waited, and the retried call by operation and status', async () => {
    const ovh = client();
    await ovh.listServices(); // syncs the clock first
    const before = {
      refused: await value('ovhflow_ovh_refused_total', { account: 'billing', operation: 'getService' }),
      r429: await value('ovhflow_ovh_requests_total', { account: 'billing', operation: 'getService', status: '429' }),
      r200: await value('ovhflow_ovh_requests_total', { account: 'billing', operation: 'getService', status: '200' }),
      waited: await value('ovhflow_ovh_wait_seconds_total', { account: 'billing', reason: 'retry-after' }),
    };
    await sim.faults([{ method: 'GET', path: '/hosting/web/*', status: 429, times: 1 }]);
    const service = await runInAccount('billing', () => ovh.getService('demo-shop.ovh'));
    expect(service.serviceName).toBe('demo-shop.ovh');
    expect(await value('ovhflow_ovh_refused_total', { account: 'billing', operation: 'getService' })).toBe(before.refused + 1);
    expect(await value('ovhflow_ovh_requests_total', { account: 'billing', operation: 'getService', status: '429' })).toBe(before.r429 + 1);
    expect(await value('ovhflow_ovh_requests_total', { account: 'billing', operation: 'getService', status: '200' })).toBe(before.r200 + 1);
    // The simulator's injected 429 asks for 1 s.
    expect(await value('ovhflow_ovh_wait_seconds_total', { account: 'billing', reason: 'retry-after' })).toBeCloseTo(before.waited + 1, 5);
    const text = await registry.metrics();
    expect(text).not.toContain('demo-shop.ovh');
  });

  it("count the seconds calls queue on the client's rate limit", async () => {
    const ovh = client(2); // 2 per second, a burst of 2
    await ovh.listServices();
    const before = await value('ovhflow_ovh_wait_seconds_total', { account: 'default', reason: 'rate-limit' });
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => ovh.listServices()));
    const elapsed = (Date.now() - started) / 1000;
    const waited = (await value('ovhflow_ovh_wait_seconds_total', { account: 'default', reason: 'rate-limit' })) - before;
    // Five calls at 2/s: the first takes the burst's last token, the others queue 0.5, 1, 1.5 and 2 s (5 s in all).
    expect(elapsed).toBeGreaterThan(1.9);
    expect(waited).toBeGreaterThan(4);
    expect(waited).toBeLessThan(5 * elapsed);
  });
});
