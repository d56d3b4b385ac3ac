// A new user's first hour with the binary (issue 24): what a person types in a fresh clone, through `node
// bin/ovhflow.js`, against the suite's Temporal dev server and a real simulator over HTTPS.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OVHFLOW_BIN, parsedJson, PROJECT_ROOT, startCliStack, type CliRun, type CliStack } from '../support/cli.js';
import { TEST_KEY_BASE64 } from '../support/temporal.js';

/** A command line as a person's shell runs it (`bash -c`), in `cwd`, with the test's Temporal settings. */
function shell(commandLine: string, cwd: string, env: Record<string, string>): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', commandLine], { cwd, env: { HOME: cwd, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The `then:` line of a run that needs attention, split into its commands (`[--set key=value]` left out). */
function suggested(stdout: string): string[] {
  const line = /^ {4}then: (.*)$/m.exec(stdout)?.[1];
  if (!line) throw new Error(`no "then:" line in:\n${stdout}`);
  return line.split('  |  ').map((command) => command.replace(/ \[--set key=value\]$/, '').replace(/ \(re-check now\)$/, ''));
}

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

  it('hints are commands that run as printed: `node bin/ovhflow.js ...` in a clone, `ovhflow ...` when installed on the PATH', async () => {
    const { stack } = cliStack;
    // The printed commands must reach these runs' task queue, and its worker: the stack's own.
    const worker = await stack.startWorker();
    const ovhflow = (...args: string[]) => cliStack.cli.run(stack.taskQueue, ...args);
    await stack.sim.reset();
    // Two runs stop at the database: one for each way of typing the CLI.
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400, times: 2 }]);
    const ids: string[] = [];
    for (const name of ['hint-clone', 'hint-installed']) {
      const started = parsedJson(await ovhflow('provision', '--service', 'demo-shop.ovh', '--domain', `${name}-${Date.now()}.example.com`, '--json'));
      ids.push(started.workflowId as string);
    }
    const [inClone, installed] = ids as [string, string];
    for (const id of ids) await expect.poll(async () => (await stack.runs.describeRun(id)).status, { timeout: 60_000, interval: 250 }).toBe('needs-attention');
    const env = { PATH: process.env.PATH ?? '', TEMPORAL_ADDRESS: stack.t.address, TEMPORAL_NAMESPACE: stack.t.namespace, TEMPORAL_TASK_QUEUE: stack.taskQueue, OVHFLOW_ENCRYPTION_KEY: TEST_KEY_BASE64 };

    // A clone: a project folder where the README types `node bin/ovhflow.js`.
    const project = mkdtempSync(join(tmpdir(), 'ovhflow-clone-'));
    const pathDir = mkdtempSync(join(tmpdir(), 'ovhflow-installed-'));
    try {
      symlinkSync(join(PROJECT_ROOT, 'bin'), join(project, 'bin'));
      const status = await shell(`node bin/ovhflow.js status ${inClone}`, project, env);
      expect(status.code, status.stderr).toBe(1);
      expect(suggested(status.stdout)).toEqual([`node bin/ovhflow.js retry ${inClone}`, `node bin/ovhflow.js skip ${inClone}`, `node bin/ovhflow.js abort ${inClone}`]);
      // There is no `ovhflow` on a clone's PATH: the hint must not need one.
      expect((await shell('command -v ovhflow', project, env)).code).not.toBe(0);
      const retry = await shell(suggested(status.stdout)[0] as string, project, env);
      expect(retry.code, retry.stderr).toBe(0);
      expect(retry.stdout).toBe(`retry accepted for step createDatabase of ${inClone}\n`);
      await expect.poll(async () => (await stack.runs.describeRun(inClone)).status, { timeout: 60_000, interval: 250 }).toBe('completed');

      // Installed: an `ovhflow` link on the PATH (what npm install -g / npm link make).
      mkdirSync(join(pathDir, 'bin'));
      symlinkSync(join(PROJECT_ROOT, 'bin', 'ovhflow.js'), join(pathDir, 'bin', 'ovhflow'));
      const installedEnv = { ...env, PATH: `${join(pathDir, 'bin')}${delimiter}${env.PATH}` };
      const shown = await shell(`ovhflow status ${installed}`, cliStack.cli.cwd, installedEnv);
      expect(shown.code, shown.stderr).toBe(1);
      expect(suggested(shown.stdout)).toEqual([`ovhflow retry ${installed}`, `ovhflow skip ${installed}`, `ovhflow abort ${installed}`]);
      const abort = await shell(suggested(shown.stdout)[2] as string, cliStack.cli.cwd, installedEnv);
      expect(abort.code, abort.stderr).toBe(0);
      expect(abort.stdout).toBe(`abort accepted for step createDatabase of ${installed}\n`);
      await expect.poll(async () => (await stack.runs.describeRun(installed)).status, { timeout: 60_000, interval: 250 }).toBe('aborted');
      // The steps it never reached say they will not run, not that they wait their turn.
      const ended = await ovhflow('status', installed);
      expect(ended.code).toBe(1);
      expect(ended.stdout).toMatch(/· Install the module +will not run/);
      expect(ended.stdout).toMatch(/· Turn on HTTPS +will not run/);
      expect(ended.stdout).not.toMatch(/ pending /);

      // Started by its path from elsewhere: the same path, which runs from anywhere.
      const elsewhere = await shell(`node ${OVHFLOW_BIN} provision --service demo-shop.ovh --domain elsewhere-${Date.now()}.example.com --no-database --ssl none`, cliStack.cli.cwd, env);
      expect(elsewhere.code, elsewhere.stderr).toBe(0);
      expect(elsewhere.stdout).toMatch(new RegExp(`^follow it with: node ${OVHFLOW_BIN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} status \\S+ --watch$`, 'm'));
    } finally {
      await worker.stop();
      rmSync(project, { recursive: true, force: true });
      rmSync(pathDir, { recursive: true, force: true });
    }
  });

  it("a step waiting for its OVH task says which check it is at once, and another step never shows that task", async () => {
    const { stack } = cliStack;
    const worker = await stack.startWorker();
    const ovhflow = (...args: string[]) => cliStack.cli.run(stack.taskQueue, ...args);
    try {
      await stack.sim.reset();
      // A module that takes a while to install: the run (the CLI's own poll schedule) checks on it several times.
      await stack.sim.config({ taskDurationMs: { default: 60, 'module/install': 9_000 } });
      const started = parsedJson(await ovhflow('provision', '--service', 'demo-shop.ovh', '--domain', `checks-${Date.now()}.example.com`, '--module', 'wordpress', '--json'));
      const id = started.workflowId as string;
      const seen: string[] = [];
      for (;;) {
        const status = await ovhflow('status', id);
        const lines = status.stdout.split('\n');
        const waiting = lines.find((line) => /Install the module +(waiting-for-ovh-task|running)/.test(line) && line.includes('waiting for'));
        if (waiting) seen.push(waiting);
        // Whatever step is on: no other step speaks of the module's task.
        for (const line of lines.filter((l) => /^ {2}\S+ (Turn on HTTPS|Create the database|Attach the domain)/.test(l))) expect(line).not.toMatch(/module\/install/);
        if (status.code !== 0 || /COMPLETED/.test(status.stdout.split('\n')[0] ?? '')) break;
      }
      expect((await stack.runs.describeRun(id)).status).toBe('completed');
      // The wait was seen, with what the check said; each line counts its checks once and never contradicts itself.
      expect(seen.some((line) => /— .*(first check|check \d)/.test(line)), seen.join('\n')).toBe(true);
      for (const line of seen) {
        expect(line).not.toMatch(/first check in [\d.]+ s \(check/);
        expect(line.match(/\(check \d+\)/g)?.length ?? 0, line).toBeLessThanOrEqual(1);
      }
    } finally {
      await stack.sim.config({ taskDurationMs: { default: 60 } });
      await worker.stop();
    }
  });

  it('a mistyped service is refused before anything starts (exit 2, the reason on the serviceName field); a run stopped at preflight offers only the decisions it takes', async () => {
    const { stack } = cliStack;
    const worker = await stack.startWorker();
    const ovhflow = (...args: string[]) => cliStack.cli.run(stack.taskQueue, ...args);
    try {
      const domain = `typo-${Date.now()}.example.com`;
      const [human, machine] = [await ovhflow('provision', '--service', 'nope.ovh', '--domain', domain), await ovhflow('provision', '--service', 'nope.ovh', '--domain', domain, '--json')];
      expect(human.code).toBe(2);
      expect(human.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\nserviceName: no hosting service nope\.ovh in account \S+/);
      expect(machine.code).toBe(2);
      expect(parsedJson(machine).error).toMatchObject({ code: 'invalid_input', issues: [{ field: 'serviceName', message: expect.stringContaining('no hosting service nope.ovh in account') }] });
      await expect(stack.runs.describeRun(`provision-site/nope.ovh/${domain}`)).rejects.toThrow(/no run/);
      // The service that exists starts as before.
      const fine = await ovhflow('provision', '--service', 'demo-shop.ovh', '--domain', `fine-${Date.now()}.example.com`, '--no-database', '--ssl', 'none', '--json');
      expect(fine.code, fine.stderr).toBe(0);

      // A caller that did not check (the run service) gets a run stopped at preflight: it can be retried or aborted,
      // and only that is offered — skipping the preflight would be refused.
      const stopped = await stack.runs.start('provision', { serviceName: 'nope.ovh', domain, path: domain, ssl: { mode: 'none' } });
      await expect.poll(async () => (await stack.runs.describeRun(stopped.workflowId)).status, { timeout: 60_000, interval: 250 }).toBe('needs-attention');
      const status = await ovhflow('status', stopped.workflowId);
      expect(status.stdout).toContain('NEEDS ATTENTION at step preflight');
      expect(suggested(status.stdout)).toEqual([`ovhflow retry ${stopped.workflowId}`, `ovhflow abort ${stopped.workflowId}`]);
      expect(parsedJson(await ovhflow('status', stopped.workflowId, '--json')).decisions).toEqual(['retry', 'abort']);
      expect((await ovhflow('abort', stopped.workflowId)).code).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});
