// Authentication as OVH does it: server time, consumer-key requests validated on the validation page, the
// current credential, signatures (host with or without port), time window, key states, IP blocks and rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfficialOvhClient, startTestSimulator, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});

async function rejection(promise: Promise<unknown>): Promise<OvhRejection> {
  try {
    await promise;
  } catch (error) {
    return error as OvhRejection;
  }
  throw new Error('expected the call to be refused');
}

const gateway = (status: number, errorCode: string, message: string) => ({
  errorCode,
  httpCode: `${status} ${{ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' }[status as 400 | 401 | 403]}`,
  message,
});

describe('/auth', () => {
  it('gives the server time in unix seconds, without authentication', async () => {
    const answer = await sim.request('GET', '/1.0/auth/time');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^\d+$/);
    expect(Math.abs((answer.body as number) - Date.now() / 1000)).toBeLessThan(3);
    expect(answer.headers['x-ovh-queryid']).toMatch(/^SIM\.ext-1\.[0-9a-f]+\.\d+\.[0-9a-f]{32}$/);
  });

  it('issues a consumer key that works once validated, with exactly the rules asked for', async () => {
    const anonymous = createOfficialOvhClient({ appKey: sim.credentials.applicationKey, appSecret: sim.credentials.applicationSecret, host: sim.host, port: sim.port });
    const requested = await anonymous.requestPromised('POST', '/auth/credential', {
      accessRules: [
        { method: 'GET', path: '/hosting/web' },
        { method: 'GET', path: '/hosting/web/*' },
      ],
      redirection: 'https://example.org/after',
    });
    expect(requested).toMatchObject({ state: 'pendingValidation' });
    expect(requested.consumerKey).toMatch(/^[A-Za-z0-9]{32}$/);
    const validationUrl = new URL(requested.validationUrl as string);
    expect(`${validationUrl.origin}`).toBe(sim.url);

    const client = sim.ovhClient({ consumerKey: requested.consumerKey });
    expect(await rejection(client.requestPromised('GET', '/hosting/web'))).toEqual({ error: 403, message: 'This credential is not valid' });

    const page = await sim.request('GET', `/auth/${validationUrl.search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('GET /hosting/web/*');
    const token = validationUrl.searchParams.get('credentialToken') as string;
    const form = new URLSearchParams({ credentialToken: token, action: 'validate', validity: '3600' }).toString();
    const posted = await postForm(form);
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('https://example.org/after');

    expect(await client.requestPromised('GET', '/hosting/web')).toHaveLength(3);
    expect(await client.requestPromised('GET', '/hosting/web/demo-shop.ovh/database')).toEqual(['demoshopdb1']);
    expect(await rejection(client.requestPromised('POST', '/hosting/web/demo-shop.ovh/ssl/regenerate'))).toEqual({ error: 403, message: 'This call has not been granted' });

    const current = await sim.call('GET', '/auth/currentCredential', { credentials: { consumerKey: requested.consumerKey } });
    expect(current.status).toBe(403); // currentCredential itself was not granted by these rules
    expect(current.body).toEqual(gateway(403, 'NOT_GRANTED_CALL', 'This call has not been granted'));
  });

  it('refuses a key whose request was refused', async () => {
    const requested = (await sim.call('POST', '/auth/credential', { unsigned: true, body: { accessRules: [{ method: 'GET', path: '/*' }] } })).body;
    const token = new URL(requested.validationUrl as string).searchParams.get('credentialToken') as string;
    const refused = await postForm(new URLSearchParams({ credentialToken: token, action: 'refuse' }).toString());
    expect(refused.status).toBe(200);
    const answer = await sim.call('GET', '/hosting/web', { credentials: { consumerKey: requested.consumerKey } });
    expect(answer.body).toEqual(gateway(403, 'INVALID_CREDENTIAL', 'This credential is not valid'));
  });

  it('asks for a known application key and valid access rules to issue a key', async () => {
    const unknown = await sim.call('POST', '/auth/credential', { unsigned: true, credentials: { applicationKey: 'nope' }, body: { accessRules: [] } });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual(gateway(403, 'INVALID_KEY', 'This application key is invalid'));
    const noRules = await sim.call('POST', '/auth/credential', { unsigned: true, body: { redirection: 'https://example.org' } });
    expect(noRules.status).toBe(400);
    expect(noRules.body.message).toBe('[accessRules] Missing parameter');
    const badMethod = await sim.call('POST', '/auth/credential', { unsigned: true, body: { accessRules: [{ method: 'PATCH', path: '/*' }] } });
    expect(badMethod.body.message).toBe('[accessRules[0].method] Given data (PATCH) does not belong to the auth.HTTPMethodEnum enumeration');
  });

  it('describes the current credential (api.Credential) when signed, and refuses it unsigned as OVH does', async () => {
    const signed = await sim.call('GET', '/auth/currentCredential');
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'validated', ovhSupport: false, expiration: null, allowedIPs: null, rules: [{ method: 'GET', path: '/*' }, { method: 'POST', path: '/*' }, { method: 'PUT', path: '/*' }, { method: 'DELETE', path: '/*' }] });
    expect(signed.body.lastUse).not.toBeNull();
    // The official Node client never signs a path containing "/auth": OVH answers "You must login first".
    expect(await rejection(sim.ovhClient().requestPromised('GET', '/auth/currentCredential'))).toEqual({ error: 401, message: 'You must login first' });
    const unsigned = await sim.call('GET', '/auth/currentCredential', { unsigned: true });
    expect(unsigned.body).toEqual(gateway(401, 'NOT_CREDENTIAL', 'You must login first'));
  });

  it('accepts a signature over the host with or without its port, and nothing else', async () => {
    expect((await sim.call('GET', '/hosting/web', { signWithPort: false })).status).toBe(200);
    expect((await sim.call('GET', '/hosting/web', { signWithPort: true })).status).toBe(200);
    expect((await sim.call('GET', '/hosting/web', { query: { iamTags: '{}' } })).status).toBe(200);
    const otherHost = await sim.call('GET', '/hosting/web', { headers: { Host: `localhost:${sim.port}` } });
    expect(otherHost.body).toEqual(gateway(400, 'INVALID_SIGNATURE', 'Invalid signature'));
    const tampered = await sim.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', {
      body: { domain: 'a.example.org' },
      headers: { 'X-Ovh-Signature': '$1$0000000000000000000000000000000000000000' },
    });
    expect(tampered.body).toEqual(gateway(400, 'INVALID_SIGNATURE', 'Invalid signature'));
  });

  it('refuses a timestamp outside the window, or none', async () => {
    expect((await sim.call('GET', '/hosting/web', { timeSkew: 120 })).status).toBe(200);
    const late = await sim.call('GET', '/hosting/web', { timeSkew: -600 });
    expect(late.body).toEqual(gateway(400, 'QUERY_TIME_OUT', 'Query out of time'));
    const none = await sim.call('GET', '/hosting/web', { headers: { 'X-Ovh-Timestamp': '' } });
    expect(none.body).toEqual(gateway(400, 'QUERY_TIME_OUT', 'Query out of time'));
  });

  it('refuses calls without credentials, with unknown keys, and with a key of another application', async () => {
    const nothing = await sim.request('GET', '/1.0/hosting/web');
    expect(nothing.status).toBe(401);
    expect(nothing.body).toEqual(gateway(401, 'NOT_CREDENTIAL', 'You must login first'));
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: 'x'.repeat(32) } })).body).toEqual(
      gateway(403, 'INVALID_CREDENTIAL', 'This credential does not exist'),
    );
    const other = await sim.createApplication('another');
    const foreign = await sim.call('GET', '/hosting/web', { credentials: { applicationKey: other.applicationKey, applicationSecret: other.applicationSecret } });
    expect(foreign.body).toEqual(gateway(403, 'INVALID_CREDENTIAL', 'This credential does not exist'));
  });

  it('expires a key on logout and after its validity', async () => {
    const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }, { method: 'POST', path: '/auth/logout' }]);
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: minted.consumerKey } })).status).toBe(200);
    expect((await sim.call('POST', '/auth/logout', { credentials: { consumerKey: minted.consumerKey } })).body).toBeNull();
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: minted.consumerKey } })).body).toEqual(
      gateway(403, 'INVALID_CREDENTIAL', 'This credential does not exist'),
    );
    const shortLived = await sim.mintCredential([{ method: 'GET', path: '/*' }], { validitySeconds: 1 });
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: shortLived.consumerKey } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: shortLived.consumerKey } })).body.errorCode).toBe('INVALID_CREDENTIAL');
  });

  it('honours a key\'s allowed IP blocks', async () => {
    const elsewhere = await sim.mintCredential([{ method: 'GET', path: '/*' }], { allowedIPs: ['10.0.0.0/8'] });
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: elsewhere.consumerKey } })).status).toBe(403);
    const here = await sim.mintCredential([{ method: 'GET', path: '/*' }], { allowedIPs: ['127.0.0.1/32'] });
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: here.consumerKey } })).status).toBe(200);
  });

  it('matches rules with * over any characters, slashes included, as OVH does', async () => {
    const minted = await sim.mintCredential([{ method: 'GET', path: '/hosting/web/*/database' }]);
    const as = { credentials: { consumerKey: minted.consumerKey } };
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh/database', as)).status).toBe(200);
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh/database/demoshopdb1', as)).status).toBe(403);
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh', as)).status).toBe(403);
  });
});

async function postForm(form: string) {
  const https = await import('node:https');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const request = https.request(
      { host: sim.host, port: sim.port, method: 'POST', path: '/auth/', ca: sim.caPem, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(form);
  });
}
