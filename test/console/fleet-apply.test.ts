// The fleet page's apply, in a real browser (the machine's Chromium) against the built API and console, a worker, the
// Temporal dev server and the OVH simulator: a plan with a change offers "Apply", which shows exactly the runs it
// would start and asks to confirm; confirming starts the applyFleet run and lands on its page. The plan confirmed is
// the plan applied: OVH changed between the two is refused, nothing started. A file needing secret references is
// refused as the HTTP API refuses it; a plan with nothing to do offers nothing.
import { randomBytes } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { singleKeyring } from '../../src/codec/keyring.js';
import { upsertDriftSchedule } from '../../src/schedules/drift.js';
import type { ApplyFleetResult } from '../../src/shared/apply.js';
import { waitFor } from '../support/processes.js';
import { outcomeOf, uniqueDomain, type TestStack } from '../support/stack.js';
import { startLoggedInConsole, type LoggedInConsole } from './logged-in.js';

const SHOP = 'demo-shop.ovh';
// A site of this file's own: an apply's child run id is made from its change, and other files apply changes to the
// demo shop's site in the same Temporal namespace (one of them would find the other's child and follow it).
const SHOP_SITE = uniqueDomain('fleet-apply');
const SITE_FOLDER = 'fleet-apply';
const SITE_PATH = `/hosting/web/${SHOP}/attachedDomain/${SHOP_SITE}`;

const fleetWith = (site: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  yaml.dump({ version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: SITE_FOLDER, ...site }], ...extra } } } } });

