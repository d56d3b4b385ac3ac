// The production worker as it runs in the image: `node bin/ovhflow.js worker` from the built project (dist/ and the
// pre-built workflow bundle), configured only by environment, against the suite's dev server and a real simulator.
// Needs `npm run build` (CI's `npm ci` runs it through `prepare`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createRunService, type RunService } from '../../src/runs/service.js';
import { productionWorkflowBundle } from '../../src/cli/commands/worker.js';
import { freePort } from '../../src/temporal/ports.js';
import { provisionInput } from '../support/provisioning.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { FAST_POLL, outcomeOf } from '../support/stack.js';
import { connectTestTemporal, TEST_KEYRING, uniqueTaskQueue, type TestTemporal } from '../support/temporal.js';
import { waitFor } from '../support/processes.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const builtBundle = join(root, 'dist', 'workflow-bundle.js');
const SHOP = 'demo-shop.ovh';

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  identity: string;
  healthPort: number;
  output(): string;
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('the production worker process (`ovhflow worker` from the built bundle)', () => {
  let t: TestTemporal;
  let sim: TestSimulator;
  let cwd: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js')) || !existsSync(builtBundle)) {
      throw new Error('the project is not built: run `npm run build` first (CI runs it through `npm ci`)');
    }
    t = await connectTestTemporal();
    // Attaching a domain takes 2.5 s at "OVH": long enough to stop a worker while runs are in flight.
    sim = await startTestSimulator({ taskDurationMs: { default: 60, 'attachedDomain/create': 2500 } });
    // An empty working directory: no developer's .env can leak into the worker.
    cwd = mkdtempSync(join(tmpdir(), 'ovhflow-worker-cwd-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sim?.stop();
    await t?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  async function startWorker(taskQueue: string, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
    const healthPort = await freePort();
    let output = '';
    const child = spawn(process.execPath, [join(root, 'bin', 'ovhflow.js'), 'worker'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: cwd,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        OVH_ENDPOINT: sim.url,
        OVH_CA_FILE: sim.caFile,
        OVH_APPLICATION_KEY: sim.credentials.applicationKey,
        OVH_APPLICATION_SECRET: sim.credentials.applicationSecret,
        OVH_CONSUMER_KEY: sim.credentials.consumerKey,
        OVHFLOW_ENCRYPTION_KEY: TEST_KEYRING.active.key.toString('base64'),
        OVHFLOW_WORKER_HEALTH_PORT: String(healthPort),
        OVHFLOW_WORKER_HEALTH_HOST: '127.0.0.1',
        OVHFLOW_SHUTDOWN_GRACE_SECONDS: '20',
        OVHFLOW_TASK_QUEUE_ACTIVITIES_PER_SECOND: '50',
        OVHFLOW_MAX_CONCURRENT_ACTIVITIES: '8',
        LOG_LEVEL: 'info',
        ...extraEnv,
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    children.push(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const pid = child.pid as number;
    return {
      child,
      pid,
      identity: `ovhflow-worker@${hostname()}:${pid}`,
      healthPort,
      output: () => output,
      logLines: () =>
        output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      exited,
    };
  }

  async function health(worker: WorkerProcess, path: '/healthz' | '/readyz'): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${worker.healthPort}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function ready(worker: WorkerProcess): Promise<void> {
    await waitFor(
      `worker ${worker.pid} to be ready`,
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`worker exited with ${worker.child.exitCode}:\n${worker.output()}`);
        return (await health(worker, '/readyz').catch(() => ({ status: 0 }))).status === 200;
      },
      30_000,
    );
  }

  function runServiceFor(taskQueue: string): RunService {
    // The same keyring as the worker's: the client encrypts what the worker decrypts.
    return createRunService({ client: t.client, taskQueue, settings: { poll: FAST_POLL } });
  }

  it('runs a provisioning from the pre-built bundle, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const taskQueue = uniqueTaskQueue('prod-worker');
    const worker = await startWorker(taskQueue);
    await ready(worker);
    expect(await health(worker, '/healthz')).toEqual({ status: 200, body: { status: 'live', state: 'RUNNING' } });
    expect(await health(worker, '/readyz')).toEqual({ status: 200, body: { status: 'ready', state: 'RUNNING', taskQueue } });
    const readyLine = worker.logLines().find((line) => line.msg === 'worker ready');
    expect(readyLine).toMatchObject({ taskQueue, bundle: builtBundle });
    expect(worker.logLines().find((line) => line.msg === 'worker settings')).toMatchObject({
      maxTaskQueueActivitiesPerSecond: 50,
      maxConcurrentActivityTaskExecutions: 8,
      shutdownGraceTime: 20_000,
      // A dead worker's cached runs wait 3 s, not the SDK's 10 s, before another worker takes them.
      stickyQueueScheduleToStartTimeout: 3_000,
      rateLimitScope: 'process',
    });

    const domain = `www.prod-${Date.now().toString(36)}.example.org`;
    const runs = runServiceFor(taskQueue);
    const ref = await runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'none' } }));
    const view = await outcomeOf(runs, ref.workflowId, 30_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect((await sim.state()).services[SHOP]?.attachedDomains.find((d) => d.domain === domain)).toMatchObject({ status: 'created' });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.logLines().map((line) => line.msg)).toContain('worker stopped');
  }, 60_000);

  it('two workers share a batch; one stopped with SIGTERM mid-batch, the other finishes every run, each domain attached once', async () => {
    const taskQueue = uniqueTaskQueue('prod-batch');
    const [stopping, staying] = await Promise.all([startWorker(taskQueue), startWorker(taskQueue)]);
    await Promise.all([ready(stopping), ready(staying)]);

    const runs = runServiceFor(taskQueue);
    const batch = `batch-${Date.now().toString(36)}`;
    const domains = Array.from({ length: 6 }, (_, i) => `site${i + 1}.${batch}.example.org`);
    const refs = await Promise.all(domains.map((domain) => runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'none' } }))));

    // Mid-batch: every run has asked OVH to attach its domain, and the attach tasks (2.5 s) are still running.
    await waitFor(
      'every run to have attached its domain at OVH',
      async () => {
        const attached = (await sim.requests()).filter((r) => r.method === 'POST' && r.path === `/hosting/web/${SHOP}/attachedDomain` && domains.includes((r.body as { domain: string }).domain));
        return attached.length === domains.length;
      },
      20_000,
    );
    const stoppedAt = Date.now();
    stopping.child.kill('SIGTERM');
    // Readiness drops as soon as shutdown starts, so a load balancer stops routing to it.
    await waitFor('the stopping worker to report not ready', async () => (await health(stopping, '/readyz').catch(() => ({ status: 503 }))).status === 503, 5_000);
    expect(await stopping.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);

    const views = await Promise.all(refs.map((ref) => outcomeOf(runs, ref.workflowId, 45_000)));
    expect(views.map((view) => view.status)).toEqual(domains.map(() => 'completed'));

    const requests = await sim.requests();
    for (const domain of domains) {
      const attaches = requests.filter((r) => r.method === 'POST' && r.path === `/hosting/web/${SHOP}/attachedDomain` && (r.body as { domain: string }).domain === domain);
      expect(attaches.map((r) => r.status), domain).toEqual([200]);
    }
    const state = (await sim.state()).services[SHOP];
    expect(domains.map((domain) => state?.attachedDomains.filter((d) => d.domain === domain).length)).toEqual(domains.map(() => 1));

    // Both workers worked on the batch, and the one that stayed finished every run.
    const identitiesByRun = await Promise.all(
      refs.map(async (ref) => {
        const history = await t.client.workflow.getHandle(ref.workflowId).fetchHistory();
        const identities = new Set<string>();
        for (const event of history.events ?? []) {
          const identity =
            event.workflowTaskStartedEventAttributes?.identity ?? event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
          if (identity) identities.add(identity);
        }
        return identities;
      }),
    );
    expect(identitiesByRun.some((ids) => ids.has(stopping.identity))).toBe(true);
    expect(identitiesByRun.every((ids) => ids.has(staying.identity))).toBe(true);

    staying.child.kill('SIGTERM');
    expect(await staying.exited).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('refuses to start on a bad TLS setting, naming it, before connecting anywhere', async () => {
    const worker = await startWorker(uniqueTaskQueue('prod-bad-tls'), { TEMPORAL_TLS_CERT: join(cwd, 'missing-client.pem'), TEMPORAL_TLS_KEY: join(cwd, 'missing-client.key') });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    expect(worker.output()).toContain(`TEMPORAL_TLS_CERT: cannot read ${join(cwd, 'missing-client.pem')} (no such file)`);
    expect(worker.output()).toContain(`TEMPORAL_TLS_KEY: cannot read ${join(cwd, 'missing-client.key')} (no such file)`);
  }, 30_000);

  it('never bundles the workflows at start unless OVHFLOW_ALLOW_RUNTIME_BUNDLE=1', () => {
    const missing = join(cwd, 'no-such-bundle.js');
    expect(() => productionWorkflowBundle({ allowRuntimeBundle: false }, missing)).toThrow(ConfigError);
    expect(() => productionWorkflowBundle({ allowRuntimeBundle: false }, missing)).toThrow(/no pre-built workflow bundle at .*npm run build.*OVHFLOW_ALLOW_RUNTIME_BUNDLE=1/s);
    expect(productionWorkflowBundle({ allowRuntimeBundle: true }, missing)).toBeUndefined();
    expect(productionWorkflowBundle({ allowRuntimeBundle: false }, builtBundle)).toBe(builtBundle);
    expect(() => productionWorkflowBundle({ allowRuntimeBundle: true, workflowBundlePath: missing })).toThrow(`OVHFLOW_WORKFLOW_BUNDLE: ${missing} does not exist`);
  });
});
