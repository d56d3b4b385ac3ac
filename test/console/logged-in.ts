// A console to drive in a real browser: the suite's Temporal dev server, the simulator, a worker, the API serving the
// built console, and a Chromium page already logged in with the API token. Shared by the run kinds' form tests.
import { startBuiltTestApi, type TestApi } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { launchBrowser, type Page } from './browser.js';

export interface LoggedInConsole {
  stack: TestStack;
  api: TestApi;
  page: Page;
  close(): Promise<void>;
}

export async function startLoggedInConsole(name: string): Promise<LoggedInConsole> {
  const stack = await startTestStack(name);
  await stack.startWorker();
  const api = await startBuiltTestApi(stack);
  const chromium = await launchBrowser();
  const page = await chromium.newPage();
  const home = `${api.url}/console`;
  await page.goto(home);
  await page.fill('#token', api.token);
  await page.click('button[type=submit]');
  await page.waitForURL(home);
  return {
    stack,
    api,
    page,
    async close() {
      await chromium.close();
      await api.close();
      await stack.close();
    },
  };
}
