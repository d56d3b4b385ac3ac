// The metrics of `ovhflow dev` as an operator reads them: the built binary, a provisioning through the built CLI,
// then a plain HTTP GET of the URL `.data/dev.json` names (what `curl` does). Its OVH calls appear by operation and
// status, the run by kind and outcome, and the Temporal SDK's own metrics beside them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevFacts } from '../../src/cli/commands/dev.js';
import { freePort } from '../../src/temporal/ports.js';
import { ensureFreshDist, OVHFLOW_BIN } from '../support/cli.js';
import { descendantsOf, isAlive, waitFor } from '../support/processes.js';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'ovhflow-dev-metrics-'));
let dev: ChildProcess | undefined;

beforeAll(async () => {
  await ensureFreshDist();
}, 120_000);

afterAll(async () => {
  if (dev?.pid) {
    const family = [dev.pid, ...descendantsOf(dev.pid)];
    dev.kill('SIGINT');
    await waitFor('ovhflow dev to stop', () => family.every((pid) => !isAlive(pid)), 60_000).catch(() => dev?.kill('SIGKILL'));
  }
  rmSync(home, { recursive: true, force: true });
});

/** One sample's value from a Prometheus text exposition, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('ovhflow dev metrics', () => {
  it('serve, at the URL in .data/dev.json, the OVH calls of a provisioning by operation and status, the run by kind and outcome, and the SDK metrics', async () => {
    const ports = { port: await freePort(), ui: await freePort(), api: await freePort(), sim: await freePort(), metrics: await freePort() };
    dev = spawn(
      process.execPath,
      [OVHFLOW_BIN, 'dev', '--port', String(ports.port), '--ui-port', String(ports.ui), '--api-port', String(ports.api), '--sim-port', String(ports.sim), '--metrics-port', String(ports.metrics)],
      { cwd: home, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    let output = '';
    dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const factsFile = join(home, '.data', 'dev.json');
    await waitFor(`dev.json (output so far: ${output})`, () => existsSync(factsFile), 120_000);
    const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as DevFacts;
    expect(facts.metrics.url).toBe(`http://127.0.0.1:${ports.metrics}/metrics`);
    expect(output).toContain(facts.metrics.url);

    const provision = await run(process.execPath, [OVHFLOW_BIN, 'provision', '--service', 'demo-agency.ovh', '--domain', 'blog.example.com', '--module', 'wordpress', '--wait', '--json'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: facts.temporal.address },
      timeout: 120_000,
    });
    expect((JSON.parse(provision.stdout) as { status: string }).status).toBe('completed');

    const answer = await fetch(facts.metrics.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    // Writes the provisioning made, named as in the operations table, with OVH's answer.
    expect(sample(text, 'ovhflow_ovh_requests_total', { account: 'default', operation: 'attachDomain', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ovhflow_ovh_requests_total', { account: 'default', operation: 'installModule', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ovhflow_ovh_request_duration_seconds_count', { account: 'default', operation: 'installModule' })).toBeGreaterThanOrEqual(1);
    // Never a raw path: no label value holds the service or the domain.
    const ovhLines = text.split('\n').filter((line) => line.startsWith('ovhflow_ovh_'));
    expect(ovhLines.length).toBeGreaterThan(0);
    expect(ovhLines.filter((line) => line.includes('demo-agency') || line.includes('blog.example.com') || line.includes('/hosting'))).toEqual([]);
    expect(sample(text, 'ovhflow_runs_finished_total', { kind: 'provision', outcome: 'completed' })).toBe(1);
    expect(sample(text, 'ovhflow_runs_needing_attention', {}) ?? 0).toBe(0);
    // The Temporal SDK's own metrics, through the same endpoint.
    expect(text).toMatch(/^temporal_\w+/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    // The API process's requests by route template (the readiness probe asked nothing: the CLI talks to Temporal).
    expect(text).toContain('# TYPE ovhflow_api_requests_total counter');
  }, 300_000);
});
