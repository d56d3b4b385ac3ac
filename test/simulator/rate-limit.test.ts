// Rate limiting per application key: a token bucket, 429 with Retry-After and OVH's gateway error body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type OfficialOvhClient, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
let client: OfficialOvhClient;

beforeAll(async () => {
  sim = await startTestSimulator({ rateLimit: { perSecond: 4, burst: 3 } });
  // Both clients learn the server time first (that call counts too), then the bucket refills.
  client = sim.ovhClient();
  await client.requestPromised('GET', '/hosting/web');
  await sim.call('GET', '/hosting/web');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
});
afterAll(async () => {
  await sim.stop();
});

describe('rate limiting', () => {
  it('lets a burst through, then answers 429 with Retry-After, then refills', async () => {
    for (let i = 0; i < 3; i += 1) expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
    const limited = await sim.call('GET', '/hosting/web');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toEqual({ errorCode: 'TOO_MANY_REQUESTS', httpCode: '429 Too Many Requests', message: 'Too many requests, please retry later' });
    expect(limited.headers['x-ovh-queryid']).toBeDefined();
    const rejected = (await client.requestPromised('GET', '/hosting/web').catch((error: unknown) => error)) as OvhRejection;
    expect(rejected).toEqual({ error: 429, message: 'Too many requests, please retry later' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
  });

  it('keeps one bucket per application key', async () => {
    const other = await sim.createApplication('second-app');
    const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }], { applicationKey: other.applicationKey });
    const asOther = { credentials: { applicationKey: other.applicationKey, applicationSecret: other.applicationSecret, consumerKey: minted.consumerKey } };
    while ((await sim.call('GET', '/hosting/web')).status === 200);
    expect((await sim.call('GET', '/hosting/web', asOther)).status).toBe(200);
  });

  it('is configured at run time, and off when set to null', async () => {
    await sim.config({ rateLimit: { perSecond: 0.5, burst: 1 } });
    await sim.reset();
    expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
    const limited = await sim.call('GET', '/hosting/web');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    await sim.config({ rateLimit: null });
    for (let i = 0; i < 20; i += 1) expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
  });
});
