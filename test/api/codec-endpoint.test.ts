// The codec endpoint the Temporal UI and CLI decode payloads through (Temporal's remote codec protocol), its CORS
// answers for the UI's origin, and the cookie session a browser without an access token uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';

const UI = 'http://localhost:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const text = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

type JsonPayload = { metadata: Record<string, string>; data: string };

describe('codec endpoint', () => {
  let stack: TestStack;
  let api: TestApi;
  let encryptedResult: JsonPayload;
  let domain: string;

  beforeAll(async () => {
    stack = await startTestStack('api-codec');
    await stack.startWorker();
    api = await startTestApi(stack);
    // A real run, so the payload below is one the worker encrypted (the workflow's result).
    domain = uniqueDomain('codec');
    const started = await api.call('POST', '/v1/provisions', { body: { serviceName: 'demo-shop.ovh', domain, ssl: 'none' } });
    expect(started.status).toBe(202);
    expect((await outcomeOf(stack.runs, started.body.workflowId)).status).toBe('completed');
    const history = await stack.t.client.workflow.getHandle(started.body.workflowId).fetchHistory();
    const completed = history.events?.find((event) => event.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0];
    if (!payload) throw new Error('no result payload in the history');
    encryptedResult = {
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    };
  });
  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  it('decodes a payload the worker encrypted into the plaintext JSON', async () => {
    expect(text(encryptedResult.metadata.encoding!)).toBe('binary/encrypted');
    expect(text(encryptedResult.data)).not.toContain(domain);

    const answer = await api.call('POST', '/codec/decode', { body: { payloads: [encryptedResult] }, headers: { 'X-Namespace': stack.t.namespace } });
    expect(answer.status).toBe(200);
    const [decoded] = answer.body.payloads as JsonPayload[];
    expect(text(decoded!.metadata.encoding!)).toBe('json/plain');
    expect(JSON.parse(text(decoded!.data))).toMatchObject({ serviceName: 'demo-shop.ovh', domain: { name: domain } });
  });

  it('refuses to decode without the token, or with a wrong one', async () => {
    const anonymous = await api.call('POST', '/codec/decode', { token: null, body: { payloads: [encryptedResult] }, headers: { Origin: UI } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('unauthorized');
    expect(anonymous.text).not.toContain(b64(domain).slice(0, 8));
    // Readable by the UI: the refusal carries the CORS headers too.
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(UI);
    const wrong = await api.call('POST', '/codec/decode', { token: 'x'.repeat(43), body: { payloads: [encryptedResult] } });
    expect(wrong.status).toBe(401);
  });

  it('encodes with the active key, and what it encodes decodes back', async () => {
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify({ hello: 'world' })) };
    const encoded = await api.call('POST', '/codec/encode', { body: { payloads: [plain, plain] } });
    expect(encoded.status).toBe(200);
    expect(encoded.body.payloads).toHaveLength(2);
    expect(text(encoded.body.payloads[0].metadata.encoding)).toBe('binary/encrypted');
    expect(encoded.body.payloads[0].data).not.toBe(encoded.body.payloads[1].data);
    const decoded = await api.call('POST', '/codec/decode', { body: encoded.body });
    expect(decoded.body.payloads).toEqual([plain, plain]);
    // Payloads that are not encrypted pass through unchanged, as Temporal's codec chain expects.
    expect((await api.call('POST', '/codec/decode', { body: { payloads: [plain] } })).body.payloads).toEqual([plain]);
  });

  it('answers 400 for a tampered payload and for a body that is not a codec request', async () => {
    const data = Buffer.from(encryptedResult.data, 'base64');
    data[20] = (data[20] ?? 0) ^ 0xff;
    const tampered = await api.call('POST', '/codec/decode', { body: { payloads: [{ ...encryptedResult, data: data.toString('base64') }] } });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ error: 'undecodable_payload' });
    const junk = await api.call('POST', '/codec/decode', { body: { payload: [] } });
    expect(junk.status).toBe(400);
    expect(junk.body.error).toBe('invalid_input');
  });

  it("answers the UI's CORS preflight with its origin, credentials and headers, and refuses other origins", async () => {
    const preflight = await api.call('OPTIONS', '/codec/decode', {
      token: null,
      headers: { Origin: UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
    expect(preflight.headers.get('vary')).toContain('Origin');

    const evil = await api.call('OPTIONS', '/codec/decode', { token: null, headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const post = await api.call('POST', '/codec/decode', { body: { payloads: [] }, headers: { Origin: 'https://evil.example' } });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    // The API proper is not for browsers: no CORS there.
    const runs = await api.call('GET', '/v1/runs', { headers: { Origin: UI } });
    expect(runs.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a browser that presented the token once decode with a cookie, for the codec endpoint only', async () => {
    const login = await api.call('GET', '/codec/login', { token: null });
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toContain('text/html');

    expect((await api.call('POST', '/codec/session', { token: null })).status).toBe(401);
    const session = await api.call('POST', '/codec/session');
    expect(session.status).toBe(204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ovhflow_codec=\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/codec; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(api.token);
    const cookie = setCookie.split(';')[0]!;

    const decoded = await api.call('POST', '/codec/decode', { token: null, body: { payloads: [encryptedResult] }, headers: { Cookie: cookie, Origin: UI } });
    expect(decoded.status).toBe(200);
    expect(JSON.parse(text(decoded.body.payloads[0].data))).toMatchObject({ domain: { name: domain } });

    expect((await api.call('GET', '/v1/runs', { token: null, headers: { Cookie: cookie } })).status).toBe(401);
    const forged = cookie.replace(/=(\d+)\./, (_, expires: string) => `=${Number(expires) + 3600}.`);
    expect((await api.call('POST', '/codec/decode', { token: null, body: { payloads: [] }, headers: { Cookie: forged } })).status).toBe(401);
  });
});
