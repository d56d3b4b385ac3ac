// The console's fleet page in a real browser (the machine's Chromium) against the built API and console script, a
// worker, the Temporal dev server and the OVH simulator: a fleet file picked from disk becomes its plan per site —
// create, field: old → new, blocked with why, unmanaged — with nothing written; a file with a plaintext secret is
// refused and not echoed back; the drift schedule's latest report is shown the same way.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import yaml from 'js-yaml';
import type { LatestDrift } from '../../src/schedules/drift.js';
import { startBuiltTestApi, type TestApi } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { launchBrowser, type Page, type TestBrowser } from './browser.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const SHOP_SITE = 'shop.example.com';

describe("the console's fleet page in a browser", () => {
  let stack: TestStack;
  let api: TestApi;
  let chromium: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  const scheduleId = `console-drift-${Date.now()}`;
  const consoleUrl = (path = '') => `${api.url}/console${path}`;
  const writes = async () => (await stack.sim.requests()).filter((r) => r.method !== 'GET');

  beforeAll(async () => {
    stack = await startTestStack('console-fleet');
    await stack.startWorker();
    api = await startBuiltTestApi(stack);
    chromium = await launchBrowser();
    page = await chromium.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    // A CSP refusal is reported on the console, not as a page error (a refused form's own 422 is the page itself).
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 422/.test(message.text())) pageErrors.push(`${page.url()}: console: ${message.text()}`);
    });
    await page.goto(consoleUrl());
    await page.fill('#token', api.token);
    await page.click('button[type=submit]');
    await page.waitForURL(consoleUrl());
  }, 120_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await stack?.t.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
    await chromium?.close();
    await api?.close();
    await stack?.close();
  });

  it('a picked fleet file shows its plan per site: create, field old → new, blocked with why, unmanaged; nothing written', { timeout: 120_000 }, async () => {
    const file = {
      version: 1,
      accounts: {
        default: {
          services: {
            [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn: 'active' }] },
            [AGENCY]: { sites: [{ domain: 'new.example.org', path: 'new' }], php: [{ path: '', engineVersion: '8.5' }] },
          },
        },
      },
    };
    await page.goto(consoleUrl('/fleet'));
    // Other files of the suite make drift schedules in the same namespace: only this file's own is known absent.
    expect(await page.locator(`.drift[data-schedule="${scheduleId}"]`).count()).toBe(0);
    await page.setInputFiles('#fleet-upload', { name: 'fleet.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml.dump(file)) });
    // The console script reads the picked file into the form.
    await vi.waitFor(async () => expect(await page.inputValue('#f-file')).toContain(SHOP_SITE));
    await page.click('#fleet-plan button[type=submit]');
    await page.waitForSelector('#fleet-plan-result');

    const shop = page.locator(`#fleet-plan-result .fleet-site[data-site="${SHOP_SITE}"]`);
    expect(await shop.getAttribute('data-action')).toBe('change');
    const cdn = shop.locator('tr[data-kind=site]');
    expect((await cdn.innerText()).replace(/\s+/g, ' ')).toContain('cdn: none → active');
    expect(await cdn.locator('[data-action]').getAttribute('data-action')).toBe('change');
    // What the shop holds beside the declared site is unmanaged, never a removal.
    expect(await shop.locator('tr[data-kind=module] [data-action]').getAttribute('data-action')).toBe('unmanaged');

    const created = page.locator('#fleet-plan-result .fleet-site[data-site="new.example.org"]');
    expect(await created.getAttribute('data-action')).toBe('create');
    expect(await created.locator('tr[data-kind=site]').innerText()).toContain('provision');

    const agencyHome = page.locator(`#fleet-plan-result .fleet-service[data-service="${AGENCY}"] tr[data-kind=php]`);
    expect(await agencyHome.locator('[data-action]').getAttribute('data-action')).toBe('blocked');
    expect(await agencyHome.innerText()).toMatch(/does not offer PHP 8\.5; it offers 7\.4, .*8\.4/);

    const summary = JSON.parse((await page.getAttribute('#fleet-plan-result .summary', 'data-summary')) as string);
    expect(summary).toMatchObject({ create: 1, change: 1, blocked: 1 });
    expect(summary.unmanaged).toBeGreaterThan(0);
    expect(await page.textContent('#fleet-plan-result .summary')).toContain('Nothing was written');
    // The apply is offered for what can be done (the blocked PHP starts nothing), and only offered: nothing written.
    expect(await page.textContent('#fleet-apply button[type=submit]')).toBe('Apply these 2 changes');
    expect(await writes()).toEqual([]);
  });

  it('a file with a plaintext secret is refused beside the form and not echoed back; nothing read', { timeout: 60_000 }, async () => {
    const before = (await stack.sim.requests()).length;
    await page.goto(consoleUrl('/fleet'));
    await page.fill('#f-file', yaml.dump({ version: 1, accounts: { default: { services: { [SHOP]: { users: [{ login: 'demoshop-x', home: 'x', password: 'PlainHunter22' }] } } } } }));
    await page.click('#fleet-plan button[type=submit]');
    await page.waitForSelector('.notice.error');
    expect(await page.textContent('.notice.error')).toContain('a plaintext secret is not allowed in a fleet file');
    expect(await page.content()).not.toContain('PlainHunter22');
    expect(await page.locator('#fleet-plan-result').count()).toBe(0);
    expect((await stack.sim.requests()).slice(before).filter((r) => r.path !== '/auth/time')).toEqual([]);
  });

  it("shows the drift schedule's latest report, site by site", { timeout: 120_000 }, async () => {
    const file = yaml.dump({ version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn: 'active' }] } } } } });
    expect((await api.call('POST', '/v1/schedules/drift', { body: { scheduleId, file, source: 'fleets/shop.yaml' } })).status).toBe(201);
    await page.goto(consoleUrl('/fleet'));
    expect(await page.textContent(`.drift[data-schedule="${scheduleId}"]`)).toContain('No completed check yet');

    expect((await api.call('POST', `/v1/schedules/${scheduleId}/trigger`)).status).toBe(200);
    await vi.waitFor(async () => expect(((await api.call('GET', `/v1/drift/latest?scheduleId=${scheduleId}`)).body as LatestDrift).report).toBeDefined(), { timeout: 90_000, interval: 1000 });
    await page.goto(consoleUrl('/fleet'));
    const report = page.locator(`.drift[data-schedule="${scheduleId}"]`);
    expect(await report.locator('.headline').innerText()).toMatch(/^1 to change, \d+ unmanaged on /);
    expect((await report.locator(`.fleet-site[data-site="${SHOP_SITE}"] tr[data-kind=site]`).innerText()).replace(/\s+/g, ' ')).toContain('cdn: none → active');
    expect(await writes()).toEqual([]);
  });
});
