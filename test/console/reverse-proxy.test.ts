// The console behind a TLS-terminating reverse proxy, as docs/deploy.md recommends: a real nginx (Debian's package;
// `.ci/run` installs it) with its own configuration in a temporary directory, a self-signed certificate, on a free
// port, in front of the API, which sees plain HTTP. With OVHFLOW_PUBLIC_URL (here the `publicUrl` option) set to the
// proxy's https address, a real Chromium logs in and starts a run through forms (every console POST passes the Origin
// check), the session cookies are `Secure`, and answers carry HSTS.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HSTS } from '../../src/api/public-origin.js';
import { freePort } from '../../src/temporal/ports.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitForStatus } from '../support/provisioning.js';
import { startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { launchBrowser, type TestBrowser } from './browser.js';

const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const DAY = 24 * 60 * 60 * 1000;

interface Proxy {
  url: string;
  stop(): Promise<void>;
}

/** nginx terminating TLS on `port` and passing plain HTTP to `upstream`, configured and run from `dir`. */
async function startNginx(dir: string, port: number, upstream: string): Promise<Proxy> {
  if (!existsSync(NGINX_PATH)) throw new Error(`no nginx at ${NGINX_PATH}: install it (apt-get install -y nginx; .ci/run does) or set NGINX_PATH`);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + DAY),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  const upstreamUrl = new URL(upstream);
  // Run as root (CI's container), nginx's workers would drop to `nobody`, who cannot write this directory.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${user}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / {
      proxy_pass http://${upstreamUrl.host};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX_PATH, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when it completes a TLS handshake.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not start: ${stderr}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `https://localhost:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

describe('the console behind a TLS-terminating reverse proxy', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let api: TestApi;
  let proxy: Proxy;
  let chromium: TestBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ovhflow-nginx-'));
    stack = await startTestStack('reverse-proxy');
    await stack.startWorker();
    // The public URL names the proxy's port: chosen first, given to the API, then to nginx.
    const port = await freePort();
    const publicUrl = `https://localhost:${port}`;
    api = await startTestApi(stack, { publicUrl });
    proxy = await startNginx(dir, port, api.url);
    expect(proxy.url).toBe(publicUrl);
    chromium = await launchBrowser({ ignoreHTTPSErrors: true });
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await proxy?.stop();
    await api?.close();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in and starts a run through forms; its session cookies are Secure; answers carry HSTS', async () => {
    const page = await chromium.newPage();
    const first = await page.goto(`${proxy.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(first?.headers()['strict-transport-security']).toBe(HSTS);

    await page.fill('#token', api.token);
    const [login] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/console/login') && response.request().method() === 'POST'), page.click('button[type=submit]')]);
    // Before OVHFLOW_PUBLIC_URL, this answered 403: the API compared Origin https://… with http://….
    expect(login.status()).toBe(303);
    await page.waitForURL(`${proxy.url}/console`);
    const setCookies = (await login.headersArray()).filter((header) => header.name.toLowerCase() === 'set-cookie').map((header) => header.value);
    expect(setCookies.length).toBe(2);
    for (const cookie of setCookies) expect(cookie).toMatch(/; Secure$/);
    // The jar answers by URL, and the cookies are scoped to their paths.
    const cookieUrls = [`${proxy.url}/console`, `${proxy.url}/codec/decode`];
    const jar = await chromium.browser.cookies(cookieUrls);
    expect(jar.map((cookie) => [cookie.name, cookie.secure]).sort()).toEqual([
      ['ovhflow_codec', true],
      ['ovhflow_console', true],
    ]);

    // A state-changing form with its CSRF token: the run starts and its page follows it.
    await page.goto(`${proxy.url}/console/start/provision`);
    const domain = uniqueDomain('proxied');
    await page.selectOption('#provision [name="serviceName"]', 'demo-agency.ovh');
    await page.fill('#provision [name="domain"]', domain);
    await page.uncheck('#provision [name="database"]');
    await page.selectOption('#provision [name="ssl"]', 'none');
    await page.click('#provision button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/console/run');
    expect(await page.textContent('body')).toContain('Run started');
    const workflowId = new URL(page.url()).searchParams.get('id') ?? '';
    expect(workflowId).toBe(`provision-site/demo-agency.ovh/${domain}`);
    expect((await waitForStatus(stack.runs, workflowId, ['completed'])).status).toBe('completed');

    // Logging out is a console POST too.
    await page.click('form[action="/console/logout"] button');
    await page.waitForURL((url) => url.pathname === '/console/login');
    expect(await chromium.browser.cookies(cookieUrls)).toEqual([]);
    // nginx really was in the way: it logged the requests.
    expect(readFileSync(join(dir, 'access.log'), 'utf8')).toContain('POST /console/start/provision');
  });
});
