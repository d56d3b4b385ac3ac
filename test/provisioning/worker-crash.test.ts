// A worker killed with SIGKILL while a run waits on an OVH task loses nothing: another worker picks the run up and
// every write happens exactly once.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { startWorkerChild, type WorkerChild } from '../support/worker-process.js';
import { waitFor } from '../support/processes.js';

const SHOP = 'demo-shop.ovh';

describe('a worker crash', () => {
  let stack: TestStack;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    stack = await startTestStack('provision-crash');
    // The hosting-wide certificate path (older hostings, multipleSSL false): its regenerate is the write to survive.
    await stack.sim.setService(SHOP, { multipleSsl: false });
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

  it('killed with SIGKILL while waiting on a task, then restarted: the run completes and each write is made once', async () => {
    // Database creation takes 4 s at OVH: long enough to kill the worker in the middle of the wait.
    await stack.sim.config({ taskDurationMs: { 'database/create': 4000 } });
    const first = startWorkerProcess();
    await waitFor('the first worker to poll', () => first.output().includes('worker ready'), 60_000);

    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: uniqueDomain('crash'), database: {}, module: { name: 'wordpress' } }));
    await waitFor('the run to wait on the database task', async () => {
      const view = await stack.runs.describeRun(ref.workflowId);
      return view.progress?.steps.find((s) => s.name === 'createDatabase')?.state === 'waiting-for-ovh-task';
    }, 30_000);
    first.child.kill('SIGKILL');
    await waitFor('the first worker to die', () => first.child.exitCode !== null || first.child.signalCode !== null);

    const second = startWorkerProcess();
    await waitFor('the second worker to poll', () => second.output().includes('worker ready'), 60_000);
    const done = await outcomeOf(stack.runs, ref.workflowId, 90_000);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');

    const writes = (await writesTo(stack.sim, SHOP)).filter((w) => w.status === 200);
    expect(writes.map((w) => w.path.replace(/\/\d+$/, '/:id'))).toEqual([
      `/hosting/web/${SHOP}/attachedDomain`,
      `/hosting/web/${SHOP}/database`,
      `/hosting/web/${SHOP}/module`,
      `/hosting/web/${SHOP}/ssl/regenerate`,
    ]);
    await waitForStatus(stack.runs, ref.workflowId, ['completed']);
  }, 180_000);
});
