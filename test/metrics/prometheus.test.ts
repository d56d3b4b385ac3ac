// A real Prometheus (the Debian package's /usr/bin/prometheus) scrapes a real `ovhflow worker` process every second
// during a provisioning, with deploy/prometheus/alerts.yml loaded; the test then asks Prometheus's HTTP API for the
// ovhflow and Temporal SDK metrics it stored. And the deploy/ files pass promtool (as CI runs it).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registry } from '../../src/metrics/registry.js';
import { freePort } from '../../src/temporal/ports.js';
import { ensureFreshDist, OVHFLOW_BIN, PROJECT_ROOT } from '../support/cli.js';
import { waitFor } from '../support/processes.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { TEST_KEY_BASE64 } from '../support/temporal.js';

const run = promisify(execFile);
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const DEPLOY = join(PROJECT_ROOT, 'deploy', 'prometheus');
const SHOP = 'demo-shop.ovh';

let stack: TestStack;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ovhflow-prometheus-'));

beforeAll(async () => {
  for (const binary of [PROMETHEUS, PROMTOOL]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does`);
  }
  await ensureFreshDist();
  stack = await startTestStack('prometheus');
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

async function query(prometheusUrl: string, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const answer = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await answer.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  expect(body.status).toBe('success');
  return body.data.result;
}

describe('Prometheus', () => {
  it('deploy/prometheus passes promtool: the rules, their unit tests and the scrape config', async () => {
    const rules = await run(PROMTOOL, ['check', 'rules', join(DEPLOY, 'alerts.yml')]);
    expect(rules.stdout).toContain('SUCCESS: 6 rules found');
    const tests = await run(PROMTOOL, ['test', 'rules', join(DEPLOY, 'alerts.test.yml')]);
    expect(tests.stdout).toContain('SUCCESS');
    const config = await run(PROMTOOL, ['check', 'config', join(DEPLOY, 'prometheus.yml')]);
    expect(config.stdout).toContain('is valid prometheus config file syntax');
  });

  it('the Grafana dashboard charts only metrics ovhflow or the Temporal SDK export', async () => {
    const dashboard = JSON.parse(readFileSync(join(PROJECT_ROOT, 'deploy', 'grafana', 'ovhflow-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const ours = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
    const used = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/\b((?:ovhflow|temporal)_\w+?)(?:_bucket|_count|_sum)?\b(?=[{[\s)])/g)].map((m) => m[1] as string)));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => name.startsWith('ovhflow_') && !ours.has(name))).toEqual([]);
  });

  it('scrapes `ovhflow worker --metrics-port` during a provisioning and answers its OVH calls, its run and the SDK metrics', async () => {
    const metricsPort = await freePort();
    const worker = spawnLogged(process.execPath, [OVHFLOW_BIN, 'worker', '--metrics-port', String(metricsPort)], {
      PATH: process.env.PATH,
      HOME: dir,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      OVH_ENDPOINT: stack.sim.url,
      OVH_CA_FILE: stack.sim.caFile,
      OVH_APPLICATION_KEY: stack.sim.credentials.applicationKey,
      OVH_APPLICATION_SECRET: stack.sim.credentials.applicationSecret,
      OVH_CONSUMER_KEY: stack.sim.credentials.consumerKey,
      OVHFLOW_ENCRYPTION_KEY: TEST_KEY_BASE64,
      OVHFLOW_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      OVHFLOW_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitFor(`the worker's metrics endpoint (worker output: ${worker.output()})`, () => fetch(metricsUrl).then((r) => r.ok, () => false), 60_000);

    copyFileSync(join(DEPLOY, 'alerts.yml'), join(dir, 'alerts.yml'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files: [alerts.yml]',
        'scrape_configs:',
        '  - job_name: ovhflow-worker',
        `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
        '',
      ].join('\n'),
    );
    const prometheusPort = await freePort();
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const prometheus = spawnLogged(
      PROMETHEUS,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`],
      { PATH: process.env.PATH, HOME: dir },
    );
    await waitFor(`Prometheus to be ready (output: ${prometheus.output()})`, () => fetch(`${prometheusUrl}/-/ready`).then((r) => r.ok, () => false), 60_000);

    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: uniqueDomain('scraped'), database: {}, module: { name: 'wordpress' }, ssl: 'none' }));
    expect((await outcomeOf(stack.runs, ref.workflowId, 120_000)).status).toBe('completed');

    // Scraped every second: the provisioning's calls, named by operation, with OVH's status.
    const attach = await waitFor('Prometheus to hold the attachDomain calls', async () => {
      const result = await query(prometheusUrl, 'sum by (operation, status) (ovhflow_ovh_requests_total{job="ovhflow-worker", operation="attachDomain"})');
      return result.length > 0 ? result : undefined;
    }, 30_000);
    expect(attach).toEqual([{ metric: { operation: 'attachDomain', status: '200' }, value: [expect.any(Number), '1'] }]);
    const finished = await waitFor('the finished run', async () => {
      const result = await query(prometheusUrl, 'ovhflow_runs_finished_total{kind="provision", outcome="completed"}');
      return result.length > 0 ? result : undefined;
    }, 30_000);
    expect(finished[0]?.value[1]).toBe('1');
    expect((await query(prometheusUrl, 'up{job="ovhflow-worker"}'))[0]?.value[1]).toBe('1');
    // The SDK's own metrics, through the same target; with them the "no worker polling" alert is computable.
    expect((await query(prometheusUrl, 'sum(temporal_num_pollers{job="ovhflow-worker"})')).length).toBe(1);
    expect(Number((await query(prometheusUrl, 'sum(ovhflow_ovh_request_duration_seconds_count{job="ovhflow-worker"})'))[0]?.value[1])).toBeGreaterThan(5);

    // The alert rules load in a real Prometheus, and the polling alert is not firing while the worker polls.
    const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string; rules: Array<{ name: string; health: string; state: string }> }> } };
    const group = rules.data.groups.find((g) => g.name === 'ovhflow');
    expect(group?.rules.map((r) => r.name).sort()).toEqual([
      'OvhflowCertificateExpiringSoon',
      'OvhflowNightlyDumpsFailed',
      'OvhflowNoWorkerPolling',
      'OvhflowOvhRateLimited',
      'OvhflowRunNeedsAttention',
      'OvhflowVisibilityUnreadable',
    ]);
    // Before its first scrape Prometheus saw no worker (the rule may start pending); once scraped, it clears.
    await waitFor('the no-worker-polling alert to be inactive while the worker polls', async () => {
      const now = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as typeof rules;
      return now.data.groups.find((g) => g.name === 'ovhflow')?.rules.find((r) => r.name === 'OvhflowNoWorkerPolling')?.state === 'inactive';
    }, 20_000);
  }, 240_000);
});
