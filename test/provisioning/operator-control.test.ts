// Permanent failures stop the step and wait for an operator: retry (after the cause is fixed), skip, or abort —
// which undoes exactly what the run created, never what it adopted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';

describe('operator control of a provisioning', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('provision-operator');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    // Each test starts from the demo fixtures: the Pro offer's quotas are not used up by earlier tests.
    await stack.sim.reset();
    // These runs prove the hosting-wide certificate path, which older hostings (multipleSSL false) still take; the
    // per-domain certificate of newer ones is test/provisioning/domain-certificates.test.ts.
    for (const service of ['demo-shop.ovh', 'demo-agency.ovh']) await stack.sim.setService(service, { multipleSsl: false });
  });

  const failingSteps = [
    { step: 'attachDomain', fault: { method: 'POST', path: '/hosting/web/*/attachedDomain', status: 403 } },
    { step: 'createDatabase', fault: { method: 'POST', path: '/hosting/web/*/database', status: 400 } },
    { step: 'installModule', fault: { method: 'POST', path: '/hosting/web/*/module', status: 400 } },
    { step: 'ssl', fault: { method: 'POST', path: '/hosting/web/*/ssl/regenerate', status: 403 } },
  ];

  it.each(failingSteps)('a permanent failure at $step asks an operator, and retry completes once the cause is fixed', async ({ step, fault }) => {
    const domain = uniqueDomain(step.toLowerCase());
    await stack.sim.faults([{ ...fault, times: 1, path: fault.path }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, module: { name: 'wordpress' }, database: {} }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    const attention = waiting.progress?.attention;
    expect(attention?.step).toBe(step);
    expect(attention?.failureType).toMatch(/^Ovh(Forbidden|BadRequest)$/);
    expect(attention?.message).toContain(fault.path.split('/*/')[1] ?? '');
    expect(attention?.ovhMessage).toBeTruthy();
    expect(attention?.queryId).toMatch(/\S+/);
    expect(attention?.hint).toBeTruthy();

    // The fault fired once and is spent: the cause is "fixed". Retry resumes the same step.
    const ack = await stack.runs.retry(ref.workflowId);
    expect(ack).toEqual({ step, decision: 'retry' });
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status).toBe('completed');
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.attachedDomains.filter((d) => d.domain === domain)).toHaveLength(1);
    expect(state.ssl?.domains).toContain(domain);
  });

  it('refuses an operator decision while the run is not waiting for one', async () => {
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: uniqueDomain('busy'), ssl: { mode: 'none' } }));
    await outcomeOf(stack.runs, ref.workflowId);
    await expect(stack.runs.retry(ref.workflowId)).rejects.toThrow(/not waiting for an operator|cannot retry/);
  });

  it('retry with corrected inputs is validated, then used', async () => {
    const domain = uniqueDomain('fix');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/attachedDomain', status: 400, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'none' } }));
    await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    await expect(stack.runs.retry(ref.workflowId, ['path=../etc'])).rejects.toThrow(/path/);
    await expect(stack.runs.retry(ref.workflowId, ['color=blue'])).rejects.toThrow(/color/);
    await stack.runs.retry(ref.workflowId, ['path=sites/fixed']);
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status).toBe('completed');
    expect((done.result as ProvisionSiteResult).domain.path).toBe('sites/fixed');
    const attached = (await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === domain);
    expect(attached?.path).toBe('sites/fixed');
  });

  it('skip goes on without the failed step', async () => {
    const domain = uniqueDomain('skip');
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, module: { name: 'wordpress' }, database: {} }));
    await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    await stack.runs.skip(ref.workflowId);
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status).toBe('completed');
    expect((done.result as ProvisionSiteResult).skipped).toEqual(['installModule']);
    expect(done.progress?.steps.find((s) => s.name === 'installModule')?.state).toBe('skipped');
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.modules.some((m) => String(m.targetUrl).includes(domain))).toBe(false);
    expect(state.ssl?.domains).toContain(domain);
  });

  it('abort undoes, in reverse order, exactly what this run created and nothing it adopted', async () => {
    // The domain is already attached (by hand): the run adopts it, then creates a database and fails at the module.
    const domain = uniqueDomain('abort');
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain, path: 'kept', ssl: true })).id);
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }]);
    const before = (await stack.sim.state()).services[SHOP]!;
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'kept', database: { userSuffix: 'abrt' }, module: { name: 'joomla' } }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.steps.find((s) => s.name === 'attachDomain')?.state).toBe('adopted');
    expect(waiting.progress?.steps.find((s) => s.name === 'createDatabase')?.state).toBe('done');
    await stack.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(stack.runs, ref.workflowId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toMatch(/undone: delete database demoshopabrt/);

    const after = (await stack.sim.state()).services[SHOP]!;
    expect(after.attachedDomains.map((d) => d.domain)).toContain(domain);
    expect(after.databases.map((d) => d.name).sort()).toEqual(before.databases.map((d) => d.name).sort());
    const deletes = (await writesTo(stack.sim, SHOP)).slice(writesBefore).filter((w) => w.method === 'DELETE');
    expect(deletes.map((w) => w.path)).toEqual([`/hosting/web/${SHOP}/database/demoshopabrt`]);

    // An aborted run can be run again under the same business key.
    const again = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'kept', ssl: { mode: 'letsencrypt' } }));
    expect(again.existing).toBe(false);
    expect((await outcomeOf(stack.runs, again.workflowId)).status).toBe('completed');
  });

  it('abort reports what it could not undo instead of hiding it', async () => {
    await stack.sim.faults([
      { method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 },
      { method: 'DELETE', path: '/hosting/web/*/database/*', status: 403, times: 1 },
    ]);
    const domain = uniqueDomain('undo');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: { userSuffix: 'undo' }, module: { name: 'drupal' }, ssl: { mode: 'none' } }));
    await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    await stack.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(stack.runs, ref.workflowId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toMatch(/undone: .*detach /);
    expect(aborted.failure?.message).toMatch(/COULD NOT UNDO \(clean up by hand\): delete database demoshopundo/);
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.attachedDomains.some((d) => d.domain === domain)).toBe(false);
    expect(state.databases.some((d) => d.name === 'demoshopundo')).toBe(true);
  });
});
