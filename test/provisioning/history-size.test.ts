// Waiting costs O(1) history events per step, however long OVH takes: the polling happens in the activity's retry
// policy, not in workflow code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';

async function historyLength(stack: TestStack, workflowId: string) {
  const history = await stack.t.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

describe('history size of a provisioning', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('provision-history');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('stays under 100 events and does not grow with the time OVH tasks take', async () => {
    const quick = await stack.runs.start('provision', provisionInput({ serviceName: 'demo-shop.ovh', domain: uniqueDomain('quick'), database: {}, module: { name: 'wordpress' } }));
    expect((await outcomeOf(stack.runs, quick.workflowId)).status).toBe('completed');
    const quickEvents = await historyLength(stack, quick.workflowId);

    // Tasks 100 times longer: with polls every 0.1-0.5 s that is dozens of checks per step.
    await stack.sim.config({ taskDurationMs: { default: 3000 } });
    // Every read is a check of some wait (task, resource or certificate) or a step's look-up: many, whatever they are.
    const readsBefore = (await stack.sim.requests()).filter((r) => r.method === 'GET').length;
    const slow = await stack.runs.start('provision', provisionInput({ serviceName: 'demo-shop.ovh', domain: uniqueDomain('slow'), database: {}, module: { name: 'wordpress' } }));
    expect((await outcomeOf(stack.runs, slow.workflowId, 120_000)).status).toBe('completed');
    const slowEvents = await historyLength(stack, slow.workflowId);
    const reads = (await stack.sim.requests()).filter((r) => r.method === 'GET').length - readsBefore;

    console.log(`provisioning history: ${quickEvents} events with instant tasks, ${slowEvents} with 3 s tasks and ${reads} reads`);
    expect(reads).toBeGreaterThan(10);
    expect(slowEvents).toBeLessThan(100);
    // The same steps, whatever the duration: a few events of slack for workflow-task heartbeats on a loaded machine.
    expect(Math.abs(slowEvents - quickEvents)).toBeLessThanOrEqual(6);
  }, 150_000);
});
