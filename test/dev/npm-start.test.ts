// `npm start` as a user runs it: the built `ovhflow dev` from an empty data folder, a demo provisioning through the
// built CLI, Ctrl-C, and a second start that still knows the first run.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevFacts } from '../../src/cli/commands/dev.js';
import { freePort } from '../../src/temporal/ports.js';
import { descendantsOf, isAlive, waitFor } from '../support/processes.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'ovhflow.js');
const home = mkdtempSync(join(tmpdir(), 'ovhflow-dev-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

async function startDev() {
  const ports = { port: await freePort(), ui: await freePort(), api: await freePort(), sim: await freePort() };
  const child = spawn(process.execPath, [bin, 'dev', '--port', String(ports.port), '--ui-port', String(ports.ui), '--api-port', String(ports.api), '--sim-port', String(ports.sim)], {
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const factsFile = join(home, '.data', 'dev.json');
  await waitFor(`dev.json (output so far: ${output})`, () => existsSync(factsFile), 120_000);
  const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as DevFacts;
  return { child, facts, output: () => output, factsFile };
}

function cli(args: string[], facts: DevFacts) {
  return run(process.execPath, [bin, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: facts.temporal.address },
    timeout: 120_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr }),
  );
}

describe('npm start (ovhflow dev)', () => {
  it('starts everything from an empty .data, runs a demo provisioning, stops cleanly on Ctrl-C, and keeps runs across restarts', async () => {
    const first = await startDev();
    expect(first.facts.simulator?.services).toContain('demo-agency.ovh');
    expect(first.facts.api.token.length).toBeGreaterThanOrEqual(32);
    expect(first.output()).toContain('ovhflow is running');

    const provision = await cli(['provision', '--service', 'demo-agency.ovh', '--domain', 'blog.example.com', '--module', 'wordpress', '--wait', '--json'], first.facts);
    expect(provision.code, provision.stdout).toBe(0);
    const view = JSON.parse(provision.stdout) as { workflowId: string; status: string; result: { module: { url: string } } };
    expect(view.status).toBe('completed');
    expect(view.result.module.url).toBe('https://blog.example.com/');

    // The HTTP API sees the same run.
    const answer = await fetch(`${first.facts.api.url}/v1/runs/${encodeURIComponent(view.workflowId)}`, { headers: { authorization: `Bearer ${first.facts.api.token}` } });
    expect(answer.status).toBe(200);

    const family = [first.child.pid as number, ...descendantsOf(first.child.pid as number)];
    expect(family.length).toBeGreaterThanOrEqual(4); // ovhflow, guard + temporal, guard + simulator
    first.child.kill('SIGINT');
    await waitFor('every process of the first start to stop', () => family.every((pid) => !isAlive(pid)), 60_000);
    expect(first.child.exitCode).toBe(0);
    expect(existsSync(first.factsFile)).toBe(false);

    const second = await startDev();
    const runs = await cli(['runs', '--type', 'provision', '--json'], second.facts);
    expect(runs.code, runs.stdout).toBe(0);
    expect((JSON.parse(runs.stdout) as Array<{ workflowId: string; status: string }>).find((r) => r.workflowId === view.workflowId)).toMatchObject({ status: 'completed' });
    const secondFamily = [second.child.pid as number, ...descendantsOf(second.child.pid as number)];
    second.child.kill('SIGINT');
    await waitFor('every process of the second start to stop', () => secondFamily.every((pid) => !isAlive(pid)), 60_000);
  }, 300_000);
});
