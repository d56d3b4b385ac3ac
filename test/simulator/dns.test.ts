// DNS as the simulator models it: the account's zones under /domain/zone (records change the zone, a refresh
// publishes it), a resolver that answers from published zones or from what the admin API says about domains hosted
// elsewhere, digStatus and the ownership token, OVH's automatic DNS configuration on attach, and Let's Encrypt,
// which only covers the domains that point at the hosting.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type Json, type OfficialOvhClient, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
let client: OfficialOvhClient;
const agency = '/hosting/web/demo-agency.ovh';
const shop = '/hosting/web/demo-shop.ovh';

beforeAll(async () => {
  sim = await startTestSimulator({ taskDurationMs: { default: 20 } });
  client = sim.ovhClient();
});
beforeEach(async () => {
  await sim.reset();
  await sim.config({ taskDurationMs: { default: 20 }, dnsPropagationMs: 0, unmodelledDomainsPointAtHosting: true });
});
afterAll(async () => {
  await sim.stop();
});

async function rejection(promise: Promise<unknown>): Promise<OvhRejection> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: OvhRejection) => error,
  );
}

async function attach(service: string, body: Record<string, unknown>): Promise<void> {
  const task = (await client.requestPromised('POST', `/hosting/web/${service}/attachedDomain`, body)) as Record<string, Json>;
  expect((await sim.waitForTask(service, task.id as number)).status).toBe('done');
}

const resolved = async (name: string) => (await sim.admin('GET', `/dns/${name}`)) as { a: string[]; aaaa: string[]; txt: string[]; source: string };

describe('zones of the account', () => {
  it('lists the demo zone and its records, filtered by type and sub-domain', async () => {
    expect(await client.requestPromised('GET', '/domain/zone')).toEqual(['example.com']);
    const zone = await client.requestPromised('GET', '/domain/zone/example.com');
    expect(zone).toMatchObject({ name: 'example.com', nameServers: ['dns200.ovh.net', 'ns200.ovh.net'], iam: { urn: 'urn:v1:eu:resource:dnsZone:example.com' } });
    const mx = (await client.requestPromised('GET', '/domain/zone/example.com/record', { fieldType: 'MX' })) as number[];
    expect(mx).toHaveLength(2);
    const www = (await client.requestPromised('GET', '/domain/zone/example.com/record', { subDomain: 'www' })) as number[];
    expect(await client.requestPromised('GET', `/domain/zone/example.com/record/${www[0]}`)).toEqual({
      id: www[0],
      zone: 'example.com',
      fieldType: 'CNAME',
      subDomain: 'www',
      target: 'example.com.',
      ttl: 0,
    });
  });

  it('publishes record changes only on refresh', async () => {
    const record = (await client.requestPromised('POST', '/domain/zone/example.com/record', { fieldType: 'A', subDomain: 'Blog', target: '192.0.2.31' })) as Record<string, Json>;
    expect(record).toMatchObject({ fieldType: 'A', subDomain: 'blog', target: '192.0.2.31', ttl: 0, zone: 'example.com' });
    expect((await resolved('blog.example.com')).a).toEqual([]);
    expect(await client.requestPromised('POST', '/domain/zone/example.com/refresh')).toBeNull();
    expect(await resolved('blog.example.com')).toMatchObject({ a: ['192.0.2.31'], source: 'zone' });

    expect(await client.requestPromised('PUT', `/domain/zone/example.com/record/${record.id}`, { target: '192.0.2.28' })).toBeNull();
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');
    expect((await resolved('blog.example.com')).a).toEqual(['192.0.2.28']);
    expect(await client.requestPromised('DELETE', `/domain/zone/example.com/record/${record.id}`)).toBeNull();
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');
    expect((await resolved('blog.example.com')).a).toEqual([]);
    expect(await rejection(client.requestPromised('GET', `/domain/zone/example.com/record/${record.id}`))).toEqual({
      error: 404,
      message: `The requested object (id = ${record.id}) does not exist`,
    });
  });

  it('reaches the resolver only after the configured propagation delay, and follows CNAMEs', async () => {
    await sim.config({ dnsPropagationMs: 300 });
    await client.requestPromised('POST', '/domain/zone/example.com/record', { fieldType: 'CNAME', subDomain: 'news', target: 'shop.example.com.' });
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');
    expect((await resolved('news.example.com')).a).toEqual([]);
    await expect.poll(async () => (await resolved('news.example.com')).a, { timeout: 3_000, interval: 50 }).toEqual(['192.0.2.28']);
    expect((await resolved('www.example.com')).a).toEqual(['203.0.113.80']);
  });

  it('refuses invalid targets, a CNAME beside other records, duplicates and a TTL under 60 s', async () => {
    const post = (body: Record<string, unknown>) => sim.call('POST', '/domain/zone/example.com/record', { body });
    expect((await post({ fieldType: 'A', subDomain: 'x', target: '2001:db8::1' })).body).toEqual({
      class: 'Client::BadRequest',
      message: '[target] Invalid target for a A record: 2001:db8::1',
    });
    expect((await post({ fieldType: 'AAAA', subDomain: 'x', target: '192.0.2.1' })).status).toBe(400);
    expect((await post({ fieldType: 'CNAME', subDomain: 'shop', target: 'elsewhere.example.org.' })).body.message).toBe(
      '[subDomain] A CNAME record cannot coexist with other records on shop',
    );
    const duplicate = await post({ fieldType: 'A', subDomain: 'shop', target: '192.0.2.28' });
    expect(duplicate.status).toBe(409);
    expect((await post({ fieldType: 'A', subDomain: 'x', target: '192.0.2.1', ttl: 30 })).body.message).toMatch(/^\[ttl\]/);
    expect((await post({ fieldType: 'BOGUS', subDomain: 'x', target: 'y' })).body.message).toBe(
      '[fieldType] Given data (BOGUS) does not belong to the domain.zone.RecordTypeEnum enumeration',
    );
    expect((await post({ subDomain: 'x', target: '192.0.2.1' })).body.message).toBe('[fieldType] Missing parameter');
  });

  it('does not show a zone of another account', async () => {
    await sim.admin('POST', '/zones/other-customer.example', { account: 'zz9999-ovh' });
    expect(await client.requestPromised('GET', '/domain/zone')).toEqual(['example.com']);
    expect(await rejection(client.requestPromised('GET', '/domain/zone/other-customer.example'))).toEqual({ error: 404, message: 'This service does not exist' });
  });
});

