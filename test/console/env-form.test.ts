// The console's environment-variables form in a real browser (the machine's Chromium), against the real API, run
// service, worker, Temporal dev server and OVH simulator: the form comes from the run kinds table's `env` row; its
// lines become the variables, the password field's lines password variables that are never shown back, and a bad line
// is refused above the form with nothing started.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api.js';
import { writesTo, type TestStack } from '../support/stack.js';
import type { Page } from './browser.js';
import { startLoggedInConsole, type LoggedInConsole } from './logged-in.js';

const SHOP = 'demo-shop.ovh';

describe("the console's environment-variables form in a browser", () => {
  let session: LoggedInConsole;
  let stack: TestStack;
  let api: TestApi;
  let page: Page;
  const consoleUrl = (path = '') => `${api.url}/console${path}`;

  beforeAll(async () => {
    session = await startLoggedInConsole('console-env');
    ({ stack, api, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  const envWrites = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.path.includes('/envVar'));

  it('sets variables from its lines, a password one masked and never shown back; a bad line is refused with nothing started', { timeout: 120_000 }, async () => {
    const secret = `FormSecret-${randomUUID().slice(0, 8)}`;
    await page.goto(consoleUrl('/start/env'));
    await page.selectOption('#env [name=serviceName]', SHOP);
    await page.fill('#env [name=variables]', '1BAD=x');
    await page.fill('#env [name=passwords]', `FORM_SECRET=${secret}`);
    await page.click('#env button[type=submit]');
    await page.waitForSelector('.notice.error');
    expect(await page.textContent('.notice.error')).toContain('a variable name is letters, digits and _');
    // The password is not sent back into the page: it is typed again.
    expect(await page.inputValue('#env [name=passwords]')).toBe('');
    expect(await page.content()).not.toContain(secret);
    expect(await envWrites()).toEqual([]);

    await page.fill('#env [name=variables]', 'FORM_VAR=hello\nFORM_COUNT:integer=3');
    await page.fill('#env [name=passwords]', `FORM_SECRET=${secret}`);
    await page.click('#env button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(new URL(page.url()).searchParams.get('id')).toMatch(new RegExp(`^set-env-vars/${SHOP}/`));
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect(await page.textContent('body')).toContain('********');
    expect(await page.content()).not.toContain(secret);
    const variables = (await stack.sim.state()).services[SHOP]!.envVars;
    expect(variables.map(({ key, type, value }) => ({ key, type, value })).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'FORM_COUNT', type: 'integer', value: '3' },
      { key: 'FORM_SECRET', type: 'password', value: secret },
      { key: 'FORM_VAR', type: 'string', value: 'hello' },
    ]);
    expect((await envWrites()).map((w) => w.method)).toEqual(['POST', 'POST', 'POST']);
  });
});
