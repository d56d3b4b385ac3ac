// `ovhflow worker`: the production worker. It runs the pre-built workflow bundle (`npm run build`), never bundles at
// start unless told to, stops gracefully on SIGTERM (in-flight activities get OVHFLOW_SHUTDOWN_GRACE_SECONDS to
// finish; what is still running after that is cancelled and retried by another worker), and can serve a health
// endpoint. Any number of these share the task queue.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { createAccountRouter } from '../../ovh/account-router.js';
import { ConfigError, loadConfig, type WorkerSettings } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { temporalConnectionOptions } from '../../temporal/connection-options.js';
import { createWorker, DEFAULT_WORKFLOW_BUNDLE, STICKY_QUEUE_TIMEOUT_MS } from '../../worker.js';
import { startWorkerHealthServer } from '../../worker-health.js';
import { metricsAddressOf, serveProcessMetrics } from '../../metrics/process-metrics.js';
import { installRuntimeWithSdkMetrics } from '../../metrics/sdk-metrics.js';
import { connectClient } from '../../runs/temporal-client.js';
import { upsertCertificateWatchSchedule } from '../../schedules/certificate-watch.js';

/** After the grace time, give cancelled activities this long to hand back before the worker gives up on them. */
const FORCE_AFTER_GRACE_MS = 10_000;

/** The bundle this worker must load, or `undefined` to bundle at start (only when explicitly allowed). */
export function productionWorkflowBundle(settings: Pick<WorkerSettings, 'workflowBundlePath' | 'allowRuntimeBundle'>, defaultBundle = DEFAULT_WORKFLOW_BUNDLE): string | undefined {
  if (settings.workflowBundlePath) {
    if (!existsSync(settings.workflowBundlePath)) throw new ConfigError([`OVHFLOW_WORKFLOW_BUNDLE: ${settings.workflowBundlePath} does not exist`]);
    return settings.workflowBundlePath;
  }
  if (existsSync(defaultBundle)) return defaultBundle;
  if (settings.allowRuntimeBundle) return undefined;
  throw new ConfigError([
    `no pre-built workflow bundle at ${defaultBundle}: run \`npm run build\` (production workers load the bundle built with the code they ship), ` +
      'or set OVHFLOW_ALLOW_RUNTIME_BUNDLE=1 to bundle the workflows at start (development only)',
  ]);
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker against the configured Temporal server (TEMPORAL_ADDRESS); scale out by running more')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (default: OVHFLOW_METRICS_PORT; none when unset; 0 for any free port)')
    .action(async (flags: { metricsPort?: string }) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const metricsAddress = metricsAddressOf(flags.metricsPort, config.metrics);
      if (!config.keyring) {
        throw new ConfigError(['OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to run a worker outside `ovhflow dev`']);
      }
      const workflowBundlePath = productionWorkflowBundle(config.worker);
      // Fail fast on a bad certificate or key, before the Temporal runtime starts (see connection-options.ts).
      temporalConnectionOptions(config.temporal);
      // The SDK's exporter is set when the Temporal runtime is installed: before the worker's first connection.
      const sdkMetricsAddress = metricsAddress ? await installRuntimeWithSdkMetrics(logger) : undefined;
      const { shutdownGraceTime, ...limits } = config.worker.tuning;
      const { worker, close } = await createWorker({
        temporal: config.temporal,
        logger,
        // With an accounts file, every account's client (secrets read now: a missing one stops the start).
        ovh: config.accounts.file ? createAccountRouter(config.accounts.accounts, config.accounts.defaultAccount, logger) : config.ovh,
        keyring: config.keyring,
        notify: config.notify,
        ...(workflowBundlePath ? { workflowBundlePath } : {}),
        rateShares: config.worker.rateShares,
        tuning: { ...limits, shutdownGraceTime, shutdownForceTime: shutdownGraceTime + FORCE_AFTER_GRACE_MS },
      });
      logger.info(
        {
          stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT_MS,
          ...config.worker.tuning,
          rateLimitScope: config.worker.rateShares ? 'account' : 'process',
          health: config.worker.health?.port ?? null,
        },
        'worker settings',
      );
      const health = config.worker.health
        ? await startWorkerHealthServer({ ...config.worker.health, state: () => worker.getState(), taskQueue: config.temporal.taskQueue, logger })
        : undefined;
      const watcher = metricsAddress || config.certificateWatch ? await connectClient(config.temporal, config.keyring) : undefined;
      if (config.certificateWatch && watcher) {
        // Idempotent: every worker keeps the same schedule (created once, updated to this cron).
        const { scheduleId } = await upsertCertificateWatchSchedule(watcher.client, { taskQueue: config.temporal.taskQueue, cron: config.certificateWatch.cron });
        logger.info({ scheduleId, cron: config.certificateWatch.cron }, 'certificate watch scheduled');
      }
      const metrics = metricsAddress && watcher
        ? await serveProcessMetrics({ address: metricsAddress, logger, ...(sdkMetricsAddress ? { sdkMetricsAddress } : {}), attention: { client: watcher.client, taskQueue: config.temporal.taskQueue } })
        : undefined;
      if (metrics) logger.info({ url: metrics.server.url }, 'worker metrics');
      try {
        // The SDK stops polling on SIGINT / SIGTERM and lets in-flight tasks finish before run() resolves.
        await worker.run();
      } finally {
        await metrics?.close();
        await watcher?.close();
        await health?.close();
        await close();
      }
      logger.info('worker stopped');
    });
}
