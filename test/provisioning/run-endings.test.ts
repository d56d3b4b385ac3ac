// How a provisioning ends when it is stopped on purpose: an abort or a cancel undoes exactly what the run created
// (reporting each undo it could not do, never claiming one it did not), and a cancel ends the run `cancelled`.
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';

describe('how a provisioning ends when stopped', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('run-endings');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
    await stack.sim.config({ taskDurationMs: { default: 60 } });
  });

  it('an undo whose lookup fails is reported as not done, and the others still run', async () => {
    const domain = uniqueDomain('lookup');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: { userSuffix: 'look' }, module: { name: 'wordpress' }, ssl: { mode: 'none' } }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    // The module's undo is registered before its (refused) install, so nothing it might have created is forgotten.
    expect(waiting.progress?.undo).toEqual([`uninstall wordpress from ${domain}`, 'delete database demoshoplook', `detach ${domain}`]);
    // From now on OVH refuses to describe the database: the undo cannot even find it.
    await stack.sim.faults([{ method: 'GET', path: '/hosting/web/*/database/demoshoplook', status: 403, times: 100 }]);
    await stack.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(stack.runs, ref.workflowId);
    await stack.sim.clearFaults();
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toMatch(new RegExp(`undone: detach ${domain.replaceAll('.', '\\.')}`));
    expect(aborted.failure?.message).toMatch(/COULD NOT UNDO \(clean up by hand\): delete database demoshoplook \(/);
    expect(aborted.failure?.message).not.toMatch(/undone: [^;]*delete database/);
    expect(aborted.failure?.message).toMatch(new RegExp(`already gone: uninstall wordpress from ${domain.replaceAll('.', '\\.')}`));
    expect(aborted.progress?.compensation).toMatchObject({ undone: [`detach ${domain}`], notUndone: [{ what: 'delete database demoshoplook' }] });
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.databases.some((d) => d.name === 'demoshoplook')).toBe(true);
    expect(state.attachedDomains.some((d) => d.domain === domain)).toBe(false);
  });

  it('a run cancelled while it waits for an operator undoes what it created and ends cancelled', async () => {
    const domain = uniqueDomain('cancel');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const before = (await stack.sim.state()).services[SHOP]!;
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: { userSuffix: 'cncl' }, module: { name: 'wordpress' } }));
    await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    await stack.t.client.workflow.getHandle(ref.workflowId).cancel();
    const cancelled = await waitForStatus(stack.runs, ref.workflowId, ['cancelled']);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.failure?.message).toMatch(new RegExp(`undone: delete database demoshopcncl, detach ${domain.replaceAll('.', '\\.')}`));
    expect(cancelled.progress?.compensation).toEqual({ undone: ['delete database demoshopcncl', `detach ${domain}`], notUndone: [] });
    expect(cancelled.progress?.steps.find((s) => s.name === 'installModule')?.state).toBe('failed');
    const after = (await stack.sim.state()).services[SHOP]!;
    expect(after.databases.map((d) => d.name).sort()).toEqual(before.databases.map((d) => d.name).sort());
    expect(after.attachedDomains.map((d) => d.domain).sort()).toEqual(before.attachedDomains.map((d) => d.domain).sort());
    // The search attribute says so too: `ovhflow runs` and the Temporal UI list it as cancelled.
    await expect.poll(async () => (await stack.runs.listRuns({ type: 'provision' })).find((r) => r.workflowId === ref.workflowId)?.status, { timeout: 10_000 }).toBe('cancelled');
  });

  it('a run cancelled mid-task waits for the resource to settle, then removes it', async () => {
    await stack.sim.config({ taskDurationMs: { default: 60, 'database/create': 2500 } });
    const domain = uniqueDomain('midtask');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: { userSuffix: 'mid' }, ssl: { mode: 'none' } }));
    await expect
      .poll(async () => (await stack.runs.describeRun(ref.workflowId)).progress?.steps.find((s) => s.name === 'createDatabase')?.state, { timeout: 20_000, interval: 100 })
      .toBe('waiting-for-ovh-task');
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    await stack.t.client.workflow.getHandle(ref.workflowId).cancel();
    const cancelled = await waitForStatus(stack.runs, ref.workflowId, ['cancelled']);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress?.compensation).toEqual({ undone: ['delete database demoshopmid', `detach ${domain}`], notUndone: [] });
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.databases.some((d) => d.name === 'demoshopmid')).toBe(false);
    expect(state.attachedDomains.some((d) => d.domain === domain)).toBe(false);
    // Each removal was asked once: the database's only after its creation had finished (no refused 409).
    const undoWrites = (await writesTo(stack.sim, SHOP)).slice(writesBefore);
    expect(undoWrites.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      `DELETE /hosting/web/${SHOP}/database/demoshopmid 200`,
      `DELETE /hosting/web/${SHOP}/attachedDomain/${domain} 200`,
    ]);
  });

  it('a run cancelled while its last step\'s call is finishing ends cancelled and undone, not completed', async () => {
    // Found by the chaos suite: an activity that finishes after its cancel request reports success, so the last step
    // completed and the run ended COMPLETED, keeping everything, although it had been cancelled while running.
    const domain = uniqueDomain('last');
    // Every certificate-domain listing takes 3 s: the certificate wait's check is in flight when the cancel comes.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${SHOP}/ssl/domains`, latencyMs: 3000 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'letsencrypt' } }));
    const handle = stack.t.client.workflow.getHandle(ref.workflowId);
    // A check of the certificate wait running (not between two checks, where a cancel simply stops the wait).
    await expect
      .poll(
        async () => {
          const pending = (await handle.describe()).raw.pendingActivities?.[0];
          return pending?.activityType?.name === 'waitForSsl' && pending.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
    await handle.cancel();
    const cancelled = await waitForStatus(stack.runs, ref.workflowId, ['cancelled', 'completed'], 30_000);
    await stack.sim.clearFaults();
    expect(cancelled.status).toBe('cancelled');
    // The regeneration is not undone (it changed a certificate the hosting already had); the attached domain is.
    expect(cancelled.progress?.compensation).toEqual({ undone: [`detach ${domain}`], notUndone: [] });
    expect((await stack.sim.state()).services[SHOP]!.attachedDomains.some((d) => d.domain === domain)).toBe(false);
  });

  it('a run cancelled before it created anything ends cancelled with nothing undone', async () => {
    const domain = uniqueDomain('early');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/attachedDomain', status: 403, times: 1 }]);
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'none' } }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    // The attach was refused, but its undo is registered before the call: an abort now would find nothing to detach.
    expect(waiting.progress?.undo).toEqual([`detach ${domain}`]);
    await stack.t.client.workflow.getHandle(ref.workflowId).cancel();
    const cancelled = await waitForStatus(stack.runs, ref.workflowId, ['cancelled']);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress?.compensation).toEqual({ undone: [], notUndone: [] });
    const writes = (await writesTo(stack.sim, SHOP)).slice(writesBefore);
    expect(writes.filter((w) => w.method === 'DELETE')).toEqual([]);
  });
});
