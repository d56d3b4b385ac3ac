// Found by the chaos suite's stall figure: a backup's quick OVH calls (the dump listing, the dump itself) had no
// heartbeat, so a worker killed in the middle of one stalled the run for the call's whole start-to-close timeout
// (60 s). Like every other activity they now heartbeat, and a dead worker is noticed in about ten seconds.
import type { ChildProcess } from 'node:child_process';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { outcomeOf, startTestStack, type TestStack } from '../support/stack.js';
import { startWorkerChild, type WorkerChild } from '../support/worker-process.js';
import { backupInput, requestId, SHOP, SHOP_DB } from './support.js';


describe('a worker crash during a backup', () => {
  let stack: TestStack;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    stack = await startTestStack('backup-crash');
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stack?.close();
  });

  function startWorkerProcess(): WorkerChild {
    const worker = startWorkerChild(stack);
    children.push(worker.child);
    return worker;
  }

  it('killed with SIGKILL in the middle of the dump listing: the listing is tried again within seconds, not after 60 s', async () => {
    const first = startWorkerProcess();
    await waitFor('the first worker to poll', () => first.output().includes('worker ready'), 60_000);
    // The run's first OVH call (the listing of existing dumps) hangs: the worker dies while it is in flight.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${SHOP}/database/${SHOP_DB}/dump`, latencyMs: 30_000, times: 1 }]);
    const ref = await stack.runs.start('backup', backupInput({ serviceName: SHOP, databaseName: SHOP_DB }), { requestId: requestId() });
    const handle = stack.t.client.workflow.getHandle(ref.workflowId);
    await waitFor('the dump listing to be in flight', async () => {
      const pending = (await handle.describe()).raw.pendingActivities?.[0];
      return pending?.activityType?.name === 'listRecentDumps' && pending.lastStartedTime !== null && pending.lastStartedTime !== undefined;
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await waitFor('the first worker to die', () => first.child.exitCode !== null || first.child.signalCode !== null);
    const second = startWorkerProcess();
    await waitFor('the second worker to poll', () => second.output().includes('worker ready'), 60_000);

    const done = await outcomeOf(stack.runs, ref.workflowId, 90_000);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    const history = await handle.fetchHistory();
    const listing = history.events?.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'listRecentDumps');
    const started = history.events?.find((e) => e.activityTaskStartedEventAttributes && String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(listing?.eventId));
    // The attempt that completed is the one after the kill; it started a heartbeat timeout (10 s) and a worker start
    // after the kill — well before the 60 s start-to-close timeout that bounded it before.
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
    expect((tsToMs(started?.eventTime) - killedAt) / 1000).toBeLessThan(30);
  }, 180_000);
});
