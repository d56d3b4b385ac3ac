// Startup checks, on real processes: outside the embedded dev mode (`ovhflow dev`), `ovhflow worker` and `ovhflow api`
// refuse to start without an encryption key, with a key that is too short or not random, and (the API) with its token
// unset, short or weak — exit code 2, a message naming the variable, and never the value itself. Each case is a
// `node --import tsx` process in an empty working directory (no developer's .env or .data/ can leak in).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTokenProblem, isLoopbackHost, tokenReusesKey } from '../../src/api/token.js';
import { parseKeyring } from '../../src/codec/keyring.js';
import { loadConfig } from '../../src/config.js';
import { uniqueTaskQueue } from '../support/temporal.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(root, 'test', 'security', 'fixtures', 'ovhflow.fixture.ts');
// Resolved from the project, not from the (empty) working directory the process runs in.
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const KEY = randomBytes(32).toString('base64');
const TOKEN = randomBytes(32).toString('base64url');
const SHORT_KEY = randomBytes(16).toString('base64');
/** 32 bytes, but a word typed in and base64-encoded: not a key anyone should trust. */
const PLACEHOLDER_KEY = Buffer.from('changeme'.repeat(4)).toString('base64');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cwd: string;
let devCwd: string;

/**
 * Runs `ovhflow <args>` with exactly `env` (plus PATH and HOME). `readyWhen` marks a process that started: it is
 * then stopped with SIGTERM and its exit awaited.
 */