describe("the console's fleet apply in a browser", () => {
  let console_: LoggedInConsole;
  let stack: TestStack;
  const pageErrors: string[] = [];
  const unreadableSchedule = `console-unreadable-${Date.now()}`;
  const consoleUrl = (path = '') => `${console_.api.url}/console${path}`;
  const mark = async () => (await stack.sim.requests()).length;
  const writesSince = async (since: number) => (await stack.sim.requests()).slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/hosting/web'));
  const shopSite = async () => (await stack.sim.state()).services[SHOP]!.attachedDomains.find((d) => d.domain === SHOP_SITE)!;
  const workflowExists = (workflowId: string) =>
    stack.t.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        },
      );

  async function plan(file: string) {
    const page = console_.page;
    await page.fill('#f-file', file);
    await page.click('#fleet-plan button[type=submit]');
    await page.waitForSelector('#fleet-plan-result');
  }

  beforeAll(async () => {
    console_ = await startLoggedInConsole('console-fleet-apply');
    stack = console_.stack;
    const attached = await stack.ovh.attachDomain(SHOP, { domain: SHOP_SITE, path: SITE_FOLDER, ssl: false });
    await stack.sim.waitForTask(SHOP, attached.id);
    const page = console_.page;
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    // A refused form's own status (409, 422) is the page itself, not an error of it.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 4(09|22)/.test(message.text())) pageErrors.push(`${page.url()}: console: ${message.text()}`);
    });
    await page.goto(consoleUrl('/fleet'));
  }, 120_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await stack?.t.client.schedule.getHandle(unreadableSchedule).delete().catch(() => undefined);
    await console_?.close();
  });

  it('plan → "Apply this 1 change" → the confirmation lists the run and says nothing is removed → confirm → the run page, the write made once', { timeout: 120_000 }, async () => {
    const page = console_.page;
    expect((await shopSite()).cdn).toBe('none');
    await plan(fleetWith({ cdn: 'active' }));
    expect(await page.textContent('#fleet-apply button[type=submit]')).toBe('Apply this 1 change');

    const before = await mark();
    await page.click('#fleet-apply button[type=submit]');
    await page.waitForSelector('#fleet-confirm');
    const rows = page.locator('#fleet-confirm table.apply-runs tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-site')).toBe(SHOP_SITE);
    expect(await rows.first().getAttribute('data-run-kind')).toBe('update-domain');
    expect((await rows.first().innerText()).replace(/\s+/g, ' ')).toContain('cdn: none → active');
    expect(await page.textContent('#fleet-no-prune')).toContain('is not offered from the console');
    // The confirmation step only shows: the plan is not offered twice, and nothing was written or started.
    expect(await page.locator('#fleet-apply').count()).toBe(0);
    const requestId = await page.inputValue('#fleet-confirm input[name=requestId]');
    expect(await workflowExists(`apply-fleet/${requestId}`)).toBe(false);
    expect(await writesSince(before)).toEqual([]);

    await page.click('#fleet-confirm-apply');
    await page.waitForURL(/\/console\/run\?id=apply-fleet%2F/);
    const workflowId = new URL(page.url()).searchParams.get('id') as string;
    expect(workflowId).toBe(`apply-fleet/${requestId}`);
    // The page follows the run on its own (the console script) until the parent is done.
    await page.waitForSelector('#run-head .badge.completed', { timeout: 90_000 });
    const result = (await outcomeOf(stack.runs, workflowId)).result as ApplyFleetResult;
    expect(result.totals).toEqual({ changes: 1, done: 1, failed: 0, needsAttention: 0 });
    const child = result.done[0]!;
    expect(child).toMatchObject({ subject: SHOP_SITE, serviceName: SHOP, runType: 'update-domain' });
    expect(await page.textContent('#run-result')).toContain(child.workflowId);

    expect((await shopSite()).cdn).toBe('active');
    const writes = await writesSince(before);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`PUT ${SITE_PATH}`]);
  });

  it('the same file again shows no change and no apply button, and a drift schedule the console cannot read is said so; a file needing a secret reference is refused beside the plan, nothing started', { timeout: 60_000 }, async () => {
    const page = console_.page;
    // A drift schedule made with an encryption key this console lacks (as another deployment's, or a retired key's):
    // the fleet page says it cannot be read and stays usable. (Deleted at once: the suite's files share a namespace.)
    const otherKey = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace, dataConverter: encryptedDataConverter(singleKeyring(randomBytes(32))) });
    await upsertDriftSchedule(otherKey, { scheduleId: unreadableSchedule, file: { version: 1, accounts: {} }, taskQueue: stack.taskQueue });
    // Temporal's schedule listing is eventually consistent (seconds under load): the page can show it once listed.
    await waitFor('the schedule to be listed', async () => {
      for await (const summary of stack.t.client.schedule.list()) if (summary.scheduleId === unreadableSchedule) return true;
      return false;
    }, 30_000);
    await page.goto(consoleUrl('/fleet')).finally(() => stack.t.client.schedule.getHandle(unreadableSchedule).delete());
    expect(await page.textContent(`.drift[data-schedule="${unreadableSchedule}"] .notice.error`)).toContain('its settings cannot be read here: payload encrypted with key');
    await plan(fleetWith({ cdn: 'active' }));
    expect(await page.textContent('#fleet-plan-result .summary')).toContain('No change.');
    expect(await page.locator('#fleet-apply button').count()).toBe(0);
    expect(await page.textContent('#fleet-apply')).toContain('Nothing to apply');

    const before = await mark();
    await plan(fleetWith({ cdn: 'active' }, { users: [{ login: 'demoshop-ref', home: 'ref', sshState: 'none', password: 'env:OVHFLOW_API_TOKEN' }] }));
    expect(await page.locator('#fleet-apply button').count()).toBe(0);
    expect(await page.textContent('#fleet-apply .notice.error')).toContain('env:OVHFLOW_API_TOKEN: secret references are not read by the HTTP API');
    expect(await writesSince(before)).toEqual([]);
  });

  it('OVH changed between the plan shown and the confirmation: refused as stale, naming the site, nothing started or written; a confirmation without the CSRF token is refused', { timeout: 90_000 }, async () => {
    const page = console_.page;
    await plan(fleetWith({ cdn: 'active', ownLog: SHOP_SITE }));
    await page.click('#fleet-apply button[type=submit]');
    await page.waitForSelector('#fleet-confirm');
    const requestId = await page.inputValue('#fleet-confirm input[name=requestId]');

    // Someone changes the site in the Control Panel while the confirmation is on screen.
    await stack.ovh.updateAttachedDomain(SHOP, SHOP_SITE, { firewall: 'active' });
    await waitFor('the change by hand to be made', async () => (await shopSite()).firewall === 'active');
    const sinceEdit = await mark();
    await page.click('#fleet-confirm-apply');
    await page.waitForSelector('#fleet-apply-refused');
    expect(page.url()).toBe(consoleUrl('/fleet/apply'));
    expect(await page.textContent('#fleet-apply-refused')).toContain(`The plan shown is stale: OVH changed since for ${SHOP_SITE} (demo-shop.ovh, account default). Nothing was started`);
    expect(await workflowExists(`apply-fleet/${requestId}`)).toBe(false);
    expect(await writesSince(sinceEdit)).toEqual([]);
    // What OVH holds now is planned again, and can be applied from there.
    expect((await page.locator(`#fleet-plan-result .fleet-site[data-site="${SHOP_SITE}"] tr[data-kind=site]`).innerText()).replace(/\s+/g, ' ')).toContain('ownLog');
    expect(await page.textContent('#fleet-apply button[type=submit]')).toBe('Apply this 1 change');

    // The confirm form as a plain POST (no script): refused without this session's CSRF token, started with it.
    const fields = {
      file: await page.inputValue('#fleet-apply input[name=file]'),
      seen: await page.inputValue('#fleet-apply input[name=seen]'),
      step: 'confirm',
      requestId: `console-csrf-${Date.now()}`,
    };
    const confirm = (csrf: string) => page.request.post(consoleUrl('/fleet/apply'), { form: { ...fields, _csrf: csrf }, maxRedirects: 0 });
    expect((await confirm('x'.repeat(43))).status()).toBe(403);
    expect(await workflowExists(`apply-fleet/${fields.requestId}`)).toBe(false);
    expect(await writesSince(sinceEdit)).toEqual([]);
    const accepted = await confirm(await page.inputValue('#fleet-apply input[name=_csrf]'));
    expect(accepted.status()).toBe(303);
    expect(accepted.headers().location).toContain(encodeURIComponent(`apply-fleet/${fields.requestId}`));
    expect((await outcomeOf(stack.runs, `apply-fleet/${fields.requestId}`)).status).toBe('completed');
    expect((await shopSite()).ownLog).toBe(SHOP_SITE);
  });
});
