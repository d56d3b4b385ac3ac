// `ovhflow api`: serves the HTTP API and the codec endpoint over a Temporal client, until SIGINT / SIGTERM.
import type { Command } from 'commander';
import { apiTokenProblem, DEV_API_TOKEN_FILE, isLoopbackHost, loadOrCreateDevApiToken, tokenReusesKey } from '../../api/token.js';
import { createApiServer } from '../../api/server.js';
import { ConfigError, loadConfig } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { createRunService } from '../../runs/service.js';
import { connectClient } from '../../runs/temporal-client.js';
import { devKeyringIfPresent } from '../../secrets/dev-key.js';
import { UsageError } from '../exit-codes.js';
import { countApiRequests, metricsAddressOf, serveProcessMetrics } from '../../metrics/process-metrics.js';

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65_535) throw new UsageError(`--port: "${text}" is not a port number (0-65535)`);
  return port;
}

export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('serve the HTTP API (and the codec endpoint for the Temporal UI); needs OVHFLOW_API_TOKEN')
    .option('--port <port>', 'port to listen on (default: OVHFLOW_API_PORT, else 8080; 0 for any free port)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (default: OVHFLOW_METRICS_PORT; none when unset; 0 for any free port)')
    .action(async (flags: { port?: string; host: string; metricsPort?: string }) => {
      const config = loadConfig();
      const port = flags.port === undefined ? config.api.port : portOf(flags.port);
      const metricsAddress = metricsAddressOf(flags.metricsPort, config.metrics);
      // Dev mode = running beside `ovhflow dev` with its generated key: a token is generated too if none is set.
      const devKeyring = config.keyring ? null : devKeyringIfPresent();
      const keyring = config.keyring ?? devKeyring;
      if (!keyring) {
        throw new ConfigError(['OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to serve the API outside `ovhflow dev` (the workers\' key)']);
      }
      const devMode = devKeyring !== null;
      const token = config.api.token ?? (devMode ? loadOrCreateDevApiToken() : null);
      // A short token is tolerated beside `ovhflow dev` only while the API answers this machine alone.
      const problem = apiTokenProblem(token, { devMode: devMode && isLoopbackHost(flags.host) });
      if (problem || token === null) throw new ConfigError([problem ?? 'OVHFLOW_API_TOKEN: required']);
      if (tokenReusesKey(token, [...keyring.byId.values()].map(({ key }) => key))) {
        throw new ConfigError(['OVHFLOW_API_TOKEN: must not be the encryption key (clients send the token with every call; the key never leaves ovhflow)']);
      }

      // Logs (with every request) go to stderr, as `ovhflow sim` does: stdout carries what a person reads.
      const logger = createLogger(config.logLevel, process.stderr);
      const { client, close } = await connectClient(config.temporal, keyring);
      const runs = createRunService({ client, taskQueue: config.temporal.taskQueue, accounts: config.accounts });
      const app = createApiServer({ runs, keyring, token, logger, uiOrigins: config.api.uiOrigins, ...(config.api.publicUrl ? { publicUrl: config.api.publicUrl } : {}) });
      if (metricsAddress) countApiRequests(app);
      let url: string;
      let metrics: Awaited<ReturnType<typeof serveProcessMetrics>> | undefined;
      try {
        url = await app.listen({ port, host: flags.host });
      } catch (error) {
        await close();
        throw new UsageError(`cannot listen on ${flags.host}:${port} (${(error as Error).message})`);
      }
      try {
        metrics = metricsAddress ? await serveProcessMetrics({ address: metricsAddress, logger }) : undefined;
      } catch (error) {
        await app.close();
        await close();
        throw new UsageError((error as Error).message);
      }
      // Listening for SIGTERM before saying "listening": a supervisor that stops the API as soon as it is up gets a
      // graceful close, not Node's default of dying on the spot.
      const stopRequested = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      logger.info({ url, temporal: config.temporal.address, namespace: config.temporal.namespace, devMode }, 'HTTP API listening');
      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`ovhflow API listening on ${url}`);
      say(`  OpenAPI document  ${url}/v1/openapi.json`);
      say(`  codec endpoint    ${url}/codec  (temporal server start-dev --ui-codec-endpoint ${url}/codec)`);
      if (metrics) say(`  metrics           ${metrics.server.url}`);
      if (devMode && config.api.token === null) say(`  API token         in ${DEV_API_TOKEN_FILE} (dev mode)`);
      say('Press Ctrl-C to stop.');

      await stopRequested;
      // In-flight requests finish; new connections are refused.
      await app.close();
      await metrics?.close();
      await close();
      logger.info('HTTP API stopped');
    });
}
