// A run stopped by an injected OVH fault tells a person: the needs-attention gauge rises, and ONE signed
// `run.needs_attention` reaches a real local HTTP receiver — even though that receiver was down when the run stopped
// and only came up later. The operator's abort is not held up by the receiver, and its `run.aborted` arrives too,
// once. Everything real: Temporal dev server, simulator over HTTPS, worker, an HTTP server on a local port.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAttentionGauge } from '../../src/metrics/attention-gauge.js';
import { registry } from '../../src/metrics/registry.js';
import type { NotificationBody } from '../../src/notify/deliver.js';
import type { NotifySettings } from '../../src/notify/settings.js';
import { parseNightlyDumpsInput } from '../../src/shared/inputs/index.js';
import { freePort } from '../../src/temporal/ports.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { waitFor } from '../support/processes.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createTestWorker } from '../support/temporal.js';

const SHOP = 'demo-shop.ovh';
const SECRET = 'test-notify-secret-0123456789abcdef';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A receiver as a user would write one: checks the signature over the raw body before trusting anything. */
function verified(delivery: Received): boolean {
  const expected = `sha256=${createHmac('sha256', SECRET).update(delivery.raw).digest('hex')}`;
  const given = String(delivery.headers['x-ovhflow-signature-256'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function startReceiver(port: number, received: Received[]): Promise<Server> {
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, raw });
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function gaugeValue(kind: string, account: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('ovhflow_runs_needing_attention')?.get();
  return metric?.values.find((v) => v.labels.kind === kind && v.labels.account === account)?.value;
}

let stack: TestStack;
let stopWorker: () => Promise<void>;
let receiverPort: number;
const servers: Server[] = [];
const received: Received[] = [];

beforeAll(async () => {
  stack = await startTestStack('notify');
  receiverPort = await freePort();
  const notify: NotifySettings = {
    secret: SECRET,
    consoleUrl: 'https://ovhflow.example.com',
    targets: [
      { name: 'ops', url: `http://127.0.0.1:${receiverPort}/ops`, events: ['run.needs_attention', 'run.aborted'], format: 'json' },
      // Wants only failures: must receive nothing from a run that needs attention and is aborted.
      { name: 'failures', url: `http://127.0.0.1:${receiverPort}/failures`, events: ['run.failed'], format: 'json' },
    ],
  };
  const { worker, close } = await createTestWorker(stack.t, stack.taskQueue, { ovh: stack.ovh, notify });
  const running = worker.run();
  stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await close();
  };
}, 60_000);

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await stopWorker?.();
  await stack?.close();
});

