// Found by the chaos suite: when OVH cancels the certificate task, the run must say so (OvhTaskCancelled, which an
// operator answers with retry) — not "the hosting has no certificate any more", and not wait for the step deadline
// when a cancelled regeneration leaves the old certificate in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
