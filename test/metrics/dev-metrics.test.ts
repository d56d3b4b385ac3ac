// The metrics of `ovhflow dev` as an operator reads them: the built binary, a provisioning through the built CLI,
// then a plain HTTP GET of the URL `.data/dev.json` names (what `curl` does). Its OVH calls appear by operation and
// status, the run by kind and outcome, and the Temporal SDK's own metrics beside them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/temporal/ports.js';
import { DevStarts, devCli, type DevStart } from '../support/dev-start.js';

const home = mkdtempSync(join(tmpdir(), 'ovhflow-dev-metrics-'));
const starts = new DevStarts();
starts.folders.push(home);
let dev: DevStart | undefined;

afterAll(async () => {
  if (dev) await starts.stop(dev).catch(() => undefined);
  starts.cleanUp();
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
    const metricsPort = await freePort();
    dev = await starts.start(home, ['--metrics-port', String(metricsPort)]);
    const { facts } = dev;
    expect(facts.metrics.url).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(dev.output()).toContain(facts.metrics.url);

    const provision = await devCli(['provision', '--service', 'demo-agency.ovh', '--domain', 'blog.example.com', '--module', 'wordpress', '--wait', '--json'], facts, home);
    expect(provision.code, provision.stdout).toBe(0);
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
