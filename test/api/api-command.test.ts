// `ovhflow api` as people run it: a clear startup error without a usable token, and a real process that serves,
// reaches Temporal, and stops cleanly on SIGTERM. Plus the token rules it applies.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { apiTokenProblem, loadOrCreateDevApiToken, tokenMatcher } from '../../src/api/token.js';
import { main } from '../../src/cli/main.js';

const root = new URL('../../', import.meta.url).pathname;
const KEY = randomBytes(32).toString('base64');

describe('the API token', () => {
  it('is required, at least 32 characters outside dev mode, and without whitespace', () => {
    expect(apiTokenProblem(null, { devMode: false })).toMatch(/OVHFLOW_API_TOKEN: required/);
    expect(apiTokenProblem('', { devMode: true })).toMatch(/required/);
    expect(apiTokenProblem('s3cret', { devMode: false })).toMatch(/at least 32 characters long \(it is 6\)/);
    expect(apiTokenProblem('s3cret', { devMode: true })).toBeUndefined();
    expect(apiTokenProblem(`${'a'.repeat(40)} b`, { devMode: false })).toMatch(/spaces/);
    expect(apiTokenProblem(randomBytes(24).toString('base64'), { devMode: false })).toBeUndefined();
  });

  it('is compared whatever its length, without throwing', () => {
    const matches = tokenMatcher('a'.repeat(40));
    expect(matches('a'.repeat(40))).toBe(true);
    expect(matches('a'.repeat(39))).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches('é'.repeat(400))).toBe(false);
  });

  it('is generated once in dev mode, readable only by its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovhflow-api-token-'));
    try {
      const file = join(dir, '.data', 'api-token');
      const token = loadOrCreateDevApiToken(file);
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(loadOrCreateDevApiToken(file)).toBe(token);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(token);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ovhflow api', () => {
  const saved = { ...process.env };
  const children: ChildProcess[] = [];
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
    vi.restoreAllMocks();
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    Object.assign(process.env, env);
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const code = await main(['node', 'ovhflow', ...args]);
    return { code, stderr };
  }

  it('refuses to start without a token, or with a short one, naming the variable (exit 2)', async () => {
    const missing = await runCli(['api', '--port', '0'], { OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('OVHFLOW_API_TOKEN: required to serve the HTTP API');

    const short = await runCli(['api', '--port', '0'], { OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: 'letmein' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('OVHFLOW_API_TOKEN: must be at least 32 characters long');
    expect(short.stderr).not.toContain('letmein');

    const origin = await runCli(['api'], { OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: 'x'.repeat(32), OVHFLOW_UI_ORIGIN: 'localhost:8233/path' });
    expect(origin.code).toBe(2);
    expect(origin.stderr).toContain('OVHFLOW_UI_ORIGIN');
  });

  it('serves on the given port, reaches Temporal, and stops cleanly on SIGTERM', async () => {
    const token = randomBytes(32).toString('base64url');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/api/fixtures/run-cli.fixture.ts', 'api', '--port', '0', '--host', '127.0.0.1'], {
      cwd: root,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        OVHFLOW_ENCRYPTION_KEY: KEY,
        OVHFLOW_API_TOKEN: token,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!(url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1])) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`ovhflow api did not start:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stdout).toContain(`${url}/codec`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const runs = await fetch(`${url}/v1/runs?type=provision`, { headers: { Authorization: `Bearer ${token}` } });
    expect(runs.status).toBe(200);
    expect(await runs.json()).toEqual({ runs: expect.any(Array) });
    expect((await fetch(`${url}/v1/runs`)).status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('HTTP API stopped');
    expect(stdout + stderr).not.toContain(token);
  });
});
