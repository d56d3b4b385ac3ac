// `ovhflow dev` (= `npm start`): the whole system on one machine — the Temporal dev server with its data under
// .data/, and a worker — stopped cleanly on Ctrl-C.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger, logFileDestination } from '../../logging/logger.js';
import { encryptedDataConverter } from '../../codec/encryption-codec.js';
import { singleKeyring } from '../../codec/keyring.js';
import { loadOrCreateDevKey } from '../../secrets/dev-key.js';
import { startDevServer } from '../../temporal/dev-server.js';
import { connectWorkerConnection, createWorker } from '../../worker.js';
import { smokeTest } from '../../workflows/smoke-test.js';

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('start the whole system on this machine: Temporal dev server (UI on :8233) and a worker')
    .option('--data-dir <dir>', 'where the Temporal dev server keeps its data', '.data')
    .option('--port <port>', 'Temporal gRPC port', '7233')
    .option('--ui-port <port>', 'Temporal Web UI port', '8233')
    .action(async (options: { dataDir: string; port: string; uiPort: string }) => {
      const config = loadConfig();
      const dataDir = resolve(options.dataDir);
      mkdirSync(dataDir, { recursive: true });
      // The terminal is for people; the structured log stream goes to a file beside the data.
      const logFile = resolve(dataDir, 'ovhflow.log');
      const logger = createLogger(config.logLevel, logFileDestination(logFile));
      const say = (line: string) => process.stdout.write(`${line}\n`);

      const server = await startDevServer({
        ip: '127.0.0.1',
        port: Number(options.port),
        uiPort: Number(options.uiPort),
        dbFile: resolve(dataDir, 'temporal.db'),
        logFile: resolve(dataDir, 'temporal.log'),
        namespace: config.temporal.namespace,
        log: say,
      });
      const temporal = { ...config.temporal, address: server.address };
      const nativeConnection = await connectWorkerConnection(temporal, logger);
      const keyring = config.keyring ?? singleKeyring(loadOrCreateDevKey(resolve(dataDir, 'secret.key')));
      const { worker } = await createWorker({ temporal, logger, connection: nativeConnection, ovh: config.ovh, keyring });
      const running = worker.run();

      // Readiness: a real run through the worker, so "ready" means a workflow can actually execute.
      const connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection, namespace: temporal.namespace, dataConverter: encryptedDataConverter(keyring) });
      await client.workflow.execute(smokeTest, {
        taskQueue: temporal.taskQueue,
        workflowId: `ovhflow-dev-readiness/${randomUUID()}`,
        args: [{ greeting: 'ready' }],
      });
      say('');
      say('ovhflow is running');
      say(`  Temporal server   ${server.address} (namespace ${temporal.namespace}, data in ${dataDir})`);
      say(`  Temporal UI       ${server.uiUrl ?? '(headless)'}`);
      say(`  worker            polling task queue "${temporal.taskQueue}"`);
      say(`  logs              ${logFile}`);
      say('Press Ctrl-C to stop.');

      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        say('\nstopping...');
        worker.shutdown();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await running;
      await connection.close();
      await nativeConnection.close();
      await server.stop();
      say('stopped.');
    });
}
