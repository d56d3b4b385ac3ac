// A new user's first hour with the binary (issue 24): what a person types in a fresh clone, through `node
// bin/ovhflow.js`, against the suite's Temporal dev server and a real simulator over HTTPS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OVHFLOW_BIN, parsedJson, PROJECT_ROOT, startCliStack, type CliRun, type CliStack } from '../support/cli.js';
import { TEST_KEY_BASE64 } from '../support/temporal.js';

/** Runs the binary with its stdout's reader gone before it writes: what `ovhflow runs | head -1` does to it. */
function withStdoutClosed(env: Record<string, string>, cwd: string, ...args: string[]): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OVHFLOW_BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr, ms: Date.now() - started }));
  });
}

describe("a new user's first hour, through the ovhflow binary", { timeout: 150_000 }, () => {
  let cliStack: CliStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    cliStack = await startCliStack('first-hour');
    env = { TEMPORAL_ADDRESS: cliStack.stack.t.address, TEMPORAL_NAMESPACE: cliStack.stack.t.namespace, TEMPORAL_TASK_QUEUE: cliStack.stack.taskQueue, OVHFLOW_ENCRYPTION_KEY: TEST_KEY_BASE64 };
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  it('ends quietly when the reader of its output goes away (`ovhflow runs | head -1`, `ovhflow --help | head -1`)', async () => {
    for (const args of [['runs'], ['--help'], ['runs', '--json']]) {
      const piped = await withStdoutClosed(env, cliStack.cli.cwd, ...args);
      expect(piped.stderr, args.join(' ')).toBe('');
      expect(piped.code, args.join(' ')).toBe(0);
    }
  });

  it('says its version (--version, -V): the one in package.json', async () => {
    const { version } = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const answer = await cliStack.cli.run(cliStack.stack.taskQueue, flag);
      expect(answer.code, answer.stderr).toBe(0);
      expect(answer.stdout).toBe(`${version}\n`);
    }
    expect((await cliStack.cli.run(cliStack.stack.taskQueue, '--help')).stdout).toContain('-V, --version');
  });

  it('with --json, a refused input is a JSON error object on stdout (exit 2, nothing started), the message still on stderr', async () => {
    const bad = await cliStack.cli.run(cliStack.stack.taskQueue, 'provision', '--service', 'demo-shop.ovh', '--domain', 'shop..example.com', '--db-type', 'oracle', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid input, nothing was started');
    const refused = parsedJson(bad);
    expect(refused.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('invalid input, nothing was started') });
    expect(refused.error.issues.map((issue: { field: string }) => issue.field).sort()).toEqual(['database.type', 'domain']);

    const missing = await cliStack.cli.run(cliStack.stack.taskQueue, 'provision', '--service', 'demo-shop.ovh', '--json');
    expect(missing.code).toBe(2);
    expect(parsedJson(missing)).toEqual({ error: { code: 'usage', message: "required option '--domain <fqdn>' not specified" } });

    const unknownRun = await cliStack.cli.run(cliStack.stack.taskQueue, 'status', 'provision-site/demo-shop.ovh/never.example.com', '--json');
    expect(unknownRun.code).toBe(2);
    expect(parsedJson(unknownRun).error).toMatchObject({ code: 'usage', message: expect.stringContaining('never.example.com') });
    expect(await cliStack.stack.sim.requests()).toEqual([]);
  });
});
