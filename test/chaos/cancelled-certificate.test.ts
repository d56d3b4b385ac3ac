// Found by the chaos suite: when OVH cancels the certificate task, the run must say so (OvhTaskCancelled, which an
// operator answers with retry) — not "the hosting has no certificate any more", and not wait for the step deadline
// when a cancelled regeneration leaves the old certificate in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ATTEMPTS } from '../../src/ovh/client.js';
import { FAILURE_TYPES } from '../../src/shared/failures.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';

describe('a cancelled certificate task', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('chaos-ssl-cancelled');
    await stack.startWorker();
    // These runs prove the hosting-wide certificate path, which older hostings (multipleSSL false) still take; the
    // per-domain certificate of newer ones is test/provisioning/domain-certificates.test.ts.
    for (const service of ['demo-shop.ovh', 'demo-agency.ovh']) await stack.sim.setService(service, { multipleSsl: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a cancelled Let\'s Encrypt order puts the run in needs-attention as OvhTaskCancelled and retry orders it again', async () => {
    await stack.sim.faults([{ taskFunction: 'hostedssl/create', outcome: 'cancelled', times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: 'demo-agency.ovh', domain: uniqueDomain('ssl-cancel'), ssl: { mode: 'letsencrypt' } }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'ssl', failureType: FAILURE_TYPES.taskCancelled });
    await stack.runs.retry(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
    const posts = (await stack.sim.requests()).filter((r) => r.method === 'POST' && r.path === '/hosting/web/demo-agency.ovh/ssl' && r.status === 200);
    expect(posts).toHaveLength(2);
  });

  it("a domain's cancelled certificate order is OvhTaskCancelled even when reading its task meets a 5xx (retried, never read as \"no certificate any more\")", async () => {
    // A hosting of its own with per-domain certificates, whose certificate order takes 2 s: the task reads fail only
    // once the run is at its ssl step, so the one read that fails is the look for the cancelled order (chaos-short
    // saw that read answered 500).
    const service = 'cert-5xx.example';
    await stack.sim.setService(service, { offer: 'PERFORMANCE_1', primaryLogin: 'cert5xx', multipleSsl: true });
    const before = (await stack.sim.config()).taskDurationMs['hostedssl/create'];
    await stack.sim.config({ taskDurationMs: { 'hostedssl/create': 2_000 } });
    await stack.sim.faults([{ taskFunction: 'hostedssl/create', serviceName: service, outcome: 'cancelled', times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: service, domain: uniqueDomain('cert-5xx'), ssl: { mode: 'letsencrypt' } }));
    await expect.poll(async () => (await stack.runs.describeRun(ref.workflowId)).progress?.currentStep, { timeout: 30_000, interval: 50 }).toBe('ssl');
    // Every quick re-read of the client (READ_ATTEMPTS) fails: the activity attempt itself meets the 5xx.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${service}/tasks/*`, status: 500, times: READ_ATTEMPTS }]);
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'ssl', failureType: FAILURE_TYPES.taskCancelled });
    const taskReads = (await stack.sim.requests()).filter((r) => r.method === 'GET' && r.path.startsWith(`/hosting/web/${service}/tasks/`));
    expect(taskReads.map((r) => r.status)).toContain(500);
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('aborted');
    await stack.sim.config({ taskDurationMs: before === undefined ? {} : { 'hostedssl/create': before } });
  });

  it('a cancelled regeneration is OvhTaskCancelled at once, not a wait until the step deadline', async () => {
    // demo-shop.ovh has a certificate that does not cover a new domain: the run regenerates it.
    await stack.sim.faults([{ taskFunction: 'hostedssl/regenerate', outcome: 'cancelled', times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: 'demo-shop.ovh', domain: uniqueDomain('regen-cancel'), ssl: { mode: 'letsencrypt' } }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention'], 30_000);
    expect(waiting.progress?.attention).toMatchObject({ step: 'ssl', failureType: FAILURE_TYPES.taskCancelled });
    await stack.runs.retry(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
  });
});
