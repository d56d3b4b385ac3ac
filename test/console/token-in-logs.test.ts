// The API token never reaches a log: not from the Authorization header (redacted by path), and not from a query string
// where a client pasted it (`/v1/runs?token=…`, refused with 401), as it is or percent-encoded — nor from the console's
// login form.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { createRunService } from '../../src/runs/service.js';
import { connectTestTemporal, TEST_KEYRING, uniqueTaskQueue, type TestTemporal } from '../support/temporal.js';

describe('the API token in logs', () => {
  let t: TestTemporal;
  let app: FastifyInstance;
  let url: string;
  // A token as `openssl rand -base64 32` makes them, with the characters URLs escape.
  const token = `${randomBytes(30).toString('base64')}a+b/c=`;

  beforeAll(async () => {
    t = await connectTestTemporal();
    app = createApiServer({ runs: createRunService({ client: t.client, taskQueue: uniqueTaskQueue('token-logs') }), keyring: TEST_KEYRING, token, logger: t.logger });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });
  const loginCookie = () => login(url, token);
  const requestLines = () => t.logLines.filter((line) => line.includes('"incoming request"') || line.includes('"request completed"')).join('\n');

  it('is redacted from a logged URL however the client wrote it, and from the console login', async () => {
    const encoded = encodeURIComponent(token);
    const spellings = [encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), token];
    for (const spelling of spellings) {
      const answer = await fetch(`${url}/v1/runs?token=${spelling}`);
      expect(answer.status).toBe(401);
    }
    const login = await fetch(`${url}/console/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: `/console?token=${encoded}` }).toString(),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    await fetch(`${url}/console?token=${encoded}`, { headers: { cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') } });

    const log = t.logLines.join('\n');
    const logged = t.logLines.filter((line) => line.includes('/v1/runs?token='));
    expect(logged.length).toBeGreaterThanOrEqual(spellings.length);
    expect(logged.every((line) => line.includes('token=[redacted]'))).toBe(true);
    for (const spelling of [...spellings, token.slice(0, 30)]) expect(log).not.toContain(spelling);
  });

  it("keeps a logged-in console page's self-refresh out of the request log, but not page loads", async () => {
    const cookie = await loginCookie();
    await fetch(`${url}/console/runs?probe=live`, { headers: { 'X-Console-Live': '1', cookie } });
    await fetch(`${url}/console/runs?probe=load`, { headers: { cookie } });
    const requests = requestLines();
    expect(requests).toContain('probe=load');
    expect(requests).not.toContain('probe=live');
  });

  it('logs every request that claims to be a console refresh without a live session, and every refusal', async () => {
    const answers = await Promise.all([
      // A client switching logging off for a guess at the token: refused, and logged.
      fetch(`${url}/v1/runs?probe=wrong-token`, { headers: { 'X-Console-Live': '1', Authorization: 'Bearer not-the-token' } }),
      fetch(`${url}/v1/runs?probe=no-token`, { headers: { 'X-Console-Live': '1' } }),
      fetch(`${url}/console/runs?probe=no-session`, { headers: { 'X-Console-Live': '1' } }),
      fetch(`${url}/console/runs?probe=forged-session`, { headers: { 'X-Console-Live': '1', cookie: 'ovhflow_console=1.x.y' } }),
      // With a live session, a refresh that is refused (an unknown run) is logged too.
      fetch(`${url}/console/run?id=no-such-run&probe=refused-refresh`, { headers: { 'X-Console-Live': '1', cookie: await loginCookie() } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 404]);
    const entries = t.logLines.map((line) => JSON.parse(line) as { msg?: string; reqId?: string; req?: { url?: string }; res?: { statusCode?: number } });
    const statuses = [401, 401, 401, 401, 404];
    ['wrong-token', 'no-token', 'no-session', 'forged-session', 'refused-refresh'].forEach((probe, index) => {
      // What was asked, and how it was answered (the two lines share the request id).
      const asked = entries.find((entry) => entry.msg === 'incoming request' && entry.req?.url?.includes(`probe=${probe}`));
      expect(asked, probe).toBeDefined();
      const answered = entries.find((entry) => entry.msg === 'request completed' && entry.reqId === asked?.reqId);
      expect(answered?.res?.statusCode, probe).toBe(statuses[index]);
    });
  });
});

async function login(url: string, token: string): Promise<string> {
  const answer = await fetch(`${url}/console/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  });
  expect(answer.status).toBe(303);
  return answer.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