describe('digStatus and the ownership token', () => {
  it('reports the recommended IPs and each address the domain resolves to', async () => {
    expect(await client.requestPromised('GET', `${shop}/attachedDomain/shop.example.com/digStatus`)).toEqual({
      domain: 'shop.example.com',
      recommendedIps: { recommendedIpV4: ['192.0.2.28'], recommendedIpV6: ['2001:db8::28'] },
      records: {
        '192.0.2.28': { type: 'A', dnsConfigured: true, isOvhIp: true },
        '2001:db8::28': { type: 'AAAA', dnsConfigured: true, isOvhIp: true },
      },
    });
    await sim.admin('PUT', '/dns/shop.example.com', { a: ['203.0.113.7'] });
    expect((await client.requestPromised('GET', `${shop}/attachedDomain/shop.example.com/digStatus`)).records).toEqual({
      '203.0.113.7': { type: 'A', dnsConfigured: false, isOvhIp: false },
    });
  });

  it('gives a stable token per hosting, also shown on the service', async () => {
    const token = (await client.requestPromised('GET', `${agency}/token`)) as string;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect((await client.requestPromised('GET', agency)).token).toBe(token);
    expect(await client.requestPromised('GET', `${shop}/token`)).not.toBe(token);
  });

  it("points a new sub-domain of the account's zone at the hosting when it is attached", async () => {
    await attach('demo-agency.ovh', { domain: 'blog.example.com', path: 'blog', ssl: true });
    expect(await resolved('blog.example.com')).toMatchObject({ a: ['192.0.2.31'], aaaa: ['2001:db8::31'], source: 'zone' });
    const ids = (await client.requestPromised('GET', '/domain/zone/example.com/record', { subDomain: 'blog' })) as number[];
    expect(ids).toHaveLength(2);
    const digStatus = (await client.requestPromised('GET', `${agency}/attachedDomain/blog.example.com/digStatus`)) as Record<string, Json>;
    expect(Object.values(digStatus.records).every((record) => (record as Record<string, Json>).dnsConfigured === true)).toBe(true);
  });

  it('leaves the zone alone with bypassDNSConfiguration, and then Let\'s Encrypt cannot validate the domain', async () => {
    await attach('demo-agency.ovh', { domain: 'blog.example.com', path: 'blog', ssl: true, bypassDNSConfiguration: true });
    expect(await client.requestPromised('GET', '/domain/zone/example.com/record', { subDomain: 'blog' })).toEqual([]);
    expect((await client.requestPromised('GET', `${agency}/attachedDomain/blog.example.com/digStatus`)).records).toEqual({});
    const ssl = (await client.requestPromised('POST', `${agency}/ssl`)) as Record<string, Json>;
    expect(ssl.status).toBe('creating');
    expect((await sim.waitForTask('demo-agency.ovh', ssl.taskId as number)).status).toBe('cancelled');
    expect(await rejection(client.requestPromised('GET', `${agency}/ssl`))).toMatchObject({ error: 404 });
  });

  it('points the domain at the CDN, or at its country, when those options change', async () => {
    await attach('demo-agency.ovh', { domain: 'blog.example.com', path: 'blog' });
    await sim.config({ taskDurationMs: { 'attachedDomain/update': 400 } });
    await client.requestPromised('PUT', `${agency}/attachedDomain/blog.example.com`, { cdn: 'active' });
    const updating = (await client.requestPromised('GET', `${agency}/attachedDomain/blog.example.com`)) as Record<string, Json>;
    expect(updating).toMatchObject({ status: 'updating', cdn: 'none' });
    await sim.waitForTask('demo-agency.ovh', updating.taskId as number);
    expect(await client.requestPromised('GET', `${agency}/attachedDomain/blog.example.com`)).toMatchObject({ status: 'created', cdn: 'active', taskId: null });
    const cdn = (await client.requestPromised('GET', `${agency}/attachedDomain/blog.example.com/digStatus`)) as Record<string, Json>;
    expect((await resolved('blog.example.com')).a).toEqual(cdn.recommendedIps.recommendedIpV4);
    expect(cdn.recommendedIps.recommendedIpV4).not.toEqual(['192.0.2.31']);
  });
});

