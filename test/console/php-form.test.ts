// The console's PHP form in a real browser (the machine's Chromium), against the real API, run service, worker,
// Temporal dev server and OVH simulator: the form comes from the run kinds table's `php` row, a version the hosting
// does not offer ends the run refused with nothing written, and a valid one changes the folder's .ovhconfig.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api.js';
import { writesTo, type TestStack } from '../support/stack.js';
import type { Page } from './browser.js';
import { startLoggedInConsole, type LoggedInConsole } from './logged-in.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';

describe("the console's PHP form in a browser", () => {
  let session: LoggedInConsole;
  let stack: TestStack;
  let api: TestApi;
  let page: Page;
  const consoleUrl = (path = '') => `${api.url}/console${path}`;

  beforeAll(async () => {
    session = await startLoggedInConsole('console-php');
    ({ stack, api, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  const configChanges = async (serviceName: string) => (await writesTo(stack.sim, serviceName)).filter((w) => w.path.includes('/ovhConfig/'));

  it("sets a folder's PHP from its form; a version the hosting lacks ends refused, nothing written", { timeout: 120_000 }, async () => {
    await page.goto(consoleUrl('/start/php'));
    await page.selectOption('#php [name=serviceName]', AGENCY);
    await page.selectOption('#php [name=engineVersion]', '8.5');
    await page.click('#php button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const refusedId = new URL(page.url()).searchParams.get('id') as string;
    expect(refusedId).toMatch(new RegExp(`^set-php-config/${AGENCY}/\\./`));
    await page.waitForSelector('#run-head .badge.failed', { timeout: 60_000 });
    expect(await page.textContent('body')).toContain('this hosting does not offer PHP 8.5');
    expect(await configChanges(AGENCY)).toEqual([]);

    await page.goto(consoleUrl('/start/php'));
    await page.selectOption('#php [name=serviceName]', SHOP);
    await page.fill('#php [name=path]', 'shop');
    await page.selectOption('#php [name=engineVersion]', '8.3');
    await page.selectOption('#php [name=environment]', 'development');
    await page.click('#php button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(new URL(page.url()).searchParams.get('id')).toMatch(new RegExp(`^set-php-config/${SHOP}/shop/`));
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    const shop = (await stack.sim.state()).services[SHOP]!.ovhConfigs.find((config) => config.path === 'shop' && config.historical === false);
    expect(shop).toMatchObject({ engineVersion: '8.3', environment: 'development' });
    expect((await configChanges(SHOP)).map((w) => w.method)).toEqual(['POST']);
  });
});
