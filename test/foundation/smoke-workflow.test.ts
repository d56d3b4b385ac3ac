import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smokeTest } from '../../src/workflows/smoke-test.js';
import { connectTestTemporal, createTestWorker, uniqueTaskQueue, uniqueWorkflowId, type TestTemporal } from '../support/temporal.js';

describe('a workflow on the real Temporal dev server', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await connectTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the smoke workflow through a worker and records its activity in the history', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const workflowId = uniqueWorkflowId('smoke');
    const { worker, close } = await createTestWorker(t, taskQueue);
    const result = await worker.runUntil(
      t.client.workflow.execute(smokeTest, { taskQueue, workflowId, args: [{ greeting: 'bonjour' }] }),
    );
    await close();

    expect(result.greeting).toBe('bonjour');
    expect(result.answeredBy.taskQueue).toBe(taskQueue);
    expect(result.answeredBy.workerIdentity).toMatch(/^ovhflow-worker@/);
    expect(result.attempts).toBe(1);

    const history = await t.client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('reportWorkerIdentity');
    expect(events.at(0)?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('smokeTest');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();

    // The SDK's logs (workflow and activity loggers) reach ovhflow's pino stream with their Temporal context.
    const activityLog = t.logLines.map((line) => JSON.parse(line)).find((l) => l.msg === 'smoke test answered');
    expect(activityLog).toMatchObject({ workflowId, activityType: 'reportWorkerIdentity', greeting: 'bonjour' });
    const workflowLog = t.logLines.map((line) => JSON.parse(line)).find((l) => l.msg === 'smoke test done');
    expect(workflowLog).toMatchObject({ workflowId, workflowType: 'smokeTest' });
  });
});
