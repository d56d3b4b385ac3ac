// Several OVH accounts in one simulator, each with its own services, zones, keys and rate limit; OVH service
// accounts, which get OAuth2 access tokens with client credentials and whose rights come from IAM policies.
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type Json, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const other = 'ab1234-ovh';
const otherService = 'agency-b.example';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
  text: string;
}

/** A plain HTTPS request (no OVH signature), trusting only the simulator's CA. */
function plain(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: sim.host, port: sim.port, method, path, ca: sim.caPem, agent: false, headers: { ...(options.body === undefined ? {} : { 'Content-Length': Buffer.byteLength(options.body) }), ...options.headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : null, text }));
      },
    );
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

const form = (fields: Record<string, string>) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function accessToken(clientId: string, clientSecret: string): Promise<string> {
  const answer = await plain('POST', '/auth/oauth2/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'all' }));
  expect(answer.status, answer.text).toBe(200);
  return answer.body.access_token as string;
}

const bearer = (token: string, method: string, path: string, body?: unknown) =>
  plain(method, `/1.0${path}`, {
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function serviceAccount(account = other): Promise<{ clientId: string; clientSecret: string; identity: string }> {
  return (await sim.admin('POST', '/service-accounts', { account, name: 'ovhflow-worker' })) as { clientId: string; clientSecret: string; identity: string };
}

const policy = (identity: string, resources: string[], allow: string[], extra: Record<string, unknown> = {}) =>
  sim.admin('POST', '/iam/policies', { name: `p-${Math.random().toString(36).slice(2)}`, identities: [identity], resources: resources.map((urn) => ({ urn })), permissions: { allow: allow.map((action) => ({ action })), ...extra } });

beforeAll(async () => {
  sim = await startTestSimulator({ taskDurationMs: { default: 20 } });
});
beforeEach(async () => {
  await sim.reset();
  await sim.admin('DELETE', '/iam/policies');
  await sim.config({ oauth2TokenTtlSec: 3600 });
  await sim.admin('POST', `/accounts/${other}`, { rateLimit: null });
  await sim.setService(otherService, { offer: 'PRO', account: other });
  await sim.admin('POST', '/zones/b-customer.example', { account: other });
});
afterAll(async () => {
  await sim.stop();
});

describe('accounts', () => {
  it("each account sees only its own services and zones, through its own keys", async () => {
    const application = await sim.admin('POST', '/applications', { name: 'b-tools', account: other });
    const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }], { applicationKey: application.applicationKey });
    expect(minted).toMatchObject({ account: other });
    const b = sim.ovhClient({ applicationKey: application.applicationKey, applicationSecret: application.applicationSecret, consumerKey: minted.consumerKey });
    expect(await b.requestPromised('GET', '/hosting/web')).toEqual([otherService]);
    expect(await b.requestPromised('GET', '/domain/zone')).toEqual(['b-customer.example']);
    const notMine = await b.requestPromised('GET', '/hosting/web/demo-shop.ovh').catch((error: OvhRejection) => error);
    expect(notMine).toEqual({ error: 404, message: 'This service does not exist' });

    const demo = sim.ovhClient();
    expect(await demo.requestPromised('GET', '/hosting/web')).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);
    expect(await demo.requestPromised('GET', '/domain/zone')).toEqual(['example.com']);
    const accounts = (await sim.state()).accounts;
    expect(accounts.find((account) => account.name === other)).toEqual({ name: other, rateLimit: null, services: [otherService], zones: ['b-customer.example'] });
  });

  it('a sub-domain of another account\'s zone needs the ownership token to be attached', async () => {
    const refused = await sim.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', { body: { domain: 'www.b-customer.example' } });
    expect(refused.status).toBe(403);
    const token = (await sim.call('GET', '/hosting/web/demo-agency.ovh/token')).body as string;
    await sim.admin('POST', '/zones/b-customer.example', { records: [{ fieldType: 'TXT', subDomain: 'ovhcontrol', target: `"${token}"` }] });
    expect((await sim.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', { body: { domain: 'www.b-customer.example' } })).status).toBe(200);
  });

  it('an account with its own rate limit is metered alone', async () => {
    await sim.admin('POST', `/accounts/${other}`, { rateLimit: { perSecond: 0.5, burst: 2 } });
    const application = await sim.admin('POST', '/applications', { account: other });
    const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }], { applicationKey: application.applicationKey });
    const keys = { applicationKey: application.applicationKey, applicationSecret: application.applicationSecret, consumerKey: minted.consumerKey };
    expect((await sim.call('GET', '/hosting/web', { credentials: keys })).status).toBe(200);
    expect((await sim.call('GET', '/hosting/web', { credentials: keys })).status).toBe(200);
    const limited = await sim.call('GET', '/hosting/web', { credentials: keys });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errorCode: 'TOO_MANY_REQUESTS', httpCode: '429 Too Many Requests', message: 'Too many requests, please retry later' });
    expect(limited.headers['retry-after']).toBe('2');
    for (let i = 0; i < 5; i += 1) expect((await sim.call('GET', '/hosting/web')).status).toBe(200);
  });
});

