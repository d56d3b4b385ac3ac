// The `ovhflow` command as an operator runs it: `node bin/ovhflow.js ...` in a child process, from a directory with
// no .env or .data, given only the Temporal settings and the payload key. Exit code, stdout and stderr come back as
// they are, so tests assert on exactly what a person (or a script) would see.
//
// The binary runs from dist/: `ensureFreshDist()` compiles it first when it is older than src/ (about 20 s; tsc emits
// even over type errors elsewhere in the tree, and the CLI does not need the workflow bundle).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startTestStack, type TestStack } from './stack.js';
import { createTestWorker, TEST_KEY_BASE64, uniqueTaskQueue } from './temporal.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OVHFLOW_BIN = join(PROJECT_ROOT, 'bin', 'ovhflow.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** How long the command took, in milliseconds. */
  ms: number;
  /** The arguments it was given (when known). */
  args?: string[];
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles dist/ when it is missing or older than src/. */
export async function ensureFreshDist(): Promise<void> {
  const built = join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(PROJECT_ROOT, 'src'))) return;
  await new Promise<void>((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT }, () => resolve());
  });
  if (!existsSync(built)) throw new Error(`could not build ${built} (run \`npm run build\` to see why)`);
}

export interface OvhflowCliOptions {
  temporalAddress: string;
  temporalNamespace: string;
  /** OVHFLOW_ENCRYPTION_KEY: the key the workers encrypt payloads with. */
  encryptionKeyBase64: string;
  /** Deadline per command; a command still running after it is killed and the test fails with what it printed. */
  timeoutMs?: number;
}

export interface OvhflowCli {
  /** Runs `ovhflow ...args` with TEMPORAL_TASK_QUEUE set to `taskQueue`. */
  run(taskQueue: string, ...args: string[]): Promise<CliRun>;
  /** The same, with more environment variables (settings a test turns, such as a short decision timeout). */
  runWithEnv(extraEnv: Record<string, string>, taskQueue: string, ...args: string[]): Promise<CliRun>;
  /** The empty working directory the commands run in. */
  cwd: string;
  dispose(): void;
}

export function ovhflowCli(options: OvhflowCliOptions): OvhflowCli {
  // A directory without .env or .data: nothing there can hand the CLI OVH settings or a key.
  const cwd = mkdtempSync(join(tmpdir(), 'ovhflow-cli-'));
  // The CLI as installed (`npm install -g`, `npm link`): an `ovhflow` link on the PATH, so its hints read `ovhflow ...`.
  // (A clone's `node bin/ovhflow.js`: test/cli/first-hour.test.ts.)
  const installed = join(cwd, '.bin');
  mkdirSync(installed);
  symlinkSync(OVHFLOW_BIN, join(installed, 'ovhflow'));
  const timeoutMs = options.timeoutMs ?? 90_000;
  const cli: OvhflowCli = {
    cwd,
    run: (taskQueue, ...args) => cli.runWithEnv({}, taskQueue, ...args),
    runWithEnv(extraEnv, taskQueue, ...args) {
      const env: Record<string, string> = {
        PATH: `${installed}${delimiter}${process.env.PATH ?? ''}`,
        HOME: cwd,
        TEMPORAL_ADDRESS: options.temporalAddress,
        TEMPORAL_NAMESPACE: options.temporalNamespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OVHFLOW_ENCRYPTION_KEY: options.encryptionKeyBase64,
        LOG_LEVEL: 'warn',
        ...extraEnv,
      };
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(installed, 'ovhflow'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const killer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`ovhflow ${args.join(' ')} still running after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('error', (error) => {
          clearTimeout(killer);
          reject(error);
        });
        child.on('close', (code) => {
          clearTimeout(killer);
          resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started, args });
        });
      });
    },
    dispose: () => rmSync(cwd, { recursive: true, force: true }),
  };
  return cli;
}

/** What a `--json` command printed, parsed; a test fails with the command's output when it is not one JSON value. */
export function parsedJson(run: CliRun): ReturnType<typeof JSON.parse> {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A refused command's stdout: nothing, or — with --json — only the JSON error object a script reads (issue 24). */
export function expectRefusedStdout(run: CliRun): void {
  if (!run.args?.includes('--json')) return void expect(run.stdout, run.args?.join(' ')).toBe('');
  expect(parsedJson(run), run.args.join(' ')).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The run views `status --watch` printed to a pipe: one block per change, each starting with the run's id. */
export function watchedBlocks(stdout: string, workflowId: string): string[] {
  const beforeResult = stdout.split('\nresult:\n')[0] ?? '';
  return beforeResult
    .split(new RegExp(`^(?=${escapeRegExp(workflowId)}  )`, 'm'))
    .map((block) => block.trimEnd())
    .filter((block) => block !== '');
}

export type Ovhflow = (...args: string[]) => Promise<CliRun>;

/** An `ovhflow` on a test's own worker. */
export type OwnOvhflow = Ovhflow & {
  /** The same with more environment variables (a value `--from-env` reads, a setting a test turns). */
  withEnv: (env: Record<string, string>, ...args: string[]) => Promise<CliRun>;
};

export interface CliStack {
  stack: TestStack;
  cli: OvhflowCli;
  /** A worker on a task queue of the calling test's own; the returned `ovhflow` starts its runs on that queue. */
  ownWorker: (name: string) => Promise<OwnOvhflow>;
  /** Stops the workers `ownWorker` started (after each test). */
  stopWorkers: () => Promise<void>;
  close(): Promise<void>;
}

/** A test stack (suite's dev server, real simulator) plus the binary pointed at it, dist/ built first if stale. */
export async function startCliStack(name: string): Promise<CliStack> {
  const building = ensureFreshDist();
  const stack = await startTestStack(name);
  const cli = ovhflowCli({ temporalAddress: stack.t.address, temporalNamespace: stack.t.namespace, encryptionKeyBase64: TEST_KEY_BASE64 });
  await building;
  let stops: Array<() => Promise<void>> = [];
  return {
    stack,
    cli,
    async ownWorker(testName) {
      const taskQueue = uniqueTaskQueue(testName);
      const { worker, close } = await createTestWorker(stack.t, taskQueue, { ovh: stack.ovh });
      const running = worker.run();
      stops.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await close();
      });
      return Object.assign((...args: string[]) => cli.run(taskQueue, ...args), { withEnv: (env: Record<string, string>, ...args: string[]) => cli.runWithEnv(env, taskQueue, ...args) });
    },
    async stopWorkers() {
      const current = stops;
      stops = [];
      for (const stop of current) await stop();
    },
    async close() {
      await stack.close();
      cli.dispose();
    },
  };
}
