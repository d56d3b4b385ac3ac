// Smaller holes of a security review (issue 22, item 5), each where a person or a hostile page meets it:
// - logging out ends the session on the server: a copy of the console or codec cookie taken before is refused;
// - the dev Temporal UI gateway answers only requests addressed to a loopback name (DNS rebinding);
// - `?done=constructor` on a run page is an ordinary unknown notice, not a 500;
// - an emptied dev token file, or an empty token, never makes the empty string a login;
// - OVHFLOW_PUBLIC_URL is validated with a message that says what is expected.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { startTemporalUiGateway } from '../../src/api/temporal-ui-gateway.js';
import { loadOrCreateDevApiToken } from '../../src/api/token.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { TEST_KEYRING } from '../support/temporal.js';
import { createHostingService } from './support.js';

const cookiesOf = (answer: Response) => answer.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

describe('sessions, hosts and lookups', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let api: TestApi;

  beforeAll(async () => {
    stack = await startTestStack('sessions-hosts');
    await stack.startWorker();
    api = await startTestApi(stack);
  }, 90_000);
  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  const login = async () => {
    const answer = await fetch(`${api.url}/console/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: api.token }).toString(),
      redirect: 'manual',
    });
    expect(answer.status).toBe(303);
    return cookiesOf(answer);
  };
  const consolePage = (cookie: string) => fetch(`${api.url}/console/runs`, { headers: { cookie }, redirect: 'manual' });
  const decode = (cookie: string) =>
    fetch(`${api.url}/codec/decode`, { method: 'POST', headers: { cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ payloads: [] }) });

  it('logging out of the console revokes its session and the codec session it started, though a copy of the cookies is still within its 12 hours', async () => {
    const copied = await login();
    const other = await login();
    const page = await consolePage(copied);
    expect(page.status).toBe(200);
    expect((await decode(copied)).status).toBe(200);

    const logout = await fetch(`${api.url}/console/logout`, {
      method: 'POST',
      headers: { cookie: copied, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfIn(await page.text()) }).toString(),
      redirect: 'manual',
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.getSetCookie().every((cookie) => cookie.includes('Max-Age=0'))).toBe(true);

    // The browser forgot the cookies; whoever kept a copy is refused all the same.
    const after = await consolePage(copied);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/console\/login\?/);
    expect((await decode(copied)).status).toBe(401);
    // Another login's session is its own.
    expect((await consolePage(other)).status).toBe(200);
    expect((await decode(other)).status).toBe(200);
  });

  it('ending a codec session (DELETE /codec/session) revokes it', async () => {
    const started = await api.call('POST', '/codec/session');
    expect(started.status).toBe(204);
    const cookie = (started.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    expect((await decode(cookie)).status).toBe(200);
    const ended = await fetch(`${api.url}/codec/session`, { method: 'DELETE', headers: { cookie } });
    expect(ended.status).toBe(204);
    expect((await decode(cookie)).status).toBe(401);
  });

  it('a run page with done=constructor (or another inherited name) shows the run, with no notice', async () => {
    const { serviceName } = await createHostingService(stack, 'sh');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName, domain: uniqueDomain('done'), ssl: { mode: 'none' } }));
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
    const cookie = await login();
    for (const done of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await fetch(`${api.url}/console/run?${new URLSearchParams({ id: ref.workflowId, done }).toString()}`, { headers: { cookie } });
      const page = await answer.text();
      expect(answer.status, `${done}: ${page.slice(0, 300)}`).toBe(200);
      expect(page).toContain(ref.workflowId);
      expect(page).not.toContain('class="notice ok"');
    }
    const started = await fetch(`${api.url}/console/run?${new URLSearchParams({ id: ref.workflowId, done: 'started' }).toString()}`, { headers: { cookie } });
    expect(await started.text()).toContain('Run started. This page follows it.');
  });

  it('an emptied or truncated dev token file is refused at startup, and no API serves an empty token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovhflow-token-'));
    for (const [name, text] of [['empty', ''], ['blank', ' \n'], ['short', 'abc\n']] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      expect(() => loadOrCreateDevApiToken(file), name).toThrow(ConfigError);
      expect(() => loadOrCreateDevApiToken(file), name).toThrow(`${file}: not a usable API token`);
    }
    const generated = loadOrCreateDevApiToken(join(dir, 'fresh'));
    expect(generated.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateDevApiToken(join(dir, 'fresh'))).toBe(generated);
    expect(() => createApiServer({ runs: stack.runs, keyring: TEST_KEYRING, token: '', logger: stack.t.logger })).toThrow('the API token is empty');
  });
});

describe('the dev Temporal UI gateway', () => {
  const upstreams: Server[] = [];
  const upstream = async (name: string) => {
    const server = createServer((request, response) => response.end(`${name} ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    upstreams.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterAll(async () => {
    for (const server of upstreams) await new Promise((resolve) => server.close(resolve));
  });

  it('answers requests addressed to a loopback name and its port, and refuses any other Host (DNS rebinding)', async () => {
    const gateway = await startTemporalUiGateway({ host: '127.0.0.1', port: 0, ui: await upstream('ui'), api: await upstream('api') });
    try {
      const port = new URL(gateway.url).port;
      const get = (path: string, host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          // node:http lets the Host header be anything, as a rebinding page's browser would send it.
          import('node:http').then(({ request }) => {
            const outgoing = request({ host: '127.0.0.1', port, path, headers: { host } }, (answer) => {
              let body = '';
              answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
              answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }));
            });
            outgoing.on('error', reject);
            outgoing.end();
          }, reject);
        });
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
        expect(await get('/namespaces/default/workflows', host)).toEqual({ status: 200, body: 'ui /namespaces/default/workflows' });
      }
      expect(await get('/codec/decode', `localhost:${port}`)).toEqual({ status: 200, body: 'api /codec/decode' });
      for (const host of [`attacker.example:${port}`, 'localhost', `localhost:${Number(port) + 1}`, `127.0.0.1.nip.io:${port}`]) {
        const refused = await get('/namespaces/default/workflows', host);
        expect(refused.status, host).toBe(421);
        expect(refused.body).not.toContain('ui ');
      }
    } finally {
      await gateway.close();
    }
  });
});

describe('OVHFLOW_PUBLIC_URL', () => {
  it('is the origin of an http(s) address, or a clear configuration error', () => {
    expect(loadConfig({ OVHFLOW_PUBLIC_URL: 'https://ovhflow.example.com' }).api.publicUrl).toBe('https://ovhflow.example.com');
    expect(loadConfig({ OVHFLOW_PUBLIC_URL: 'https://ovhflow.example.com:8443/' }).api.publicUrl).toBe('https://ovhflow.example.com:8443');
    expect(loadConfig({}).api.publicUrl).toBeUndefined();
    for (const bad of ['ovhflow.example.com', 'ftp://ovhflow.example.com', 'https://ovhflow.example.com/console', 'https://user:pw@ovhflow.example.com', 'https://ovhflow.example.com/?a=1']) {
      expect(() => loadConfig({ OVHFLOW_PUBLIC_URL: bad }), bad).toThrow(/OVHFLOW_PUBLIC_URL: .*(expected the address people open|is not http: or https:)/);
    }
  });
});