describe('notifications of a run that needs a person', () => {
  it('raise the gauge and deliver one signed run.needs_attention and one run.aborted to a receiver that was down when the run stopped', async () => {
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400 }]);
    const domain = uniqueDomain('notify');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {}, ssl: 'none' }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention?.step).toBe('createDatabase');

    // The gauge, from Temporal's visibility (as a freshly restarted worker computes it): this run is counted.
    await waitFor('the needs-attention gauge to count the run', async () => {
      await refreshAttentionGauge(stack.t.client, stack.taskQueue);
      return (await gaugeValue('provision', 'default')) === 1;
    }, 30_000);

    // The receiver is down: the delivery fails and is retried by the notification's own workflow.
    await waitFor('a failed delivery attempt', async () => {
      const metric = await registry.getSingleMetric('ovhflow_notifications_total')?.get();
      return (metric?.values.find((v) => v.labels.event === 'run.needs_attention' && v.labels.result === 'failed')?.value ?? 0) >= 1;
    }, 30_000);

    // The operator aborts while the receiver is still down: the run ends at once, not held up by its notifications.
    const abortedAt = Date.now();
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId, 30_000)).status).toBe('aborted');
    expect(Date.now() - abortedAt).toBeLessThan(15_000);
    await waitFor('the gauge to drop back', async () => {
      await refreshAttentionGauge(stack.t.client, stack.taskQueue, new Set([JSON.stringify(['provision', 'default'])]));
      return (await gaugeValue('provision', 'default')) === 0;
    }, 30_000);

    // The receiver comes up: both notifications arrive, each once, signed.
    servers.push(await startReceiver(receiverPort, received));
    await waitFor('both notifications', () => received.filter((r) => r.path === '/ops').length >= 2, 90_000);
    // Past the next retries: nothing is sent again.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(received.map((r) => r.path).sort()).toEqual(['/ops', '/ops']);

    const bodies = received.map((r) => {
      expect(verified(r), `signature of ${r.raw}`).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.raw) as NotificationBody;
      expect(r.headers['x-ovhflow-delivery']).toBe(body.deliveryId);
      expect(r.headers['x-ovhflow-event']).toBe(body.event);
      return body;
    });
    const attention = bodies.find((b) => b.event === 'run.needs_attention');
    expect(attention).toMatchObject({
      runId: ref.workflowId,
      kind: 'provision',
      account: 'default',
      step: 'createDatabase',
      consoleUrl: `https://ovhflow.example.com/console/run?id=${encodeURIComponent(ref.workflowId)}`,
    });
    expect(attention?.deliveryId).toMatch(new RegExp(`^${ref.workflowId}/[\\w-]+/run\\.needs_attention/1$`));
    expect(attention?.queryId).toEqual(view.progress?.attention?.queryId ?? null);
    expect(attention?.message).toBe(view.progress?.attention?.message);
    const aborted = bodies.find((b) => b.event === 'run.aborted');
    expect(aborted).toMatchObject({ runId: ref.workflowId, kind: 'provision', step: 'createDatabase' });
    expect(aborted?.deliveryId).not.toBe(attention?.deliveryId);
    // The notifications' own workflows completed; they are not runs: runs_finished counts the aborted provisioning only.
    await waitFor('both notification workflows to complete', async () => {
      let completed = 0;
      for await (const _ of stack.t.client.workflow.list({ query: `WorkflowType = 'deliverNotification' AND TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Completed'` })) completed += 1;
      return completed === 2;
    }, 30_000);
    const finished = (await registry.getSingleMetric('ovhflow_runs_finished_total')?.get())?.values ?? [];
    expect(finished.map((v) => v.labels)).toEqual([{ kind: 'provision', outcome: 'aborted' }]);
    expect(finished[0]?.value).toBe(1);
    // A tampered body would not verify.
    expect(verified({ ...received[0]!, raw: received[0]!.raw.replace('provision', 'decommission') })).toBe(false);
  }, 180_000);

  it('deliver one run.failed, to the receiver that wants failures only, when a nightly run cannot list the services', async () => {
    await stack.sim.faults([{ method: 'GET', path: '/hosting/web', status: 403 }]);
    const parsed = parseNightlyDumpsInput({});
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const ref = await stack.runs.start('nightly', parsed.value, { requestId: `${2100 + Math.floor(Math.random() * 800)}-01-${String(Math.floor(Math.random() * 28) + 1).padStart(2, '0')}` });
    const view = await outcomeOf(stack.runs, ref.workflowId, 60_000);
    expect(view.status).toBe('failed');
    const failures = await waitFor('the run.failed notification', () => {
      const found = received.filter((r) => r.path === '/failures');
      return found.length > 0 ? found : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(received.filter((r) => r.path === '/failures')).toHaveLength(1);
    expect(verified(failures[0]!)).toBe(true);
    const body = JSON.parse(failures[0]!.raw) as NotificationBody;
    expect(body).toMatchObject({ event: 'run.failed', runId: ref.workflowId, kind: 'nightly', account: 'default' });
    expect(body.message).toContain('cannot list the hosting services');
    // The other receiver wants needs-attention and aborts only: it got nothing more.
    expect(received.filter((r) => r.path === '/ops')).toHaveLength(2);
  }, 120_000);
});
