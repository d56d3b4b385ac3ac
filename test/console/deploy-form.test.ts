// The console's Git deployment form in a real browser (the machine's Chromium), against the real API, run service,
// worker, Temporal dev server and OVH simulator: the form comes from the run kinds table's `deploy` row; a deployment
// OVH could not run shows its log on the run page, and the retry there deploys again, ending with the push webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api.js';
import { type TestStack } from '../support/stack.js';
import type { Page } from './browser.js';
import { startLoggedInConsole, type LoggedInConsole } from './logged-in.js';

const AGENCY = 'demo-agency.ovh';

describe("the console's Git deployment form in a browser", () => {
  let session: LoggedInConsole;
  let stack: TestStack;
  let api: TestApi;
  let page: Page;
  const consoleUrl = (path = '') => `${api.url}/console${path}`;

  beforeAll(async () => {
    session = await startLoggedInConsole('console-deploy');
    ({ stack, api, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it("deploys a folder from its form; a failed deployment shows OVH's log and the retry on the run page deploys again", { timeout: 120_000 }, async () => {
    await stack.sim.faults([{ taskFunction: 'website/vcs/deploy', serviceName: AGENCY, outcome: 'failed', times: 1 }]);
    await page.goto(consoleUrl('/start/deploy'));
    await page.selectOption('#deploy [name=serviceName]', AGENCY);
    await page.fill('#deploy [name=path]', 'www/console');
    await page.fill('#deploy [name=repository]', 'https://github.com/acme/console-site');
    await page.fill('#deploy [name=branch]', 'main');
    await page.click('#deploy button[type=submit]');
    await page.waitForSelector('.notice.ok');
    expect(new URL(page.url()).searchParams.get('id')).toMatch(new RegExp(`^deploy-website/${AGENCY}/www/console/`));

    await page.waitForSelector('#run-head .badge.needs-attention', { timeout: 60_000 });
    const attention = await page.textContent('#attention');
    expect(attention).toContain('OvhDeploymentFailed');
    expect(attention).toContain("fatal: could not read Username for 'https://github.com'");

    await page.click('#retry-form button[type=submit]');
    await page.waitForSelector('#run-head .badge.completed', { timeout: 60_000 });
    expect(await page.textContent('#run-result')).toMatch(/https:\/\/webhooks\.hosting\.ovh\.net\/1\.0\/vcs\/github\//);
    const link = (await stack.sim.state()).services[AGENCY]!.websites.find((website) => website.path === 'www/console');
    expect(link?.deployments.map((deployment) => deployment.status)).toEqual(['failed', 'successful']);
  });
});