function ovhflow(args: string[], env: Record<string, string>, options: { cwd?: string; readyWhen?: RegExp } = {}): Promise<Outcome> {
  const dir = options.cwd ?? cwd;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, fixture, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    const ready = () => {
      if (options.readyWhen?.test(stdout + stderr) && child.exitCode === null && !child.killed) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      ready();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      ready();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectRefused(outcome: Outcome, message: string | RegExp, secrets: string[] = []) {
  expect(outcome.code, outcome.stderr + outcome.stdout).toBe(2);
  expect(outcome.stderr).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message);
  for (const secret of secrets) expect(outcome.stdout + outcome.stderr).not.toContain(secret);
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ovhflow-startup-'));
  // A directory where `ovhflow dev` once ran: its generated key is in .data/.
  devCwd = mkdtempSync(join(tmpdir(), 'ovhflow-startup-dev-'));
  mkdirSync(join(devCwd, '.data'));
  writeFileSync(join(devCwd, '.data', 'secret.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
});
afterAll(() => {
  for (const dir of [cwd, devCwd]) if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each case is a Node process compiling the CLI from source: generous timeouts for a busy CI machine.
describe.concurrent('ovhflow worker refuses to start', { timeout: 90_000 }, () => {
  const worker = (env: Record<string, string>, options?: { cwd?: string }) => ovhflow(['worker'], { OVHFLOW_ALLOW_RUNTIME_BUNDLE: '1', ...env }, options);

  it('without an encryption key', async () => {
    expectRefused(await worker({}), 'OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to run a worker outside `ovhflow dev`');
  });

  it("without an encryption key, even where `ovhflow dev` left its key (that key is the dev stack's)", async () => {
    expectRefused(await worker({}, { cwd: devCwd }), 'OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to run a worker');
  });

  it('with a key that is too short or not random, including the old key of a rotation', async () => {
    const [short, placeholder, secondShort] = await Promise.all([
      worker({ OVHFLOW_ENCRYPTION_KEY: SHORT_KEY }),
      worker({ OVHFLOW_ENCRYPTION_KEY: PLACEHOLDER_KEY }),
      // A rotation whose old key was pasted truncated.
      worker({ OVHFLOW_ENCRYPTION_KEY: `new:${KEY},old:${SHORT_KEY}` }),
    ]);
    expectRefused(short, 'OVHFLOW_ENCRYPTION_KEY: key 1: must be at least 32 bytes once base64-decoded (it is 16)', [SHORT_KEY]);
    expectRefused(placeholder, 'OVHFLOW_ENCRYPTION_KEY: key 1: is not random', [PLACEHOLDER_KEY]);
    expectRefused(secondShort, 'OVHFLOW_ENCRYPTION_KEY: key 2: must be at least 32 bytes', [KEY, SHORT_KEY]);
  });

  it('but starts with a good key (and stops on SIGTERM)', async () => {
    const outcome = await ovhflow(['worker'], { OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_WORKFLOW_BUNDLE: inject('workflowBundlePath'), TEMPORAL_TASK_QUEUE: uniqueTaskQueue('startup'), LOG_LEVEL: 'info' }, { readyWhen: /worker ready/ });
    expect(outcome.stdout + outcome.stderr).toContain('worker ready');
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout + outcome.stderr).not.toContain(KEY);
  });
});

describe.concurrent('ovhflow api refuses to start', { timeout: 90_000 }, () => {
  const api = (env: Record<string, string>, args: string[] = [], options?: { cwd?: string; readyWhen?: RegExp }) => ovhflow(['api', '--port', '0', ...args], env, options);

  it('without an encryption key', async () => {
    expectRefused(await api({ OVHFLOW_API_TOKEN: TOKEN }), 'OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to serve the API outside `ovhflow dev`', [TOKEN]);
  });

  it('with a key that is too short', async () => {
    expectRefused(await api({ OVHFLOW_ENCRYPTION_KEY: SHORT_KEY, OVHFLOW_API_TOKEN: TOKEN }), 'OVHFLOW_ENCRYPTION_KEY: key 1: must be at least 32 bytes', [SHORT_KEY, TOKEN]);
  });

  it('with the API token unset, short or weak', async () => {
    const pattern = 'abc123'.repeat(8);
    const [unset, short, patterned] = await Promise.all([
      api({ OVHFLOW_ENCRYPTION_KEY: KEY }),
      api({ OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: 'letmein' }),
      api({ OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: pattern }),
    ]);
    expectRefused(unset, 'OVHFLOW_API_TOKEN: required to serve the HTTP API', [KEY]);
    expectRefused(short, 'OVHFLOW_API_TOKEN: must be at least 32 characters long (it is 7)', ['letmein', KEY]);
    expectRefused(patterned, 'OVHFLOW_API_TOKEN: is too weak', [pattern, KEY]);
  });

  it('with the encryption key reused as the API token', async () => {
    expectRefused(await api({ OVHFLOW_ENCRYPTION_KEY: KEY, OVHFLOW_API_TOKEN: KEY }), 'OVHFLOW_API_TOKEN: must not be the encryption key', [KEY]);
  });

  it("beside `ovhflow dev`'s key, a weak token only while listening on this machine alone", async () => {
    const [exposed, local] = await Promise.all([
      api({ OVHFLOW_API_TOKEN: 'dev' }, ['--host', '0.0.0.0'], { cwd: devCwd }),
      api({ OVHFLOW_API_TOKEN: 'dev' }, ['--host', '127.0.0.1'], { cwd: devCwd, readyWhen: /ovhflow API listening on/ }),
    ]);
    expectRefused(exposed, 'OVHFLOW_API_TOKEN: must be at least 32 characters long (it is 3)');
    expect(local.stdout, JSON.stringify(local)).toMatch(/ovhflow API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(local.code, local.stderr).toBe(0);
  });

});

// The same rules, in process: the cases above need not each cost a process.
describe('the rules behind the startup checks', () => {
  it('keys: at least 32 bytes of base64, random-looking, every key of a keyring', () => {
    expect(() => parseKeyring(`k:${KEY}`)).not.toThrow();
    expect(() => parseKeyring('not-a-key!')).toThrow('key 1: expected [id:]base64');
    expect(() => parseKeyring(Buffer.alloc(32).toString('base64'))).toThrow('key 1: is not random');
    expect(() => parseKeyring(Buffer.from('x'.repeat(64)).toString('base64'))).toThrow('is not random');
    expect(() => parseKeyring(`a:${KEY},b:${PLACEHOLDER_KEY}`)).toThrow('key 2: is not random');
    // 32 random bytes are never refused as "not random".
    for (let i = 0; i < 2000; i++) expect(() => parseKeyring(randomBytes(32).toString('base64'))).not.toThrow();
  });

  it('a key file that cannot be read is named, not guessed at', () => {
    expect(() => loadConfig({ OVHFLOW_ENCRYPTION_KEY_FILE: join(cwd, 'missing.key') })).toThrow(/OVHFLOW_ENCRYPTION_KEY_FILE: cannot read .*missing\.key/);
  });

  it('API tokens: 32 characters or more, no whitespace, not a pattern, not the key', () => {
    expect(apiTokenProblem(TOKEN, { devMode: false })).toBeUndefined();
    expect(apiTokenProblem('x'.repeat(48), { devMode: false })).toMatch(/too weak/);
    expect(apiTokenProblem('abcd'.repeat(10), { devMode: false })).toMatch(/too weak/);
    expect(apiTokenProblem(`${TOKEN} x`, { devMode: false })).toMatch(/spaces/);
    expect(apiTokenProblem('dev', { devMode: true })).toBeUndefined();
    // Random tokens in the usual spellings are never refused as weak (hex has the fewest characters).
    for (let i = 0; i < 2000; i++) {
      expect(apiTokenProblem(randomBytes(16).toString('hex'), { devMode: false })).toBeUndefined();
      expect(apiTokenProblem(randomBytes(24).toString('base64'), { devMode: false })).toBeUndefined();
    }
    const key = Buffer.from(KEY, 'base64');
    expect(tokenReusesKey(KEY, [key])).toBe(true);
    expect(tokenReusesKey(key.toString('base64url'), [key])).toBe(true);
    expect(tokenReusesKey(TOKEN, [key])).toBe(false);
    expect(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0') || isLoopbackHost('192.168.1.10') || isLoopbackHost('::')).toBe(false);
  });
});
