// `ovhflow dev` (= `npm start`): the whole system on one machine — the Temporal dev server (data under .data/, UI on
// :8233 decoding payloads through our codec endpoint, served at the UI's own origin), the OVH simulator with its demo services (only when no OVH
// credentials are configured), a worker and the HTTP API. Ctrl-C stops everything; a second start keeps the runs.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import { createApiServer } from '../../api/server.js';
import { startTemporalUiGateway } from '../../api/temporal-ui-gateway.js';
import { loadOrCreateDevApiToken } from '../../api/token.js';
import { encryptedDataConverter } from '../../codec/encryption-codec.js';
import { singleKeyring } from '../../codec/keyring.js';
import { loadConfig, type OvhSettings } from '../../config.js';
import { createLogger, logFileDestination } from '../../logging/logger.js';
import { createRunService } from '../../runs/service.js';
import { loadOrCreateDevKey } from '../../secrets/dev-key.js';
import { startDevServer } from '../../temporal/dev-server.js';
import { spawnGuarded, type GuardedChild } from '../../temporal/guarded-child.js';
import { freePort } from '../../temporal/ports.js';
import { connectWorkerConnection, createWorker } from '../../worker.js';
import { smokeTest } from '../../workflows/smoke-test.js';
import { UsageError } from '../exit-codes.js';
import { countApiRequests, metricsAddressOf, serveProcessMetrics } from '../../metrics/process-metrics.js';
import { installRuntimeWithSdkMetrics } from '../../metrics/sdk-metrics.js';

interface DevFlags {
  dataDir: string;
  port: string;
  uiPort: string;
  apiPort: string;
  simPort: string;
  metricsPort?: string;
}

/** Where `ovhflow dev` serves its metrics unless told otherwise (any free port when this one is taken). */
const DEV_METRICS_PORT = 9464;

/** What `.data/dev.json` holds while the stack runs (scripts outside the project depend on this shape). */
export interface DevFacts {
  temporal: { address: string; namespace: string; ui: string | null };
  api: { url: string; token: string };
  simulator: {
    url: string;
    caFile: string;
    applicationKey: string;
    applicationSecret: string;
    consumerKey: string;
    services: string[];
  } | null;
  /** The Prometheus endpoint of the worker and the API (one process here). */
  metrics: { url: string };
}

