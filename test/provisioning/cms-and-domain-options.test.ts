// Issue #14 items 1 and 2, end to end against the suite's Temporal dev server and a real simulator over HTTPS: every
// CMS of OVH's catalog installs with its own table prefix and admin rules (PrestaShop's e-mail login included, with
// no operator), the attached domain's options reach OVH and are compared with an existing domain, and
// `ovhflow domain update` changes them as its own run. Bad input: exit 2 and zero writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_MODULES, KNOWN_MODULE_NAMES, type KnownModuleName } from '../../src/shared/inputs/index.js';
import type { UpdateAttachedDomainResult } from '../../src/shared/domain-update.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
/** Room for a database per CMS: PERFORMANCE_1 allows four. */
const LAB = 'cms-lab.example';

describe('every CMS, every attach option, and domain update', { timeout: 150_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;

  beforeAll(async () => {
    cliStack = await startCliStack('cms-options');
    stack = cliStack.stack;
    ovhflow = await cliStack.ownWorker('cms-options');
    // Runs started through stack.runs go to the stack's own task queue.
    await stack.startWorker();
    await stack.sim.setService(LAB, { offer: 'PERFORMANCE_1', primaryLogin: 'cmslab' });
  });
  afterAll(async () => {
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  const serviceState = async (name: string) => (await stack.sim.state()).services[name]!;

  it('every CMS of the catalog completes a provisioning with its own table prefix and admin login; PrestaShop with defaults needs no operator; the attach options reach OVH', async () => {
    const lab = await serviceState(LAB);
    const runtimeId = Number((lab as unknown as { runtimes: Array<{ id: number }> }).runtimes[0]!.id);
    const domains = Object.fromEntries(KNOWN_MODULE_NAMES.map((name) => [name, uniqueDomain(name)])) as Record<KnownModuleName, string>;
    // Drupal's domain carries every option of POST attachedDomain.
    const options = { cdn: 'active', firewall: 'active', ownLog: domains.drupal, runtimeId, ipLocation: 'DE', bypassDNSConfiguration: true };
    const refs = await Promise.all(
      KNOWN_MODULE_NAMES.map((name) =>
        stack.runs.start('provision', provisionInput({ serviceName: LAB, domain: domains[name], database: { userSuffix: name.slice(0, 4) }, module: { name }, ssl: 'none', ...(name === 'drupal' ? options : {}) })),
      ),
    );
    const views = await Promise.all(refs.map((ref) => outcomeOf(stack.runs, ref.workflowId, 90_000)));
    for (const view of views) expect(view.status, JSON.stringify(view.progress?.attention ?? view.failure)).toBe('completed');

    const state = await serviceState(LAB);
    for (const [index, name] of KNOWN_MODULE_NAMES.entries()) {
      const result = views[index]!.result as ProvisionSiteResult;
      const expectedAdmin = name === 'prestashop' ? `admin@${domains[name]}` : 'admin';
      expect(result.module?.adminName, name).toBe(expectedAdmin);
      const module = state.modules.find((m) => m.id === result.module?.id);
      expect(module, name).toMatchObject({ status: 'created', adminName: expectedAdmin });
      expect((module?.dependencies as Array<{ prefix: string }>)[0]?.prefix, name).toBe(KNOWN_MODULES[name].tablePrefix.default);
      expect(result.module?.adminPassword?.length ?? 0, name).toBeGreaterThanOrEqual(KNOWN_MODULES[name].adminPasswordMinLength);
    }
    expect(new Set(KNOWN_MODULE_NAMES.map((name) => KNOWN_MODULES[name].tablePrefix.default)).size).toBe(KNOWN_MODULE_NAMES.length);
    expect(views.every((view) => view.progress?.attention === undefined && view.progress?.steps.every((s) => s.attempts <= 1))).toBe(true);

    const drupal = state.attachedDomains.find((d) => d.domain === domains.drupal);
    expect(drupal).toMatchObject({ status: 'created', cdn: 'active', firewall: 'active', ownLog: domains.drupal, runtimeId, ipLocation: 'DE', ssl: false });
    const wordpress = state.attachedDomains.find((d) => d.domain === domains.wordpress);
    expect(wordpress).toMatchObject({ cdn: 'none', firewall: 'none', ownLog: null, ipLocation: null });
    const attach = (await writesTo(stack.sim, LAB)).find((w) => w.method === 'POST' && w.path.endsWith('/attachedDomain') && (w.body as { domain?: string })?.domain === domains.drupal);
    expect(attach?.body).toEqual({ domain: domains.drupal, path: domains.drupal, ssl: false, ...options });
  });

  it('an admin login the CMS refuses, or an option value outside the schema, is a clear error with exit 2 and zero writes', async () => {
    const domain = uniqueDomain('refused');
    const writes = async () => [...(await writesTo(stack.sim, LAB)), ...(await writesTo(stack.sim, SHOP))].length;
    const before = await writes();
    const [email, cdn, update, none] = await Promise.all([
      ovhflow('provision', '--service', LAB, '--domain', domain, '--module', 'prestashop', '--admin-name', 'admin', '--language', 'xx'),
      ovhflow('provision', '--service', LAB, '--domain', domain, '--cdn', 'on', '--ip-location', 'fr', '--runtime-id', 'php8'),
      ovhflow('domain', 'update', '--service', SHOP, '--domain', 'shop.example.com', '--firewall', 'maybe', '--ssl', 'yes'),
      ovhflow('domain', 'update', '--service', SHOP, '--domain', 'shop.example.com'),
    ]);
    const ip = cdn;
    expect([email.code, cdn.code, update.code, none.code]).toEqual([2, 2, 2, 2]);
    expect(email.stderr).toContain(`module.adminName: "admin" is not an e-mail address; PrestaShop's admin login is an e-mail address`);
    expect(email.stderr).toContain('module.language: "xx" is not allowed');
    expect(cdn.stderr).toContain('cdn: "on" is not allowed; use one of "active", "none"');
    expect(ip.stderr).toContain('ipLocation: "fr" is not allowed');
    expect(ip.stderr).toContain('(did you mean "FR"?)');
    expect(ip.stderr).toContain('runtimeId: must be a whole number');
    expect(update.stderr).toContain('firewall: "maybe" is not allowed');
    expect(update.stderr).toContain('ssl: "yes" is not allowed; use on or off');
    expect(none.stderr).toContain('give at least one setting to change');

    // A module named by catalog id is known to be Joomla! only once preflight reads the catalog: refused there.
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {}, module: { id: 303, adminName: 'x' }, ssl: 'none' }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'preflight', failureType: 'OvhflowInvalidInput' });
    expect(view.progress?.attention?.message).toContain('Joomla! takes an admin login of 2 to 150');
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('aborted');
    expect(await writes()).toBe(before);
  });

  it('an existing domain with other attach options is a settings conflict; options the run does not ask never conflict', async () => {
    const domain = uniqueDomain('existing');
    const client = stack.sim.ovhClient();
    const task = (await client.requestPromised('POST', `/hosting/web/${SHOP}/attachedDomain`, { domain, path: 'existing', ssl: false, firewall: 'active' })) as { id: number };
    await stack.sim.waitForTask(SHOP, task.id);

    const conflicting = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, path: 'existing', ssl: 'none', cdn: 'active', firewall: 'active' }));
    const view = await waitForStatus(stack.runs, conflicting.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'attachDomain', failureType: 'OvhflowSettingsConflict' });
    expect(view.progress?.attention?.message).toBe(`${domain} is already attached to ${SHOP} with other settings: cdn is none (asked active)`);
    // Retry with the option corrected: the domain is adopted as it is (its firewall matches, the rest is not asked).
    await stack.runs.retry(conflicting.workflowId, ['cdn=none']);
    const done = await outcomeOf(stack.runs, conflicting.workflowId);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    expect((done.result as ProvisionSiteResult).domain.adopted).toBe(true);
    expect((await writesTo(stack.sim, SHOP)).filter((w) => w.path.includes(domain) || (w.body as { domain?: string })?.domain === domain)).toHaveLength(1);
  });

  it('`ovhflow domain update` changes the options and reports before/after; the same update again is a no-op with zero writes; a domain not attached needs attention', async () => {
    const domain = uniqueDomain('update');
    const client = stack.sim.ovhClient();
    const task = (await client.requestPromised('POST', `/hosting/web/${SHOP}/attachedDomain`, { domain, path: 'update', ssl: false })) as { id: number };
    await stack.sim.waitForTask(SHOP, task.id);
    const args = ['domain', 'update', '--service', SHOP, '--domain', domain, '--cdn', 'active', '--firewall', 'active', '--runtime-id', '903', '--ssl', 'on', '--wait', '--json'];

    const missing = `missing-${randomUUID().slice(0, 8)}.example.org`;
    const [first, lost] = await Promise.all([ovhflow(...args), ovhflow('domain', 'update', '--service', SHOP, '--domain', missing, '--cdn', 'active', '--wait', '--json')]);
    expect(first.code, first.stderr).toBe(0);
    const changed = parsedJson(first) as { type: string; status: string; result: UpdateAttachedDomainResult };
    expect(changed).toMatchObject({ type: 'update-domain', status: 'completed' });
    expect(changed.result).toMatchObject({
      changed: true,
      before: { cdn: 'none', firewall: 'none', runtimeId: null, ssl: false, path: 'update' },
      after: { cdn: 'active', firewall: 'active', runtimeId: 903, ssl: true, path: 'update' },
    });
    expect(changed.result.changes.map((c) => c.field)).toEqual(['ssl', 'cdn', 'firewall', 'runtimeId']);
    expect((await serviceState(SHOP)).attachedDomains.find((d) => d.domain === domain)).toMatchObject({ status: 'created', cdn: 'active', firewall: 'active', runtimeId: 903, ssl: true });
    const puts = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.method === 'PUT' && w.path.endsWith(`/attachedDomain/${domain}`));
    expect((await puts()).map((w) => w.body)).toEqual([{ ssl: true, cdn: 'active', firewall: 'active', runtimeId: 903 }]);

    const again = await ovhflow(...args);
    expect(again.code, again.stderr).toBe(0);
    const noop = parsedJson(again) as { workflowId: string; status: string; result: UpdateAttachedDomainResult };
    expect(noop.workflowId).not.toBe((changed as unknown as { workflowId: string }).workflowId);
    expect(noop).toMatchObject({ status: 'completed', result: { changed: false, changes: [] } });
    expect(await puts()).toHaveLength(1);

    expect(lost.code).toBe(1);
    const lostView = parsedJson(lost) as { workflowId: string; status: string; attention: { step: string; failureType: string; message: string } };
    expect(lostView).toMatchObject({ status: 'needs-attention', attention: { step: 'read', failureType: 'OvhNotFound' } });
    expect(lostView.attention.message).toContain(`${missing} is not attached to ${SHOP}`);
    await stack.runs.abort(lostView.workflowId);
    expect((await outcomeOf(stack.runs, lostView.workflowId)).status).toBe('aborted');
  });

  it('a domain update whose PUT answer is lost after OVH applied it (a worker killed mid-call) adopts its own write: one PUT', async () => {
    const domain = uniqueDomain('lost-put');
    const client = stack.sim.ovhClient();
    const task = (await client.requestPromised('POST', `/hosting/web/${SHOP}/attachedDomain`, { domain, path: 'lost-put', ssl: false })) as { id: number };
    await stack.sim.waitForTask(SHOP, task.id);
    await stack.sim.faults([{ method: 'PUT', path: `/hosting/web/${SHOP}/attachedDomain/${domain}`, reset: 'after', times: 1 }]);
    const updated = await ovhflow('domain', 'update', '--service', SHOP, '--domain', domain, '--firewall', 'active', '--wait', '--json');
    expect(updated.code, updated.stderr).toBe(0);
    expect(parsedJson(updated)).toMatchObject({ status: 'completed', result: { changed: true, after: { firewall: 'active' } } });
    // The retry came a second later, after the update task was over: the domain already had the setting.
    const puts = (await stack.sim.requests()).filter((r) => r.method === 'PUT' && r.path.endsWith(`/attachedDomain/${domain}`));
    expect(puts.map((p) => p.fault ?? p.status)).toEqual(['reset-after']);
  });

  it('aborting a domain update whose OVH task was cancelled writes nothing back; a run cancelled once its change is applied puts the old settings back', async () => {
    const domain = uniqueDomain('undo');
    const client = stack.sim.ovhClient();
    const task = (await client.requestPromised('POST', `/hosting/web/${SHOP}/attachedDomain`, { domain, path: 'undo', ssl: false })) as { id: number };
    await stack.sim.waitForTask(SHOP, task.id);
    // The first update's task is cancelled by OVH: the run waits for an operator, and the domain never changed.
    await stack.sim.faults([{ taskFunction: 'attachedDomain/update', serviceName: SHOP, outcome: 'cancelled', times: 1 }]);
    const ref = await stack.runs.start('update-domain', { serviceName: SHOP, domain, cdn: 'active' }, { requestId: randomUUID() });
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'update', failureType: 'OvhTaskCancelled' });
    await stack.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(stack.runs, ref.workflowId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.progress?.compensation?.undone).toEqual([]);
    const puts = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.method === 'PUT' && w.path.endsWith(`/attachedDomain/${domain}`));
    expect(await puts()).toHaveLength(1);
    expect((await serviceState(SHOP)).attachedDomains.find((d) => d.domain === domain)).toMatchObject({ cdn: 'none' });

    // A run cancelled while OVH applies its change: once the task is done, the old settings are put back.
    await stack.sim.config({ taskDurationMs: { 'attachedDomain/update': 1500 } });
    try {
      const slow = await stack.runs.start('update-domain', { serviceName: SHOP, domain, cdn: 'active', firewall: 'active' }, { requestId: randomUUID() });
      await expect
        .poll(async () => (await stack.runs.describeRun(slow.workflowId)).progress?.steps.find((s) => s.name === 'update')?.state, { timeout: 30_000, interval: 100 })
        .toBe('waiting-for-ovh-task');
      await stack.runs.client.workflow.getHandle(slow.workflowId).cancel();
      const cancelled = await outcomeOf(stack.runs, slow.workflowId, 60_000);
      expect(cancelled.status, JSON.stringify(cancelled.progress)).toBe('cancelled');
      expect(cancelled.progress?.compensation?.undone).toHaveLength(1);
    } finally {
      await stack.sim.config({ taskDurationMs: { 'attachedDomain/update': 60 } });
    }
    expect((await puts()).map((w) => w.body)).toEqual([{ cdn: 'active' }, { cdn: 'active', firewall: 'active' }, { cdn: 'none', firewall: 'none' }]);
    expect((await serviceState(SHOP)).attachedDomains.find((d) => d.domain === domain)).toMatchObject({ status: 'created', cdn: 'none', firewall: 'none' });
  });
});
