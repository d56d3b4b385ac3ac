// The console's cron form in a real browser (the machine's Chromium), against the real API, run service, worker,
// Temporal dev server and OVH simulator: the form comes from the run kinds table's `cron` row, a malformed frequency
// is refused beside its field with nothing started, and a valid job is added at "OVH".
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api.js';
import { writesTo, type TestStack } from '../support/stack.js';
import type { Page } from './browser.js';
import { startLoggedInConsole, type LoggedInConsole } from './logged-in.js';

const SHOP = 'demo-shop.ovh';

describe("the console's cron form in a browser", () => {
  let session: LoggedInConsole;
  let stack: TestStack;
  let api: TestApi;
  let page: Page;
  const consoleUrl = (path = '') => `${api.url}/console${path}`;

  beforeAll(async () => {
    session = await startLoggedInConsole('console-cron');
    ({ stack, api, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  const cronWrites = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.path.includes('/cron'));

  it('adds a cron job from its form; a malformed frequency is refused beside the field, nothing started', { timeout: 120_000 }, async () => {
    const command = `shop/cron/console-${randomUUID().slice(0, 8)}.php`;
    await page.goto(consoleUrl('/start/cron'));
    await page.selectOption('#cron [name=serviceName]', SHOP);
    await page.fill('#cron [name=command]', command);
    await page.fill('#cron [name=frequency]', '0 3 * *');
    await page.click('#cron button[type=submit]');
    await page.waitForSelector('#cron .field-error');
    expect(await page.textContent('#cron .field-error')).toContain('a frequency is 5 crontab fields');
    expect(await cronWrites()).toEqual([]);

    await page.fill('#cron [name=command]', command);
    await page.fill('#cron [name=frequency]', '0 3 * * *');
    await page.selectOption('#cron [name=language]', 'php8.4');
    await page.click('#cron button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(new URL(page.url()).searchParams.get('id')).toMatch(new RegExp(`^cron/${SHOP}/add/`));
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect(await page.textContent('body')).toContain('OVH ignores the minutes field');
    const jobs = (await stack.sim.state()).services[SHOP]!.crons.filter((job) => job.command === command);
    expect(jobs).toEqual([expect.objectContaining({ frequency: '0 3 * * *', language: 'php8.4', state: 'created' })]);
    expect((await cronWrites()).map((w) => w.method)).toEqual(['POST']);
  });
});
