// `npm start` as a user runs it, for the tests that follow the README: the built `ovhflow dev` started in a folder
// (free ports instead of the README's defaults), and the built CLI run against it from that folder.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DevFacts } from '../../src/cli/commands/dev.js';
import { freePort } from '../../src/temporal/ports.js';
import { ensureFreshDist } from './cli.js';
import { descendantsOf, isAlive, waitFor } from './processes.js';

export const run = promisify(execFile);
export const root = new URL('../../', import.meta.url).pathname;
export const bin = join(root, 'bin', 'ovhflow.js');

export interface DevStart {
  child: ChildProcess;
  facts: DevFacts;
  output: () => string;
  factsFile: string;
}

/** What a file started (processes, folders): `cleanUp` in its afterAll. */
export class DevStarts {
  private readonly children: ChildProcess[] = [];
  readonly folders: string[] = [];

  /** `ovhflow dev` in `cwd` (more flags in `extraArgs`), once its `.data/dev.json` is written. */
  async start(cwd: string, extraArgs: string[] = []): Promise<DevStart> {
    await ensureFreshDist();
    const ports = { port: await freePort(), ui: await freePort(), api: await freePort(), sim: await freePort() };
    const child = spawn(process.execPath, [bin, 'dev', '--port', String(ports.port), '--ui-port', String(ports.ui), '--api-port', String(ports.api), '--sim-port', String(ports.sim), ...extraArgs], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    this.children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const factsFile = join(cwd, '.data', 'dev.json');
    await waitFor(`dev.json (output so far: ${output})`, () => existsSync(factsFile), 120_000);
    const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as DevFacts;
    return { child, facts, output: () => output, factsFile };
  }

  /** Ctrl-C, as a user stops it: resolves once it and every process it started are gone. */
  async stop(start: DevStart, timeoutMs = 60_000): Promise<void> {
    const family = [start.child.pid as number, ...descendantsOf(start.child.pid as number)];
    start.child.kill('SIGINT');
    await waitFor('every process of `ovhflow dev` to stop', () => family.every((pid) => !isAlive(pid)), timeoutMs);
  }

  cleanUp(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const dir of this.folders) rmSync(dir, { recursive: true, force: true });
  }
}

/** The built CLI, as a user runs it from `cwd` against that start's Temporal. */
export function devCli(args: string[], facts: DevFacts, cwd: string, env: Record<string, string> = {}) {
  return run(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: facts.temporal.address, ...env },
    timeout: 120_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr }),
  );
}
