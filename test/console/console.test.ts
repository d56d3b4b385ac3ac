// The operator console in a real browser (the machine's Chromium), against the real API, run service, worker, Temporal
// dev server and OVH simulator: log in, watch a run that needs attention appear without reloading, retry it with a
// wrong correction (refused beside the field, nothing sent) then a right one and watch it complete, abort another and
// see what would be and what was undone, and find, start and schedule runs. Actions without a session or with a bad
// CSRF token are refused and change nothing.
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteNightlySchedule, describeNightlySchedule, upsertNightlySchedule } from '../../src/schedules/nightly.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { RUN_TYPES } from '../../src/shared/runs.js';
import { requestId, restoreInput, SHOP_DB } from '../backups/support.js';
import { startBuiltTestApi, type TestApi } from '../support/api.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { launchBrowser, type Page, type TestBrowser } from './browser.js';

const AGENCY = 'demo-agency.ovh';
const SHOP = 'demo-shop.ovh';
const SCREENSHOTS = process.env.OVHFLOW_SCREENSHOTS ? new URL('../../docs/screenshots/', import.meta.url).pathname : undefined;

describe('operator console in a browser', () => {
  let stack: TestStack;
  let api: TestApi;
  let chromium: TestBrowser;
  let page: Page;
  const leftWaiting: string[] = [];
  const pageErrors: string[] = [];

  const consoleUrl = (path = '') => `${api.url}/console${path}`;
  const runUrl = (workflowId: string) => consoleUrl(`/run?id=${encodeURIComponent(workflowId)}`);
  const screenshot = async (name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  };
  /** Marks the page; the mark survives only if the page is never reloaded or left. */
  const markPage = () => page.evaluate(() => ((globalThis as unknown as { consoleTestMark: number }).consoleTestMark = 42));
  const pageWasKept = () => page.evaluate(() => (globalThis as unknown as { consoleTestMark?: number }).consoleTestMark === 42);

  async function needsAttentionRun(fault: { method: string; path: string }, input: Record<string, unknown>) {
    await stack.sim.faults([{ ...fault, status: 400, times: 1 }]);
    const ref = await stack.runs.start('provision', provisionInput(input));
    return ref.workflowId;
  }

  async function login(target = page) {
    await target.goto(consoleUrl());
    expect(new URL(target.url()).pathname).toBe('/console/login');
    await target.fill('#token', 'not-the-token-at-all');
    await target.click('button[type=submit]');
    await expect.poll(() => target.textContent('.notice.error')).toContain('not the API token');
    await target.fill('#token', api.token);
    await target.click('button[type=submit]');
    await target.waitForURL(consoleUrl());
  }

  beforeAll(async () => {
    stack = await startTestStack('console');
    await stack.startWorker();
    await stack.sim.reset();
    // What `npm start` serves: the built server and the console's script as the build emits it.
    api = await startBuiltTestApi(stack);
    chromium = await launchBrowser();
    page = await chromium.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  });
  // A script error on any page (the live updates dead on arrival, a CSP refusal) fails the test it happened in.
  afterEach(() => {
    const seen = pageErrors.splice(0);
    expect(seen).toEqual([]);
  });
  afterAll(async () => {
    for (const workflowId of leftWaiting) await stack.runs.abort(workflowId).catch(() => undefined);
    await chromium?.close();
    await api?.close();
    await stack?.close();
  });

  it('refuses pages without a session, and actions without a session or with a bad CSRF token, changing nothing', async () => {
    const anonymous = await fetch(consoleUrl(), { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/console/login?next=%2Fconsole');
    // The console is for people: it is not part of the API's OpenAPI document.
    const openapi = (await (await fetch(`${api.url}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
    expect(Object.keys(openapi.paths)).toContain('/v1/runs');

    const domain = uniqueDomain('csrf');
    const workflowId = await needsAttentionRun({ method: 'POST', path: '/hosting/web/*/database' }, { serviceName: AGENCY, domain, database: {}, ssl: 'none' });
    leftWaiting.push(workflowId);
    await waitForStatus(stack.runs, workflowId, ['needs-attention']);
    const writesBefore = (await writesTo(stack.sim, AGENCY)).length;
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' as const });

    const noSession = await fetch(runUrl(workflowId), form({ decision: 'skip', _csrf: 'anything' }));
    expect(noSession.status).toBe(401);
    expect(await noSession.text()).toContain('Nothing was done');

    const wrongLogin = await fetch(consoleUrl('/login'), form({ token: 'x'.repeat(43) }));
    expect(wrongLogin.status).toBe(401);
    expect(wrongLogin.headers.get('set-cookie')).toBeNull();
    const loggedIn = await fetch(consoleUrl('/login'), form({ token: api.token, next: '/console' }));
    expect(loggedIn.status).toBe(303);
    const cookies = loggedIn.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('ovhflow_console='))).toMatch(/; Path=\/console; HttpOnly; SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('ovhflow_codec='))).toMatch(/; Path=\/codec; HttpOnly; SameSite=Strict/);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    // A real session, but no CSRF token, a wrong one, or another site's origin: refused.
    for (const [fields, headers] of [
      [{ decision: 'skip' }, {}],
      [{ decision: 'skip', _csrf: 'x'.repeat(43) }, {}],
      [{ decision: 'abort', _csrf: 'x'.repeat(43) }, {}],
    ] as Array<[Record<string, string>, Record<string, string>]>) {
      const refused = await fetch(runUrl(workflowId), { ...form(fields), headers: { ...form(fields).headers, cookie, ...headers } });
      expect(refused.status).toBe(403);
    }
    const page = await fetch(runUrl(workflowId), { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const crossSite = await fetch(runUrl(workflowId), { ...form({ decision: 'skip', _csrf: csrf as string }), headers: { ...form({}).headers, cookie, origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    // Another session's CSRF token does not fit this one.
    const other = (await fetch(consoleUrl('/login'), form({ token: api.token }))).headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(runUrl(workflowId), { ...form({ decision: 'skip', _csrf: csrf as string }), headers: { ...form({}).headers, cookie: other } })).status).toBe(403);

    const after = await stack.runs.describeRun(workflowId);
    expect(after.status).toBe('needs-attention');
    expect(after.progress?.steps.find((s) => s.name === 'createDatabase')?.attempts).toBe(1);
    expect((await writesTo(stack.sim, AGENCY)).length).toBe(writesBefore);
  });

  let retriedRun = '';
  it('logs in, and a run that needs attention appears in the queue without a reload', async () => {
    await login();
    const headers = (await page.goto(consoleUrl()))?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    // The session cookie is HttpOnly: no script on the page can read it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    await markPage();

    const domain = uniqueDomain('live');
    retriedRun = await needsAttentionRun({ method: 'POST', path: '/hosting/web/*/database' }, { serviceName: SHOP, domain, database: {}, module: { name: 'wordpress' }, ssl: 'none' });
    leftWaiting.push(retriedRun);
    const row = page.locator(`tr[data-run="${retriedRun}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await pageWasKept()).toBe(true);
    expect(await row.textContent()).toContain('OvhBadRequest');
    expect(await row.textContent()).toContain('createDatabase');

    // Filters: by service and failure type, and a service name the shared parser refuses.
    await page.goto(consoleUrl(`?service=${SHOP}&failureType=OvhBadRequest`));
    expect(await page.locator(`tr[data-run="${retriedRun}"]`).count()).toBe(1);
    await page.goto(consoleUrl(`?service=${AGENCY}`));
    expect(await page.locator(`tr[data-run="${retriedRun}"]`).count()).toBe(0);
    await page.goto(consoleUrl('?service=not%20a%20service'));
    expect(await page.textContent('#f-service-error')).toBeTruthy();
    await page.goto(consoleUrl());
    await screenshot('console-queue');
  });

  it('retries with a wrong correction (refused beside the field, nothing sent), then a right one, and follows the run to the end', async () => {
    await page.click(`tr[data-run="${retriedRun}"] a`);
    await page.waitForSelector('#attention');
    const attention = await page.textContent('#attention');
    expect(attention).toContain('OvhBadRequest');
    expect(attention).toContain('OVH said');
    expect(attention).toMatch(/OVH query id\s*\S+/);
    expect(attention).toContain('What to check');
    expect(await page.getAttribute('li[data-step="attachDomain"]', 'data-state')).toBe('done');
    expect(await page.getAttribute('li[data-step="createDatabase"]', 'data-state')).toBe('needs-attention');
    await screenshot('console-run-needs-attention');

    const handle = stack.t.client.workflow.getHandle(retriedRun);
    const eventsBefore = (await handle.fetchHistory()).events?.length;
    // Only the fields that can change what the failed step does: the database's, not the module's or the domain's.
    expect(await page.locator('[name="set.module.name"]').count()).toBe(0);
    expect(await page.locator('[name="set.path"]').count()).toBe(0);
    expect(await page.locator('[name="set.database.capability"] option').allTextContents()).toContain('sqlPro');
    await page.fill('[name="set.database.userSuffix"]', 'bad suffix!');
    await page.click('#retry-form button[type=submit]');
    await page.waitForSelector('#f-set-database-userSuffix-error');
    expect(await page.getAttribute('[name="set.database.userSuffix"]', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('[name="set.database.userSuffix"]')).toBe('bad suffix!');
    await screenshot('console-retry-refused');
    // Nothing was sent: no update in the history, the step not retried.
    expect((await handle.fetchHistory()).events?.length).toBe(eventsBefore);
    const still = await stack.runs.describeRun(retriedRun);
    expect(still.status).toBe('needs-attention');
    expect(still.progress?.steps.find((s) => s.name === 'createDatabase')?.attempts).toBe(1);
    // The refused form stays as typed while the page refreshes itself.
    await page.waitForTimeout(3500);
    expect(await page.inputValue('[name="set.database.userSuffix"]')).toBe('bad suffix!');

    await page.fill('[name="set.database.userSuffix"]', 'fix');
    await page.click('#retry-form button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(await page.textContent('.notice.ok')).toContain('Retry accepted');
    await markPage();
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect(await pageWasKept()).toBe(true);
    expect(await page.getAttribute('li[data-step="createDatabase"]', 'data-state')).toBe('done');
    expect(await page.getAttribute('li[data-step="installModule"]', 'data-state')).toBe('done');
    leftWaiting.splice(leftWaiting.indexOf(retriedRun), 1);

    // The result's generated passwords are masked, and absent from the page source, until asked for.
    const done = await stack.runs.describeRun(retriedRun);
    const result = done.result as ProvisionSiteResult;
    expect(result.database?.user).toMatch(/fix$/);
    const password = result.database?.password as string;
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(await page.content()).not.toContain(password);
    expect(await page.textContent('#run-result')).toContain('********');
    await screenshot('console-run-completed');
    await page.click('#run-result button[type=submit]');
    await page.waitForSelector('#run-secrets');
    expect(await page.textContent('#run-secrets')).toContain(password);
    expect(stack.t.logLines.join('\n')).not.toContain(password);
    await page.goto(runUrl(retriedRun));
    expect(await page.content()).not.toContain(password);
  });

  it('aborts after showing what would be undone, then shows what was undone', async () => {
    await stack.sim.reset();
    const domain = uniqueDomain('abort');
    const workflowId = await needsAttentionRun(
      { method: 'POST', path: '/hosting/web/*/module' },
      { serviceName: SHOP, domain, database: { userSuffix: 'abrt' }, module: { name: 'joomla' }, ssl: 'none' },
    );
    leftWaiting.push(workflowId);
    await page.goto(runUrl(workflowId));
    await markPage();
    await page.waitForSelector('#run-head .badge.needs-attention', { timeout: 30_000 });
    await page.click('text=Abort…');
    await page.waitForSelector('#abort-preview');
    const undo = await page.locator('#undo-list li').allTextContents();
    // What the run itself says an abort would undo, in its order: the database before the domain attached before it.
    expect(undo).toEqual((await stack.runs.describeRun(workflowId)).progress?.undo);
    const databaseAt = undo.findIndex((item) => /delete database demoshopabrt/.test(item));
    const domainAt = undo.findIndex((item) => item.includes(`detach ${domain}`));
    expect(databaseAt).toBeGreaterThanOrEqual(0);
    expect(domainAt).toBeGreaterThan(databaseAt);
    await screenshot('console-abort-preview');

    await page.click('#abort-preview button[type=submit]');
    await page.waitForSelector('.notice.ok');
    await page.waitForSelector('#run-head .badge.aborted', { timeout: 60_000 });
    leftWaiting.splice(leftWaiting.indexOf(workflowId), 1);
    const undone = await page.locator('#compensation ol.undone li').allTextContents();
    expect(undone).toEqual((await stack.runs.describeRun(workflowId)).progress?.compensation?.undone);
    expect(undone.findIndex((item) => /delete database demoshopabrt/.test(item))).toBeGreaterThanOrEqual(0);
    expect(undone.findIndex((item) => item.includes(`detach ${domain}`))).toBeGreaterThan(undone.findIndex((item) => /delete database/.test(item)));
    await screenshot('console-run-aborted');
    const state = (await stack.sim.state()).services[SHOP]!;
    expect(state.attachedDomains.some((d) => d.domain === domain)).toBe(false);
    expect(state.databases.some((d) => d.name === 'demoshopabrt')).toBe(false);
  });

  it('a run aborted elsewhere (the CLI, the API) changes on its open page without a reload, which says it is live', async () => {
    const domain = uniqueDomain('live-abort');
    const workflowId = await needsAttentionRun({ method: 'POST', path: '/hosting/web/*/database' }, { serviceName: AGENCY, domain, database: {}, ssl: 'none' });
    leftWaiting.push(workflowId);
    await waitForStatus(stack.runs, workflowId, ['needs-attention']);
    await page.goto(runUrl(workflowId));
    await page.waitForSelector('#run-head .badge.needs-attention');
    await markPage();
    await expect.poll(() => page.textContent('#live-status'), { timeout: 15_000 }).toBe('Live');

    await stack.runs.abort(workflowId);
    leftWaiting.splice(leftWaiting.indexOf(workflowId), 1);
    await page.waitForSelector('#run-head .badge.aborted', { timeout: 60_000 });
    expect(await pageWasKept()).toBe(true);
    expect(await page.locator('#decide').count()).toBe(0);
    expect(await page.textContent('#live-status')).toBe('Live');
  });

  it('offers no skip on a step that cannot be skipped (a preflight that found no hosting service)', async () => {
    const domain = uniqueDomain('no-skip');
    const { workflowId } = await stack.runs.start('provision', provisionInput({ serviceName: 'nope.ovh', domain, ssl: 'none' }));
    leftWaiting.push(workflowId);
    await waitForStatus(stack.runs, workflowId, ['needs-attention']);
    await page.goto(runUrl(workflowId));
    await page.waitForSelector('#decide');
    expect(await page.textContent('#attention')).toContain('preflight');
    expect(await page.locator('#decide button', { hasText: 'Skip' }).count()).toBe(0);
    expect(await page.textContent('#decide')).toContain('Step preflight cannot be skipped: retry it, or abort.');
    expect(await page.locator('#decide button', { hasText: 'Retry step preflight' }).count()).toBe(1);
  });

  it('skips a step from the run page', async () => {
    const domain = uniqueDomain('skip');
    const workflowId = await needsAttentionRun({ method: 'POST', path: '/hosting/web/*/module' }, { serviceName: SHOP, domain, database: {}, module: { name: 'drupal' }, ssl: 'none' });
    leftWaiting.push(workflowId);
    await page.goto(runUrl(workflowId));
    await page.waitForSelector('#decide', { timeout: 30_000 });
    await page.click('text=Skip step installModule');
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    leftWaiting.splice(leftWaiting.indexOf(workflowId), 1);
    expect(await page.getAttribute('li[data-step="installModule"]', 'data-state')).toBe('skipped');
    expect(((await outcomeOf(stack.runs, workflowId)).result as ProvisionSiteResult).skipped).toEqual(['installModule']);
  });

  it('gives a restore its go-ahead after showing what it waits for', async () => {
    await stack.sim.reset();
    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: 5001 }), { requestId: requestId() });
    leftWaiting.push(ref.workflowId);
    await page.goto(runUrl(ref.workflowId));
    await page.waitForSelector('#run-head .badge.needs-attention', { timeout: 30_000 });
    expect(await page.textContent('#attention')).toContain('OvhflowConfirmationRequired');
    // Nothing failed: there is nothing to retry or skip, only confirm or abort.
    expect(await page.locator('#retry-form').count()).toBe(0);
    await page.click('text=Confirm…');
    await page.waitForSelector('#confirm-preview');
    expect(await page.textContent('#confirm-preview')).toContain('dump 5001');
    await screenshot('console-restore-confirm');
    await page.click('#confirm-preview button[type=submit]');
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    leftWaiting.splice(leftWaiting.indexOf(ref.workflowId), 1);
    expect(((await stack.runs.describeRun(ref.workflowId)).result as { confirmedBy?: string }).confirmedBy).toBe('update');
  });

  it('starts a provisioning, a backup and a domain update from forms, refusing bad input beside its field', async () => {
    // The start page lists every run kind of the table; each has its own form.
    await page.goto(consoleUrl('/start'));
    expect(await page.locator('#run-kinds > li').count()).toBe(RUN_TYPES.length);
    await page.click('#kind-provision a');
    // The hosting service is offered from what the worker lists in the account, not typed.
    expect(await page.locator('#provision select[name=serviceName] option').allTextContents()).toEqual(expect.arrayContaining([AGENCY, SHOP]));
    // The certificate boxes only matter for a custom certificate: hidden until it is chosen.
    expect(await page.isVisible('#provision [name="ssl.key"]')).toBe(false);
    await page.selectOption('#provision [name=ssl]', 'custom');
    expect(await page.isVisible('#provision [name="ssl.key"]')).toBe(true);
    await page.selectOption('#provision [name=ssl]', 'letsencrypt');
    await page.selectOption('#provision [name=serviceName]', AGENCY);
    await page.fill('#provision [name=domain]', 'shop..example.com');
    await page.click('#provision button[type=submit]');
    await page.waitForSelector('#f-domain-error');
    expect(await page.textContent('#f-domain-error')).toContain('not a valid domain name');
    await screenshot('console-start-refused');

    const domain = uniqueDomain('form');
    await page.fill('#provision [name=domain]', domain);
    await page.selectOption('#provision [name=module]', 'wordpress');
    await page.selectOption('#provision [name=ssl]', 'none');
    await screenshot('console-start-form');
    await page.click('#provision button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(await page.textContent('.notice.ok')).toContain('Run started');
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('id')).toBe(`provision-site/${AGENCY}/${domain}`);

    const database = (await stack.sim.state()).services[AGENCY]!.databases[0]?.name as string;
    await page.goto(consoleUrl('/start/backup'));
    await page.selectOption('#backup [name=serviceName]', AGENCY);
    await page.fill('#backup [name=databaseName]', database);
    await page.click('#backup button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const backupId = new URL(page.url()).searchParams.get('id') as string;
    expect(backupId).toMatch(new RegExp(`^backup-database/${AGENCY}/${database}/`));
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });

    // The site's attached domain, changed from its own form: a domain that is not valid is refused beside it.
    await page.goto(consoleUrl('/start/update-domain'));
    await page.selectOption('#update-domain [name=serviceName]', AGENCY);
    await page.fill('#update-domain [name=domain]', `x..${domain}`);
    await page.selectOption('#update-domain [name=cdn]', 'active');
    await page.click('#update-domain button[type=submit]');
    await page.waitForSelector('#update-domain #f-domain-error');
    await page.fill('#update-domain [name=domain]', domain);
    await page.click('#update-domain button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(new URL(page.url()).searchParams.get('id')).toMatch(new RegExp(`^update-attached-domain/${AGENCY}/${domain}/`));
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect((await stack.sim.state()).services[AGENCY]!.attachedDomains.find((d) => d.domain === domain)).toMatchObject({ cdn: 'active' });
  });

  it('offers a form for every run kind, and a value outside the choices is refused by the parser beside its field', async () => {
    for (const type of RUN_TYPES) {
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const answer = await fetch(consoleUrl(`/start/${type}`), { headers: { cookie } });
      expect(answer.status, type).toBe(200);
      const body = await answer.text();
      expect(body, type).toContain(`<section class="card" id="${type}">`);
      expect(body, type).toContain(`action="/console/start/${type}"`);
    }
    // A form posted by hand (no browser to hold it to the choices) goes through the same parser as the CLI.
    await page.goto(consoleUrl('/start/update-domain'));
    await page.evaluate(() => {
      interface Select { value: string; insertAdjacentHTML(where: string, html: string): void }
      const select = (globalThis as unknown as { document: { querySelector(s: string): Select } }).document.querySelector('#update-domain select[name=cdn]');
      select.insertAdjacentHTML('beforeend', '<option value="on">on</option>');
      select.value = 'on';
    });
    await page.selectOption('#update-domain [name=serviceName]', AGENCY);
    await page.fill('#update-domain [name=domain]', 'any.example.org');
    await page.click('#update-domain button[type=submit]');
    await page.waitForSelector('#update-domain #f-cdn-error');
    expect(await page.textContent('#update-domain #f-cdn-error')).toContain('"on" is not allowed; use one of "active", "none"');
    // What was refused stays chosen, so the operator sees what was sent.
    expect(await page.inputValue('#update-domain select[name=cdn]')).toBe('on');

    // The nightly dumps' form takes its night, checked as a night before anything starts.
    await page.goto(consoleUrl('/start/nightly'));
    expect(await page.inputValue('#nightly [name=night]')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.fill('#nightly [name=night]', 'tonight');
    await page.click('#nightly button[type=submit]');
    await page.waitForSelector('#nightly #f-night-error');
    expect(await page.textContent('#nightly #f-night-error')).toContain('YYYY-MM-DD');
  });

  it('finds runs by service, domain, type and status', async () => {
    const domain = (retriedRun.split('/')[2]) as string;
    await page.goto(consoleUrl(`/runs?domain=${domain}`));
    expect(await page.locator('#runs-table tbody tr').count()).toBe(1);
    expect(await page.textContent(`tr[data-run="${retriedRun}"]`)).toContain('completed');
    await page.goto(consoleUrl(`/runs?service=${SHOP}&type=provision&status=completed`));
    expect(await page.locator(`tr[data-run="${retriedRun}"]`).count()).toBe(1);
    await page.goto(consoleUrl(`/runs?service=${SHOP}&status=aborted`));
    expect(await page.locator(`tr[data-run="${retriedRun}"]`).count()).toBe(0);
    await screenshot('console-runs');
    await page.goto(consoleUrl('/runs?domain=bad..example.com'));
    expect(await page.textContent('#f-domain-error')).toContain('not a valid domain name');
  });

  it('pauses, unpauses and triggers a nightly schedule', async () => {
    const scheduleId = `console-${Date.now()}`;
    await upsertNightlySchedule(stack.t.client, { scheduleId, input: { services: [AGENCY], concurrency: 2 }, taskQueue: stack.taskQueue });
    try {
      await page.goto(consoleUrl('/schedules'));
      const card = page.locator(`[data-schedule="${scheduleId}"]`);
      await card.locator('text=Pause').click();
      await page.waitForSelector('.notice.ok');
      expect((await describeNightlySchedule(stack.t.client, scheduleId)).paused).toBe(true);
      expect(await page.locator(`[data-schedule="${scheduleId}"] .badge`).textContent()).toBe('paused');
      await page.locator(`[data-schedule="${scheduleId}"]`).locator('text=Unpause').click();
      await page.waitForSelector('.notice.ok');
      expect((await describeNightlySchedule(stack.t.client, scheduleId)).paused).toBe(false);
      await page.locator(`[data-schedule="${scheduleId}"]`).locator('text=Run a night now').click();
      await page.waitForSelector('.notice.ok');
      await expect.poll(async () => (await describeNightlySchedule(stack.t.client, scheduleId)).recentRuns.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await screenshot('console-schedules');
    } finally {
      await deleteNightlySchedule(stack.t.client, scheduleId);
    }
  });

  it('logs out: the session ends and pages ask for a login again', async () => {
    await page.goto(consoleUrl());
    await page.click('header button[type=submit]');
    await page.waitForURL(/\/console\/login$/);
    await page.goto(consoleUrl('/runs'));
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });
});
