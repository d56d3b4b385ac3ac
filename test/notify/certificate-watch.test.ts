// The certificate watch as it runs in production: its schedule, triggered, reads which domains the hosting's
// certificate covers from OVH (the simulator) and the expiry of the certificate each domain serves over a real TLS
// handshake (a local TLS server presents a certificate for the site's domain that expires in 5 days); the expiry
// reaches the metric, and one signed `certificate.expiring` reaches a real local receiver, naming the missed renewal.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsCertificateProbe } from '../../src/activities/certificate-watch.js';
import { registry } from '../../src/metrics/registry.js';
import type { NotificationBody } from '../../src/notify/deliver.js';
import { upsertCertificateWatchSchedule } from '../../src/schedules/certificate-watch.js';
import type { CertificateWatchResult } from '../../src/shared/certificate-watch.js';
import { freePort } from '../../src/temporal/ports.js';
import { waitFor } from '../support/processes.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createTestWorker } from '../support/temporal.js';

const SHOP = 'demo-shop.ovh';
const SECRET = 'certificate-watch-test-secret-000';
const DAY = 24 * 3600 * 1000;

let stack: TestStack;
let stopWorker: () => Promise<void>;
let receiver: Server;
let tls: TlsServer;
const received: Array<{ raw: string; signature: string }> = [];
const scheduleId = `test-certificate-watch-${Date.now()}`;
const domain = uniqueDomain('cert');

beforeAll(async () => {
  stack = await startTestStack('certwatch');
  const receiverPort = await freePort();
  receiver = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      received.push({ raw, signature: String(request.headers['x-ovhflow-signature-256']) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
  // The site's certificate as a visitor would get it: issued yesterday, expiring in 5 days.
  const pems = await selfsigned.generate([{ name: 'commonName', value: domain }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + 5 * DAY),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: domain }] }],
  });
  tls = createTlsServer({ key: pems.private, cert: pems.cert });
  const tlsPort = await freePort();
  await new Promise<void>((resolve) => tls.listen(tlsPort, '127.0.0.1', resolve));
  const { worker, close } = await createTestWorker(stack.t, stack.taskQueue, {
    ovh: stack.ovh,
    notify: { secret: SECRET, targets: [{ name: 'ops', url: `http://127.0.0.1:${receiverPort}/`, events: ['certificate.expiring'], format: 'json' }] },
    // DNS is the only thing replaced: the handshake (SNI = the domain) is real.
    certificateProbe: tlsCertificateProbe(() => ({ host: '127.0.0.1', port: tlsPort })),
  });
  const running = worker.run();
  stopWorker = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await close();
  };
}, 60_000);

afterAll(async () => {
  await stack?.t.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stopWorker?.();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise((resolve) => tls?.close(resolve));
  await stack?.close();
});

describe('the certificate watch', () => {
  it("reads each covered domain's served certificate, sets the metric and notifies once that a Let's Encrypt renewal did not happen", async () => {
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain }));
    expect((await outcomeOf(stack.runs, ref.workflowId, 120_000)).status).toBe('completed');
    // OVH's 2026 API: the site's own certificate, per domain (the hosting-wide one covers only what has none).
    const own = ((await stack.sim.state()).services[SHOP] as unknown as { domainSsl: Record<string, { provider: string }> }).domainSsl[domain];
    expect(own?.provider).toBe('LETSENCRYPT');

    const { created } = await upsertCertificateWatchSchedule(stack.t.client, { taskQueue: stack.taskQueue, scheduleId, input: { services: [SHOP], warnDays: 14 } });
    expect(created).toBe(true);
    // The same call again updates, never duplicates.
    expect((await upsertCertificateWatchSchedule(stack.t.client, { taskQueue: stack.taskQueue, scheduleId, input: { services: [SHOP], warnDays: 14 } })).created).toBe(false);
    const handle = stack.t.client.schedule.getHandle(scheduleId);
    await handle.trigger();
    const workflowId = await waitFor('the triggered watch', async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId, 30_000);
    const result = (await stack.t.client.workflow.getHandle(workflowId).result()) as CertificateWatchResult;
    const reading = result.expiring.find((r) => r.domain === domain);
    expect(reading).toMatchObject({ serviceName: SHOP, provider: 'LETSENCRYPT' });
    expect(reading?.daysLeft).toBeGreaterThan(4.8);
    expect(reading?.daysLeft).toBeLessThanOrEqual(5);

    const metric = await registry.getSingleMetric('ovhflow_certificate_expiry_days')?.get();
    const days = metric?.values.find((v) => v.labels.domain === domain && v.labels.service === SHOP)?.value;
    expect(days).toBeGreaterThan(4.8);
    expect(days).toBeLessThanOrEqual(5);
    expect(metric?.values.find((v) => v.labels.domain === domain)?.labels).toMatchObject({ account: 'default', provider: 'LETSENCRYPT' });

    const ours = await waitFor('the certificate.expiring notification', () => {
      const found = received.filter((r) => (JSON.parse(r.raw) as NotificationBody).details?.domain === domain);
      return found.length > 0 ? found : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(received.filter((r) => (JSON.parse(r.raw) as NotificationBody).details?.domain === domain)).toHaveLength(1);
    const delivery = ours[0]!;
    expect(delivery.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(delivery.raw).digest('hex')}`);
    const body = JSON.parse(delivery.raw) as NotificationBody;
    expect(body).toMatchObject({ event: 'certificate.expiring', runId: workflowId, kind: 'certificate-watch', account: 'default' });
    expect(body.message).toContain(`the certificate of ${domain} (${SHOP}, LETSENCRYPT) expires in`);
    expect(body.message).toContain('this renewal did not happen');
    expect(body.details).toMatchObject({ renewalMissed: true, provider: 'LETSENCRYPT', serviceName: SHOP });
  }, 240_000);
});
