// No `temporal` process may outlive whoever started it — not after a crash, not after Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { commandOf, descendantsOf, isAlive, waitFor } from '../support/processes.js';

const root = new URL('../../', import.meta.url).pathname;
const vitest = `${root}node_modules/.bin/vitest`;

function temporalProcessesUnder(pid: number): number[] {
  // The binary itself, not the node guard whose arguments mention it.
  return descendantsOf(pid).filter((p) => {
    const [program, ...args] = commandOf(p).split(' ');
    return /(^|\/)temporal$/.test(program ?? '') && args.slice(0, 2).join(' ') === 'server start-dev';
  });
}

const spawned: ChildProcess[] = [];
afterEach(() => {
  // A failed assertion must not leave the fixtures running.
  for (const child of spawned.splice(0)) child.kill('SIGKILL');
});

describe('the dev server never outlives its parent', () => {
  it('stops temporal when the process that started it is killed with SIGKILL', async () => {
    // One process (no tsx launcher in between), so SIGKILL hits exactly the process that started the server.
    const parent = spawn(process.execPath, ['--import', 'tsx', 'test/foundation/fixtures/start-dev-server.fixture.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    spawned.push(parent);
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the fixture to start a dev server', () => output.includes('READY'), 60_000);
    const temporal = temporalProcessesUnder(parent.pid as number);
    expect(temporal).toHaveLength(1);

    parent.kill('SIGKILL');
    await waitFor('temporal to stop', () => temporal.every((pid) => !isAlive(pid)), 20_000);
  }, 90_000);

  it('stops temporal when a running `vitest` is interrupted with Ctrl-C (SIGINT)', async () => {
    const run = spawn(vitest, ['run', '--config', 'test/foundation/fixtures/interrupted.vitest.config.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
    });
    spawned.push(run);
    let output = '';
    run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the nested test to be running', () => output.includes('NESTED-TEST-RUNNING'), 90_000);
    const temporal = temporalProcessesUnder(run.pid as number);
    expect(temporal).toHaveLength(1);

    run.kill('SIGINT');
    await waitFor('temporal to stop after Ctrl-C', () => temporal.every((pid) => !isAlive(pid)), 30_000);
    await waitFor('vitest to exit', () => run.exitCode !== null || run.signalCode !== null, 30_000);
  }, 150_000);
});
