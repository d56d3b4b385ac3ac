// A run never does anything twice, whatever happens to its tasks: double triggers, existing resources, cancelled,
// stuck and forgotten OVH tasks, and a hostile network.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { waitFor } from '../support/processes.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { createRunService } from '../../src/runs/service.js';
import { FAST_POLL, outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';

/** POSTs per endpoint (ids folded), e.g. { 'POST /hosting/web/x/attachedDomain': 1 }. */
async function postCounts(stack: TestStack, serviceName: string) {
  const counts: Record<string, number> = {};
  for (const w of await writesTo(stack.sim, serviceName)) {
    if (w.status !== 200 && w.fault !== 'reset-after') continue; // refused or never applied: not a write
    const key = `${w.method} ${w.path.replace(/\/\d+(\/|$)/g, '/:id$1')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('idempotent provisioning', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('provision-idempotency');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
    // These runs prove the hosting-wide certificate path, which older hostings (multipleSSL false) still take; the
    // per-domain certificate of newer ones is test/provisioning/domain-certificates.test.ts.
    for (const service of ['demo-shop.ovh', 'demo-agency.ovh']) await stack.sim.setService(service, { multipleSsl: false });
  });

  it('triggering the same provisioning twice gives one run and one set of resources', async () => {
    const domain = uniqueDomain('twice');
    const request = provisionInput({ serviceName: SHOP, domain, database: {}, module: { name: 'wordpress' } });
    const [first, second] = await Promise.all([stack.runs.start('provision', request), stack.runs.start('provision', request)]);
    expect(second.workflowId).toBe(first.workflowId);
    expect(second.runId).toBe(first.runId);
    const done = await outcomeOf(stack.runs, first.workflowId);
    expect(done.status).toBe('completed');
    // Once completed, a third trigger returns the completed run instead of provisioning again.
    const third = await stack.runs.start('provision', request);
    expect(third).toMatchObject({ workflowId: first.workflowId, runId: first.runId, existing: true });
    expect(await postCounts(stack, SHOP)).toEqual({
      [`POST /hosting/web/${SHOP}/attachedDomain`]: 1,
      [`POST /hosting/web/${SHOP}/database`]: 1,
      [`POST /hosting/web/${SHOP}/module`]: 1,
      [`POST /hosting/web/${SHOP}/ssl/regenerate`]: 1,
    });
  });

  it('adopts a site that already exists with the requested settings and writes nothing', async () => {
    // A site set up by hand: attached with ssl on, and the certificate regenerated to cover it.
    const domain = uniqueDomain('existing');
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain, path: 'existing', ssl: true })).id);
    await stack.ovh.regenerateSsl(SHOP);
    await waitFor('the certificate to cover the domain', async () => (await stack.sim.state()).services[SHOP]?.ssl?.status === 'created' && (await stack.ovh.listSslDomains(SHOP)).includes(domain));
    const before = (await writesTo(stack.sim, SHOP)).length;
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'existing', ssl: { mode: 'letsencrypt' } }));
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status).toBe('completed');
    const result = done.result as ProvisionSiteResult;
    expect(result.domain.adopted).toBe(true);
    expect(result.ssl?.action).toBe('adopted');
    expect(done.progress?.steps.find((s) => s.name === 'attachDomain')?.state).toBe('adopted');
    expect((await writesTo(stack.sim, SHOP)).length).toBe(before);
  });

  /** A site made by hand before ovhflow: the domain attached, a database of the run's user, and a CMS on it. */
  async function siteMadeByHand(domain: string, path: string, suffix: string, made: { version: string; moduleId: number }) {
    const client = stack.sim.ovhClient();
    const user = `demoshop${suffix}`;
    const password = 'AdoptTest2025';
    await stack.sim.waitForTask(SHOP, (await stack.ovh.attachDomain(SHOP, { domain, path, ssl: false })).id);
    const db = await client.requestPromised('POST', `/hosting/web/${SHOP}/database`, { capabilitie: 'sqlPerso', type: 'mysql', user, password, version: made.version });
    await stack.sim.waitForTask(SHOP, db.id);
    const installed = await client.requestPromised('POST', `/hosting/web/${SHOP}/module`, {
      moduleId: made.moduleId,
      domain,
      path,
      language: 'en',
      adminName: 'siteowner',
      adminPassword: 'AdoptAdmin20251',
      dependencies: [{ type: 'mysql', name: user, server: `${user}.mysql.db`, port: 3306, user, password }],
    });
    await stack.sim.waitForTask(SHOP, installed.id);
    return user;
  }

  it('adopts a database and a CMS that already exist with the requested settings: no second create, the result says adopted', async () => {
    const domain = uniqueDomain('adoptdb');
    const user = await siteMadeByHand(domain, 'adopted', 'ad1', { version: '8.0', moduleId: 301 });
    const before = await writesTo(stack.sim, SHOP);
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'adopted', database: { userSuffix: 'ad1', version: '8.0' }, module: { name: 'wordpress' }, ssl: { mode: 'none' } }));
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    const result = done.result as ProvisionSiteResult;
    expect(result.database).toMatchObject({ name: user, user, adopted: true });
    // Adopted: ovhflow never knew the passwords, so it hands out none.
    expect(result.database).not.toHaveProperty('password');
    expect(result.module).toMatchObject({ name: 'wordpress', moduleId: 301, adopted: true });
    expect(result.module).not.toHaveProperty('adminPassword');
    expect(Object.fromEntries((done.progress?.steps ?? []).map((step) => [step.name, step.state]))).toMatchObject({ attachDomain: 'adopted', createDatabase: 'adopted', installModule: 'adopted' });
    // Not one write: no second database, no second install.
    expect(await writesTo(stack.sim, SHOP)).toEqual(before);
    const services = (await stack.sim.state()).services[SHOP]!;
    expect(services.databases.filter((d) => d.user === user)).toHaveLength(1);
    expect(services.modules.filter((m) => String(m.targetUrl).includes(domain))).toHaveLength(1);
  });

  it('a database or a CMS already there with other settings stops the run for an operator, and nothing is changed', async () => {
    // The database is MySQL 5.7 where the run asks 8.0.
    const oldDb = uniqueDomain('olddb');
    await siteMadeByHand(oldDb, 'olddb', 'od1', { version: '5.7', moduleId: 301 });
    // The database matches, but Joomla is installed where the run asks WordPress.
    const otherCms = uniqueDomain('othercms');
    await siteMadeByHand(otherCms, 'othercms', 'oc1', { version: '8.0', moduleId: 303 });
    const before = await writesTo(stack.sim, SHOP);
    const [dbRun, cmsRun] = await Promise.all([
      stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: oldDb, path: 'olddb', database: { userSuffix: 'od1', version: '8.0' }, module: { name: 'wordpress' }, ssl: { mode: 'none' } })),
      stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain: otherCms, path: 'othercms', database: { userSuffix: 'oc1', version: '8.0' }, module: { name: 'wordpress' }, ssl: { mode: 'none' } })),
    ]);
    const [dbView, cmsView] = await Promise.all([waitForStatus(stack.runs, dbRun.workflowId, ['needs-attention']), waitForStatus(stack.runs, cmsRun.workflowId, ['needs-attention'])]);
    expect(dbView.progress?.attention).toMatchObject({ step: 'createDatabase', failureType: 'OvhflowSettingsConflict', message: expect.stringContaining('version is 5.7 (asked 8.0)') });
    expect(cmsView.progress?.attention).toMatchObject({ step: 'installModule', failureType: 'OvhflowSettingsConflict', message: expect.stringContaining('another module (catalog id 303)') });
    expect(cmsView.progress?.steps.find((step) => step.name === 'createDatabase')?.state).toBe('adopted');
    await Promise.all([stack.runs.abort(dbRun.workflowId), stack.runs.abort(cmsRun.workflowId)]);
    expect((await outcomeOf(stack.runs, dbRun.workflowId)).status).toBe('aborted');
    expect((await outcomeOf(stack.runs, cmsRun.workflowId)).status).toBe('aborted');
    // Nothing written, and what the runs found (and did not create) is left alone.
    expect(await writesTo(stack.sim, SHOP)).toEqual(before);
    const service = (await stack.sim.state()).services[SHOP]!;
    expect(service.databases.find((d) => d.user === 'demoshopod1')).toMatchObject({ version: '5.7', status: 'created' });
    expect(service.modules.find((m) => String(m.targetUrl).includes(otherCms))).toMatchObject({ moduleId: 303 });
    expect(service.attachedDomains.map((d) => d.domain)).toEqual(expect.arrayContaining([oldDb, otherCms]));
  });

  it('a domain attached with other settings is a conflict for an operator, not a silent change', async () => {
    // Someone attached the domain by hand, to another folder.
    const domain = uniqueDomain('byhand');
    const task = await stack.ovh.attachDomain(SHOP, { domain, path: 'byhand', ssl: false });
    await stack.sim.waitForTask(SHOP, task.id);
    const before = (await writesTo(stack.sim, SHOP)).length;
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'elsewhere', ssl: { mode: 'none' } }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'attachDomain', failureType: 'OvhflowSettingsConflict' });
    expect(view.progress?.attention?.message).toMatch(/path is "byhand".*asked "elsewhere"/);
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('aborted');
    // Nothing written, and the domain it did not create is left alone.
    expect((await writesTo(stack.sim, SHOP)).length).toBe(before);
    expect((await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === domain)).toMatchObject({ path: 'byhand' });
  });

  it('the first provisioning on a hosting without a certificate orders Let us Encrypt', async () => {
    const domain = uniqueDomain('first');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: AGENCY, domain, database: {}, module: { name: 'wordpress' } }));
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    expect((done.result as ProvisionSiteResult).ssl).toMatchObject({ action: 'ordered', provider: 'LETSENCRYPT', status: 'created' });
    expect((await stack.sim.state()).services[AGENCY]?.ssl?.domains).toContain(domain);
  });

  it('a cancelled OVH task asks an operator, and retry creates the resource once', async () => {
    await stack.sim.faults([{ taskFunction: 'database/create', outcome: 'cancelled', times: 1 }]);
    const domain = uniqueDomain('cancel');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {}, ssl: { mode: 'none' } }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'createDatabase', failureType: 'OvhTaskCancelled' });
    await stack.runs.retry(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('completed');
    const dbs = (await stack.sim.state()).services[SHOP]!.databases.filter((d) => d.status === 'created');
    expect(dbs.filter((d) => String(d.user).startsWith('demoshop') && d.name !== 'demoshopdb1')).toHaveLength(1);
  });

  it('a stuck OVH task reaches the step deadline and asks an operator', async () => {
    await stack.sim.faults([{ taskFunction: 'attachedDomain/create', outcome: 'stuck', times: 1 }]);
    const domain = uniqueDomain('stuck');
    // A deadline of 6 s instead of the default hour (inputs take whole minutes; the starter's settings can be finer).
    const runs = createRunService({ client: stack.t.client, taskQueue: stack.taskQueue, settings: { poll: FAST_POLL, stepDeadlineMinutes: 0.1 } });
    const ref = await runs.start('provision', provisionInput({ serviceName: SHOP, domain, ssl: { mode: 'none' } }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention'], 60_000);
    expect(view.progress?.attention).toMatchObject({ step: 'attachDomain', failureType: 'StepDeadlineExceeded' });
    expect(view.progress?.attention?.message).toMatch(/deadline/);
    await stack.runs.abort(ref.workflowId);
    await outcomeOf(stack.runs, ref.workflowId);
  });

  it('a finished task that OVH has forgotten (404) is judged by the resource itself', async () => {
    // Tasks are forgotten as soon as they finish; the run must not care. (A domain's and a database's waits read the
    // resource itself; the module's wait reads its task, which answers 404 here.)
    await stack.sim.config({ taskRetentionMs: 0 });
    try {
      const domain = uniqueDomain('gone');
      const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {}, module: { name: 'wordpress' }, ssl: { mode: 'none' } }));
      const done = await outcomeOf(stack.runs, ref.workflowId);
      expect(done.status).toBe('completed');
      const taskReads = (await stack.sim.requests()).filter((r) => /\/tasks\/\d+$/.test(r.path));
      expect(taskReads.some((r) => r.status === 404)).toBe(true);
    } finally {
      await stack.sim.config({ taskRetentionMs: 600_000 });
    }
  });

  it('completes through 20 % injected 5xx, 429 and connection resets without a duplicate or a repeated write', async () => {
    await stack.sim.faults([
      { path: '/hosting/web/**', status: 503, probability: 0.1 },
      { path: '/hosting/web/**', status: 429, probability: 0.05 },
      { method: 'POST', path: '/hosting/web/**', reset: 'after', probability: 0.1 },
      { method: 'GET', path: '/hosting/web/**', reset: 'before', probability: 0.05 },
    ]);
    // Two sites: the Pro offer has room for two more databases next to the demo shop's.
    const domains = [uniqueDomain('chaos'), uniqueDomain('chaos')];
    const refs = await Promise.all(
      domains.map((domain) => stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {}, module: { name: 'wordpress' } }))),
    );
    for (const ref of refs) {
      const done = await outcomeOf(stack.runs, ref.workflowId, 120_000);
      expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    }
    await stack.sim.clearFaults();
    const state = (await stack.sim.state()).services[SHOP]!;
    for (const domain of domains) {
      expect(state.attachedDomains.filter((d) => d.domain === domain)).toHaveLength(1);
      expect(state.modules.filter((m) => String(m.targetUrl).includes(domain))).toHaveLength(1);
    }
    // Applied writes (200, or reset after being applied): exactly one per resource.
    const counts = await postCounts(stack, SHOP);
    expect(counts[`POST /hosting/web/${SHOP}/attachedDomain`]).toBe(2);
    expect(counts[`POST /hosting/web/${SHOP}/database`]).toBe(2);
    expect(counts[`POST /hosting/web/${SHOP}/module`]).toBe(2);
    // The runs did go through faults (about 30 % of ~40 calls; the lean steps make few calls, and the draw varies
    // with the order in which concurrent runs call).
    const faulted = (await stack.sim.requests()).filter((r) => r.fault);
    expect(faulted.length).toBeGreaterThanOrEqual(3);
  }, 150_000);
});
