// OVH's 429 says when to come back (Retry-After): a run waits at least that long before it asks again, whether the
// call was a read (retried inside the OVH client) or a write (retried by the activity's retry policy, told the delay).
// A real provisioning on the suite's dev server, against the simulator answering one 429 (with `Retry-After: 1`).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/index.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
/** What the simulator's injected 429 carries. */
const RETRY_AFTER_MS = 1000;

/** The call answered 429, and the next call of the same method and path after it. */
function limitedAndNext(requests: RecordedRequest[], method: string, path: string) {
  const same = (r: RecordedRequest) => r.method === method && r.path === path;
  const index = requests.findIndex((r) => same(r) && r.status === 429);
  expect(index, `no 429 for ${method} ${path}`).toBeGreaterThanOrEqual(0);
  const limited = requests[index] as RecordedRequest;
  const next = requests.slice(index + 1).find(same);
  expect(next, `${method} ${path} was never asked again`).toBeDefined();
  return { limited, next: next as RecordedRequest, waitedMs: Date.parse((next as RecordedRequest).at) - Date.parse(limited.at) };
}

describe('Retry-After', { timeout: 60_000 }, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('retry-after');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
  });

  it('a read answered 429 is asked again no sooner than Retry-After (the client would otherwise retry within 100 ms)', async () => {
    await stack.sim.faults([{ method: 'GET', path: '/hosting/web/*', status: 429, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: uniqueDomain('ra-read'), ssl: { mode: 'none' } }));
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
    const { next, waitedMs } = limitedAndNext(await stack.sim.requests(), 'GET', `/hosting/web/${SHOP}`);
    expect(next.status).toBe(200);
    expect(waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
  });

  it('a write answered 429 is sent again no sooner than Retry-After, the delay given to Temporal as the next retry delay', async () => {
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/attachedDomain', status: 429, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: uniqueDomain('ra-write'), ssl: { mode: 'none' } }));
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
    const requests = await stack.sim.requests();
    const { next, waitedMs } = limitedAndNext(requests, 'POST', `/hosting/web/${SHOP}/attachedDomain`);
    expect(next.status).toBe(200);
    expect(waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    expect(requests.filter((r) => r.method === 'POST' && r.path.endsWith('/attachedDomain') && r.status === 200)).toHaveLength(1);
    // The failed attempt told Temporal when to retry: OVH's delay, not the retry policy's own.
    const { events } = await stack.t.client.workflow.getHandle(ref.workflowId).fetchHistory();
    // (A retried attempt's start records the failure before it; the waits' "not yet" retries are left out.)
    const limited = (events ?? [])
      .map((event) => event.activityTaskStartedEventAttributes?.lastFailure?.applicationFailureInfo)
      .filter((info) => info?.type === 'OvhRateLimited');
    expect(limited).toHaveLength(1);
    expect(limited[0]?.nonRetryable).toBeFalsy();
    expect(Number(limited[0]?.nextRetryDelay?.seconds ?? 0)).toBe(RETRY_AFTER_MS / 1000);
  });
});