describe('domains whose DNS is elsewhere', () => {
  it('need the token in an ovhcontrol TXT record before they can be attached', async () => {
    await sim.admin('PUT', '/dns/www.customer.example', { a: ['203.0.113.9'] });
    const refused = await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'www.customer.example' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'The domain www.customer.example is not managed by your account: create the TXT record ovhcontrol.www.customer.example with the token of the hosting (GET /hosting/web/demo-agency.ovh/token), then retry',
    );
    const token = (await client.requestPromised('GET', `${agency}/token`)) as string;
    await sim.admin('PUT', '/dns/ovhcontrol.customer.example', { txt: [token] });
    await attach('demo-agency.ovh', { domain: 'www.customer.example', ssl: true });
  });

  it('are covered by Let\'s Encrypt only once they point at the hosting, which the admin API can delay', async () => {
    const token = (await client.requestPromised('GET', `${shop}/token`)) as string;
    await sim.admin('PUT', '/dns/ovhcontrol.customer.example', { txt: [token] });
    await sim.admin('PUT', '/dns/www.customer.example', { a: ['203.0.113.9'] });
    await attach('demo-shop.ovh', { domain: 'www.customer.example', path: 'customer', ssl: true });

    // shop.example.com points at the hosting, www.customer.example does not: the certificate covers the first only.
    const regenerated = (await client.requestPromised('POST', `${shop}/ssl/regenerate`)) as Record<string, Json>;
    expect((await sim.waitForTask('demo-shop.ovh', regenerated.taskId as number)).status).toBe('done');
    expect(await client.requestPromised('GET', `${shop}/ssl/domains`)).toEqual(['shop.example.com']);

    await sim.admin('PUT', '/dns/www.customer.example', { a: ['192.0.2.28'], delayMs: 400 });
    expect((await resolved('www.customer.example')).a).toEqual(['203.0.113.9']);
    await expect.poll(async () => (await resolved('www.customer.example')).a, { timeout: 3_000, interval: 50 }).toEqual(['192.0.2.28']);
    const again = (await client.requestPromised('POST', `${shop}/ssl/regenerate`)) as Record<string, Json>;
    await sim.waitForTask('demo-shop.ovh', again.taskId as number);
    expect(await client.requestPromised('GET', `${shop}/ssl/domains`)).toEqual(['shop.example.com', 'www.customer.example']);
  });

  it('count as pointing at their hosting when not modelled, unless the simulator is told otherwise', async () => {
    await attach('demo-agency.ovh', { domain: 'plain.example.org', path: 'plain', ssl: true });
    expect(await resolved('plain.example.org')).toMatchObject({ a: ['192.0.2.31'], source: 'unmodelled' });
    const first = (await client.requestPromised('POST', `${agency}/ssl`)) as Record<string, Json>;
    expect((await sim.waitForTask('demo-agency.ovh', first.taskId as number)).status).toBe('done');
    expect(await client.requestPromised('GET', `${agency}/ssl/domains`)).toEqual(['plain.example.org']);

    await sim.config({ unmodelledDomainsPointAtHosting: false });
    expect(await resolved('plain.example.org')).toMatchObject({ a: [], source: 'unmodelled' });
    const refused = await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'other.example.org' } });
    expect(refused.status).toBe(403);
    const regenerated = (await client.requestPromised('POST', `${agency}/ssl/regenerate`)) as Record<string, Json>;
    expect((await sim.waitForTask('demo-agency.ovh', regenerated.taskId as number)).status).toBe('cancelled');
    expect(await client.requestPromised('GET', `${agency}/ssl/domains`)).toEqual(['plain.example.org']);
  });
});