function port(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65_535) throw new UsageError(`${flag}: "${value}" is not a port number`);
  return n;
}

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('start the whole system on this machine: Temporal dev server (UI on :8233), OVH simulator, worker and HTTP API')
    .option('--data-dir <dir>', 'where everything keeps its data', '.data')
    .option('--port <port>', 'Temporal gRPC port', '7233')
    .option('--ui-port <port>', 'Temporal Web UI port', '8233')
    .option('--api-port <port>', 'HTTP API port', '8080')
    .option('--sim-port <port>', 'OVH simulator port (when no OVH credentials are configured)', '8443')
    .option('--metrics-port <port>', `Prometheus metrics port (default ${DEV_METRICS_PORT}, or any free port when it is taken)`)
    .action(async (flags: DevFlags) => {
      const config = loadConfig();
      const dataDir = resolve(flags.dataDir);
      mkdirSync(dataDir, { recursive: true });
      const factsFile = resolve(dataDir, 'dev.json');
      rmSync(factsFile, { force: true });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      // The terminal is for people; the structured log stream goes to a file beside the data.
      const logFile = resolve(dataDir, 'ovhflow.log');
      const logger = createLogger(config.logLevel, logFileDestination(logFile));
      const keyring = config.keyring ?? singleKeyring(loadOrCreateDevKey(resolve(dataDir, 'secret.key')));
      const token = config.api.token ?? loadOrCreateDevApiToken(resolve(dataDir, 'api-token'));
      const metricsAddress = metricsAddressOf(flags.metricsPort, null, '127.0.0.1');
      const apiPort = port('--api-port', flags.apiPort);
      const apiUrl = `http://localhost:${apiPort}`;
      const uiPort = port('--ui-port', flags.uiPort);
      // People open the UI on --ui-port; the dev server's own UI listens on a loopback port behind a gateway that also
      // serves /codec, so the UI's codec requests are same-origin and carry the codec session cookie with no UI setting.
      const uiUrl = `http://localhost:${uiPort}`;

      const stops: Array<() => Promise<unknown>> = [];
      const stopAll = async () => {
        rmSync(factsFile, { force: true });
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      };
      try {
        const innerUiPort = await freePort('127.0.0.1');
        const server = await startDevServer({
          ip: '127.0.0.1',
          port: port('--port', flags.port),
          uiPort: innerUiPort,
          dbFile: resolve(dataDir, 'temporal.db'),
          logFile: resolve(dataDir, 'temporal.log'),
          namespace: config.temporal.namespace,
          uiCodecEndpoint: `${uiUrl}/codec`,
          log: say,
        });
        stops.push(() => server.stop());
        const gateway = await startTemporalUiGateway({ host: '127.0.0.1', port: uiPort, ui: `http://127.0.0.1:${innerUiPort}`, api: `http://127.0.0.1:${apiPort}` });
        stops.push(() => gateway.close());
        // The local dev server speaks plain gRPC: TLS or API-key settings meant for a remote cluster do not apply.
        const { connection: _remote, ...localTemporal } = config.temporal;
        const temporal = { ...localTemporal, address: server.address };

        // Without OVH credentials, the simulator stands in for the OVHcloud API (a separate process: src/ never
        // imports it).
        let ovh: OvhSettings | null = config.ovh;
        let simulator: DevFacts['simulator'] = null;
        if (!ovh) {
          const sim: GuardedChild = spawnGuarded(process.argv[1] ?? 'bin/ovhflow.js', [
            'sim', '--json', '--persist', '--port', String(port('--sim-port', flags.simPort)), '--data-dir', resolve(dataDir, 'simulator'),
          ].filter(Boolean));
          stops.push(() => sim.stop());
          const ready = JSON.parse(await sim.waitForLine((line) => line.startsWith('{'))) as {
            url: string;
            caFile: string;
            credentials: { applicationKey: string; applicationSecret: string; consumerKey: string };
            services: string[];
          };
          simulator = { url: ready.url, caFile: ready.caFile, ...ready.credentials, services: ready.services };
          ovh = { endpoint: ready.url, caFile: ready.caFile, ...ready.credentials, timeoutMs: config.ovh?.timeoutMs ?? 30_000, rateLimitPerSecond: 15 };
          say(`OVH simulator ready on ${ready.url} (demo services: ${ready.services.join(', ')})`);
        }

        const sdkMetricsAddress = await installRuntimeWithSdkMetrics(logger);
        const nativeConnection = await connectWorkerConnection(temporal, logger);
        stops.push(() => nativeConnection.close());
        const { worker } = await createWorker({ temporal, logger, connection: nativeConnection, ovh, keyring, notify: config.notify });
        const running = worker.run();
        stops.push(async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        });

        const connection = await Connection.connect({ address: server.address });
        stops.push(() => connection.close());
        const client = new Client({ connection, namespace: temporal.namespace, dataConverter: encryptedDataConverter(keyring) });
        const api = createApiServer({
          runs: createRunService({ client, taskQueue: temporal.taskQueue }),
          keyring,
          token,
          logger,
          uiOrigins: config.api.uiOrigins,
          temporalUi: gateway.url,
        });
        countApiRequests(api);
        await api.listen({ port: apiPort, host: '127.0.0.1' });
        stops.push(() => api.close());
        const serveMetrics = (address: NonNullable<typeof metricsAddress>) =>
          serveProcessMetrics({ address, logger, ...(sdkMetricsAddress ? { sdkMetricsAddress } : {}), attention: { client, taskQueue: temporal.taskQueue } });
        const metrics = await (metricsAddress
          ? serveMetrics(metricsAddress)
          : serveMetrics({ port: DEV_METRICS_PORT, host: '127.0.0.1', setting: '--metrics-port' }).catch(() =>
              serveMetrics({ port: 0, host: '127.0.0.1', setting: '--metrics-port' }),
            ));
        stops.push(() => metrics.close());

        // Readiness: a real run through the worker, so "ready" means a workflow can actually execute.
        await client.workflow.execute(smokeTest, {
          taskQueue: temporal.taskQueue,
          workflowId: `ovhflow-dev-readiness/${randomUUID()}`,
          args: [{ greeting: 'ready' }],
        });

        const facts: DevFacts = {
          temporal: { address: server.address, namespace: temporal.namespace, ui: gateway.url },
          api: { url: apiUrl, token },
          simulator,
          metrics: { url: metrics.server.url },
        };
        // Written aside, then renamed: whoever waits for the file (scripts, tests) never reads half of it.
        writeFileSync(`${factsFile}.tmp`, `${JSON.stringify(facts, null, 2)}\n`, { mode: 0o600 });
        renameSync(`${factsFile}.tmp`, factsFile);
        const example = simulator
          ? `node bin/ovhflow.js provision --service ${simulator.services[0] ?? 'demo-agency.ovh'} --domain blog.example.com --module wordpress --wait`
          : 'node bin/ovhflow.js provision --service <your-service> --domain <fqdn> --module wordpress --wait';
        say('');
        say('ovhflow is running');
        say(`  Temporal server   ${server.address} (namespace ${temporal.namespace}, data in ${dataDir})`);
        say(`  Temporal UI       ${gateway.url}  (payloads in clear once you have logged in to the console)`);
        say(`  operator console  ${apiUrl}/console  (log in with the API token)`);
        say(`  HTTP API          ${apiUrl}  (token in ${resolve(dataDir, 'api-token')}; OpenAPI at ${apiUrl}/v1/openapi.json)`);
        say(`  OVH API           ${simulator ? `simulator ${simulator.url}` : `${ovh?.endpoint} (real)`}`);
        say(`  worker            polling task queue "${temporal.taskQueue}"`);
        say(`  metrics           ${metrics.server.url}  (Prometheus text format)`);
        say(`  logs              ${logFile}`);
        say(`  facts for scripts ${factsFile}`);
        say('');
        say('Try, in another terminal:');
        say(`  ${example}`);
        say('Press Ctrl-C to stop.');

        await new Promise<void>((resolveStop) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            say('\nstopping...');
            resolveStop();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      } finally {
        await stopAll();
      }
      say('stopped.');
    });
}