describe('service accounts: the OAuth2 token endpoint', () => {
  it('issues a bearer token for client credentials, in the form body or with HTTP Basic', async () => {
    const { clientId, clientSecret } = await serviceAccount();
    expect(clientId).toMatch(/^EU\.[0-9a-f]{16}$/);
    const answer = await plain('POST', '/auth/oauth2/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'all' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'all' });
    expect(answer.headers['cache-control']).toBe('no-store');
    const basic = await plain('POST', '/auth/oauth2/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    expect(basic.body.access_token).not.toBe(answer.body.access_token);
  });

  it('answers OAuth2 errors for a wrong secret, another grant or scope', async () => {
    const { clientId } = await serviceAccount();
    const wrong = await plain('POST', '/auth/oauth2/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    expect((await plain('POST', '/auth/oauth2/token', form({ grant_type: 'password', client_id: clientId, client_secret: 'x' }))).body.error).toBe('unsupported_grant_type');
    expect((await plain('POST', '/auth/oauth2/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'x', scope: 'admin' }))).body.error).toBe('invalid_scope');
    expect((await plain('GET', '/auth/oauth2/token')).status).toBe(405);
  });

  it('never records the client secret or the access token', async () => {
    const { clientId, clientSecret } = await serviceAccount();
    const token = await accessToken(clientId, clientSecret);
    await bearer(token, 'GET', '/hosting/web');
    const log = JSON.stringify(await sim.requests());
    expect(log).not.toContain(clientSecret);
    expect(log).not.toContain(token);
    expect((await sim.requests()).find((request) => request.path === '/auth/oauth2/token')?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: '***',
      scope: 'all',
    });
  });
});

describe('service accounts: bearer calls under IAM policies', () => {
  it('refuses a call whose IAM action no policy allows, naming the action as OVH does', async () => {
    const { clientId, clientSecret, identity } = await serviceAccount();
    expect(identity).toBe(`urn:v1:eu:identity:credential:${other}/oauth2-${clientId}`);
    const token = await accessToken(clientId, clientSecret);
    const refused = await bearer(token, 'GET', `/hosting/web/${otherService}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      class: 'Client::Forbidden',
      message: 'User not granted for this request',
      details: { unauthorizedActionsByAuthentication: '', unauthorizedActionsByIAM: 'webHosting:apiovh:get' },
    });
    expect(refused.headers['x-ovh-queryid']).toMatch(/^SIM\./);
    expect((await bearer(token, 'GET', '/hosting/web')).body).toEqual([]);

    await policy(identity, [`urn:v1:eu:resource:webHosting:${otherService}`], ['webHosting:apiovh:get']);
    expect((await bearer(token, 'GET', `/hosting/web/${otherService}`)).body).toMatchObject({ serviceName: otherService, iam: { urn: `urn:v1:eu:resource:webHosting:${otherService}` } });
    expect((await bearer(token, 'GET', '/hosting/web')).body).toEqual([otherService]);
    const write = await bearer(token, 'POST', `/hosting/web/${otherService}/attachedDomain`, { domain: 'www.b-customer.example' });
    expect(write.status).toBe(403);
    expect(write.body.details.unauthorizedActionsByIAM).toBe('webHosting:apiovh:attachedDomain/create');
  });

  it('applies wildcards, except and deny, per resource, and only within the account', async () => {
    const { clientId, clientSecret, identity } = await serviceAccount();
    const token = await accessToken(clientId, clientSecret);
    await policy(identity, [`urn:v1:eu:resource:webHosting:${otherService}`], ['webHosting:apiovh:*'], { except: [{ action: 'webHosting:apiovh:attachedDomain/delete' }] });
    await policy(identity, ['urn:v1:eu:resource:dnsZone:*'], ['dnsZone:apiovh:get', 'dnsZone:apiovh:record/*'], { deny: [{ action: 'dnsZone:apiovh:record/delete' }] });

    const attach = await bearer(token, 'POST', `/hosting/web/${otherService}/attachedDomain`, { domain: 'www.b-customer.example' });
    expect(attach.status, attach.text).toBe(200);
    expect(attach.body).toMatchObject({ function: 'attachedDomain/create', status: 'todo' });
    await sim.waitForTask(otherService, attach.body.id as number, { client: sim.ovhClient(await ownerKeys()) });
    expect((await bearer(token, 'DELETE', `/hosting/web/${otherService}/attachedDomain/www.b-customer.example`)).body.details.unauthorizedActionsByIAM).toBe(
      'webHosting:apiovh:attachedDomain/delete',
    );
    const record = await bearer(token, 'POST', '/domain/zone/b-customer.example/record', { fieldType: 'TXT', subDomain: 'x', target: '"y"' });
    expect(record.status).toBe(200);
    expect((await bearer(token, 'DELETE', `/domain/zone/b-customer.example/record/${record.body.id}`)).status).toBe(403);
    expect((await bearer(token, 'POST', '/domain/zone/b-customer.example/refresh')).body.details.unauthorizedActionsByIAM).toBe('dnsZone:apiovh:refresh');
    // The demo account's hosting does not exist for this account, whatever the policy says.
    await policy(identity, ['urn:v1:eu:resource:webHosting:*'], ['webHosting:apiovh:get']);
    expect((await bearer(token, 'GET', '/hosting/web/demo-shop.ovh')).status).toBe(404);
  });

  it('refuses an unknown token, and a token once it has expired', async () => {
    await sim.config({ oauth2TokenTtlSec: 1 });
    const { clientId, clientSecret, identity } = await serviceAccount();
    await policy(identity, [`urn:v1:eu:resource:webHosting:${otherService}`], ['webHosting:apiovh:get']);
    const token = await accessToken(clientId, clientSecret);
    expect((await bearer(token, 'GET', `/hosting/web/${otherService}`)).status).toBe(200);
    expect((await bearer('not-a-token', 'GET', `/hosting/web/${otherService}`)).body).toEqual({
      errorCode: 'INVALID_CREDENTIAL',
      httpCode: '401 Unauthorized',
      message: 'This credential is not valid',
    });
    await expect
      .poll(async () => (await bearer(token, 'GET', `/hosting/web/${otherService}`)).body, { timeout: 3_000, interval: 100 })
      .toEqual({ errorCode: 'INVALID_CREDENTIAL', httpCode: '401 Unauthorized', message: 'This credential has expired' });
  });
});

/** A consumer key of the other account, to poll tasks the official client's way. */
async function ownerKeys() {
  const application = await sim.admin('POST', '/applications', { account: other });
  const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }], { applicationKey: application.applicationKey });
  return { applicationKey: application.applicationKey as string, applicationSecret: application.applicationSecret as string, consumerKey: minted.consumerKey };
}
