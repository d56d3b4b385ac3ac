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

  it("keeps an open console page's self-refresh out of the request log, but not page loads", async () => {
    await fetch(`${url}/console/login?probe=live`, { headers: { 'X-Console-Live': '1' } });
    await fetch(`${url}/console/login?probe=load`);
    const requests = t.logLines.filter((line) => line.includes('"incoming request"') || line.includes('"request completed"')).join('\n');
    expect(requests).toContain('probe=load');
    expect(requests).not.toContain('probe=live');
  });
});
