// A run stopped while it waits on the outside world (DNS) ends with that step shown as stopped there, not still
// waiting: what an operator reads in `ovhflow status` and the console after a cancel or an abort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createHostingService } from '../security/support.js';

/** An address that is not the hosting's (RFC 5737): the domain points elsewhere, so the DNS step waits. */
const ELSEWHERE = '203.0.113.50';

describe('a run stopped while it waits for DNS', { timeout: 120_000 }, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('cancel-while-waiting');
    await stack.startWorker();
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  const waitingForDns = async () => {
    const { serviceName } = await createHostingService(stack, 'cw');
    const domain = uniqueDomain('dnswait');
    // The owner proved ownership to OVH (TXT), but the name still points at an old server.
    const token = (await stack.sim.ovhClient().requestPromised('GET', `/hosting/web/${serviceName}/token`)) as string;
    await stack.sim.admin('PUT', `/dns/ovhcontrol.${domain}`, { txt: [token] });
    await stack.sim.admin('PUT', `/dns/${domain}`, { a: [ELSEWHERE] });
    const ref = await stack.runs.start('provision', provisionInput({ serviceName, domain, ssl: { mode: 'none' }, dns: 'check' }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.steps.find((step) => step.name === 'dns')?.state, JSON.stringify(waiting.progress?.attention)).toBe('waiting-for-dns');
    return ref.workflowId;
  };

  it('cancelled, it shows its dns step failed there (not waiting-for-dns), and no step as still going', async () => {
    const workflowId = await waitingForDns();
    await stack.t.client.workflow.getHandle(workflowId).cancel();
    const ended = await waitForStatus(stack.runs, workflowId, ['cancelled']);
    const dns = ended.progress?.steps.find((step) => step.name === 'dns');
    expect(dns).toMatchObject({ state: 'failed' });
    expect(dns?.note).toMatch(/^cancelled here/);
    expect(dns?.endedAt).toBeDefined();
    expect(ended.progress?.steps.filter((step) => ['running', 'waiting-for-ovh-task', 'waiting-for-dns', 'needs-attention'].includes(step.state))).toEqual([]);
  });

  it('aborted, it shows its dns step failed too', async () => {
    const workflowId = await waitingForDns();
    await stack.runs.abort(workflowId);
    const ended = await outcomeOf(stack.runs, workflowId);
    expect(ended.status).toBe('aborted');
    expect(ended.progress?.steps.find((step) => step.name === 'dns')).toMatchObject({ state: 'failed' });
  });
});
