// The Temporal UI decodes ovhflow's encrypted payloads out of the box, as `npm start` wires it: the dev server's UI
// behind the gateway that also serves /codec at the UI's origin, and the codec endpoint of the HTTP API. A browser
// that has not logged in sees the codec refuse it; once the person logs in to the console (nothing set in the UI's
// codec dialog), the same page shows the run's input in clear.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createApiServer } from '../../src/api/server.js';
import { startTemporalUiGateway, type TemporalUiGateway } from '../../src/api/temporal-ui-gateway.js';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { createLogger } from '../../src/logging/logger.js';
import { OvhClient } from '../../src/ovh/client.js';
import { createRunService, type RunService } from '../../src/runs/service.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { freePort } from '../../src/temporal/ports.js';
import { connectWorkerConnection, createWorker } from '../../src/worker.js';
import { provisionInput } from '../support/provisioning.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { FAST_POLL, outcomeOf, uniqueDomain } from '../support/stack.js';
import { TEST_KEYRING, uniqueTaskQueue } from '../support/temporal.js';
import { launchBrowser, type TestBrowser } from './browser.js';

const SCREENSHOTS = process.env.OVHFLOW_SCREENSHOTS ? new URL('../../docs/screenshots/', import.meta.url).pathname : undefined;

describe('the Temporal UI after npm start', () => {
  const logger = createLogger('warn');
  const stops: Array<() => Promise<unknown>> = [];
  let server: DevServer;
  let gateway: TemporalUiGateway;
  let api: FastifyInstance;
  let apiUrl: string;
  let token: string;
  let runs: RunService;
  let sim: TestSimulator;
  let chromium: TestBrowser;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ovhflow-ui-'));
    // The suite's dev server is headless; this one has the UI, wired as `ovhflow dev` wires it.
    const uiPort = await freePort();
    const innerUiPort = await freePort();
    const apiPort = await freePort();
    apiUrl = `http://localhost:${apiPort}`;
    server = await startDevServer({ uiPort: innerUiPort, uiCodecEndpoint: `http://localhost:${uiPort}/codec`, logFile: join(workDir, 'temporal.log') });
    stops.push(() => server.stop());
    gateway = await startTemporalUiGateway({ host: '127.0.0.1', port: uiPort, ui: `http://127.0.0.1:${innerUiPort}`, api: `http://127.0.0.1:${apiPort}` });
    stops.push(() => gateway.close());

    sim = await startTestSimulator();
    stops.push(() => sim.stop());
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace, dataConverter: encryptedDataConverter(TEST_KEYRING) });
    const nativeConnection: NativeConnection = await connectWorkerConnection({ address: server.address }, logger);
    stops.push(() => nativeConnection.close());
    const taskQueue = uniqueTaskQueue('temporal-ui');
    const ovh = new OvhClient({ endpoint: sim.url, ...sim.credentials, caFile: sim.caFile, timeoutMs: 5000, logger });
    const { worker } = await createWorker({
      temporal: { address: server.address, namespace: server.namespace, taskQueue },
      logger,
      connection: nativeConnection,
      workflowBundlePath: inject('workflowBundlePath'),
      keyring: TEST_KEYRING,
      ovh,
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    token = randomBytes(32).toString('base64url');
    api = createApiServer({ runs, keyring: TEST_KEYRING, token, logger, uiOrigins: [gateway.url], temporalUi: gateway.url });
    await api.listen({ port: apiPort, host: '127.0.0.1' });
    stops.push(() => api.close());
    chromium = await launchBrowser();
    stops.push(() => chromium.close());
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("shows a run's input in clear once the person has logged in to the console, with no codec setting in the UI", async () => {
    const domain = uniqueDomain('ui');
    const ref = await runs.start('provision', provisionInput({ serviceName: 'demo-agency.ovh', domain, path: 'ui-decoded-folder', ssl: 'none' }));
    const done = await outcomeOf(runs, ref.workflowId);
    expect(done.status).toBe('completed');
    const history = `${gateway.url}/namespaces/${server.namespace}/workflows/${encodeURIComponent(ref.workflowId)}/${done.runId}/history`;
    const page = await chromium.newPage();

    // Not logged in: the UI reaches the codec endpoint (same origin) and is refused, so the input stays encrypted.
    const refusals: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/codec/decode') refusals.push(response.status());
    });
    await page.goto(history);
    await expect.poll(() => refusals.includes(401), { timeout: 30_000 }).toBe(true);
    expect(await page.content()).not.toContain('ui-decoded-folder');

    // Log in to the console in the same browser; nothing is set in the Temporal UI.
    await page.goto(`${apiUrl}/console/login`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${apiUrl}/console`);
    await page.goto(history);
    await page.getByText('ui-decoded-folder').first().waitFor({ timeout: 30_000 });
    expect(await page.content()).toContain('"serviceName"');
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}temporal-ui-decoded.png`, fullPage: false });
    }
    await page.close();
  });
});
