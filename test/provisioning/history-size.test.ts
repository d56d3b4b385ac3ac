// Waiting costs O(1) history events per step, however long OVH takes: the polling happens in the activity's retry
// policy, not in workflow code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionInput } from '../support/provisioning.js';
import { createHostingService } from '../security/support.js';
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

  it('checks a short wait inside its first attempt: every activity of a provisioning with instant tasks runs once', async () => {
    // A first attempt that only failed to schedule the first check cost the server a failure, a retry timer and a
    // second dispatch per wait, and at least a second of waiting (docs/BENCHMARKS.md, issue 22).
    // A hosting of its own: demo-shop.ovh's offer is for the other test's two sites.
    const { serviceName } = await createHostingService(stack, 'once');
    const run = await stack.runs.start('provision', provisionInput({ serviceName, domain: uniqueDomain('once'), database: {}, module: { name: 'wordpress' } }));
    expect((await outcomeOf(stack.runs, run.workflowId)).status).toBe('completed');
    const history = await stack.t.client.workflow.getHandle(run.workflowId).fetchHistory();
    const names = new Map<string, string>();
    const attempts: Array<[string, number]> = [];
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) names.set(String(event.eventId), scheduled.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (started) attempts.push([names.get(String(started.scheduledEventId)) ?? '?', started.attempt ?? 0]);
    }
    expect(attempts.map(([name]) => name)).toEqual(expect.arrayContaining(['waitForHostingTask', 'waitForSsl']));
    expect(attempts.filter(([, attempt]) => attempt !== 1)).toEqual([]);
  }, 60_000);

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
