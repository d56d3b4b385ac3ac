// The worker process: polls ovhflow's task queue and runs its workflows and activities.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import { runInputParsers } from './runs/run-kinds.js';
import type { OvhSettings, TemporalConfig } from './config.js';
import { OvhClient } from './ovh/client.js';
import { accountActivityInterceptor } from './ovh/account-context.js';
import { OvhAccountRouter } from './ovh/account-router.js';
import { accountRoutedClient } from './activities/account-routing.js';
import { DEFAULT_ACCOUNT_NAME } from './shared/accounts.js';
import { createPasswordDeriver } from './secrets/derived-passwords.js';
import { encryptedDataConverter } from './codec/encryption-codec.js';
import type { Keyring } from './codec/keyring.js';
import type { Logger } from './logging/logger.js';
import { installTemporalRuntimeLogger } from './logging/temporal-runtime.js';
import { describeConnection, temporalConnectionOptions } from './temporal/connection-options.js';
import { metricsSinks } from './metrics/sinks.js';
import type { NotifySettings } from './notify/settings.js';
import type { CertificateProbe } from './activities/certificate-watch.js';
import { startRateShareKeepers } from './ovh/rate-share-keeper.js';
import type { RateShareSettings } from './ovh/settings.js';

export interface WorkerConfig {
  temporal: TemporalConfig;
  logger: Logger;
  /** An existing connection (tests share one); otherwise one is opened to `temporal.address`. */
  connection?: NativeConnection;
  /** Path of a pre-built workflow bundle; without it the workflows are bundled at start (development only). */
  workflowBundlePath?: string;
  identity?: string;
  /**
   * The OVH API to drive: one account's settings or client (the account `default`), or the named accounts of the
   * accounts file; without it, OVH activities fail with a clear configuration error.
   */
  ovh?: OvhSettings | OvhClient | OvhAccountRouter | null;
  /** Encrypts every payload and derives the passwords of created resources. */
  keyring: Keyring;
  /** Webhook receivers runs notify (OVHFLOW_NOTIFY_URL); none: notifications are dropped. */
  notify?: NotifySettings | null;
  /** How the certificate watch reads a domain's certificate (tests: a local TLS server); default TLS to port 443. */
  certificateProbe?: CertificateProbe;
  /**
   * Share each account's OVH rate limit with every other worker that has these settings (ovh/rate-share-keeper.ts);
   * without it, each process calls at the full limit on its own.
   */
  rateShares?: RateShareSettings | null;
  tuning?: Pick<
    WorkerOptions,
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxCachedWorkflows'
    | 'maxTaskQueueActivitiesPerSecond'
    | 'stickyQueueScheduleToStartTimeout'
    | 'shutdownGraceTime'
    | 'shutdownForceTime'
  >;
}

/**
 * How long a run's next workflow task waits on the sticky queue of the worker that has the run cached before it goes
 * to any worker of the task queue. The SDK's default is 10 s: a worker killed with runs in its cache stalled each of
 * them that long (the chaos suite's p50 pause), and with the rate limit shared across workers, the surviving workers'
 * lease renewals waited on it too when the dead worker had the account's share workflow cached. 3 s keeps a live
 * but busy worker its cache, and is shorter than a rate share's lease.
 */
export const STICKY_QUEUE_TIMEOUT_MS = 3_000;

/** Where `npm run build` writes the pre-built workflow bundle. */
export const DEFAULT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

export function workflowsSourcePath(): string {
  // Compiled: dist/src/worker.js -> dist/src/workflows/index.js; from source (tsx, vitest): src/workflows/index.ts.
  const js = fileURLToPath(new URL('./workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
}

/**
 * The workflow interceptor modules every bundle includes: the account header (workflows/account-interceptor.ts) and
 * the end-of-run metrics (workflows/metrics-interceptor.ts).
 */
export function workflowInterceptorModules(): string[] {
  return ['account-interceptor', 'metrics-interceptor'].map((name) => {
    const js = fileURLToPath(new URL(`./workflows/${name}.js`, import.meta.url));
    return existsSync(js) ? js : fileURLToPath(new URL(`./workflows/${name}.ts`, import.meta.url));
  });
}

/**
 * Opens the worker's connection (TLS, mTLS or API key when configured); the runtime logger must be installed before
 * the first native connection.
 */
export async function connectWorkerConnection(temporal: Pick<TemporalConfig, 'address' | 'connection'> & { namespace?: string }, logger: Logger): Promise<NativeConnection> {
  // Certificates are checked before the Temporal runtime starts: a bad file must not leave a runtime holding the process.
  const { namespace: _namespace, ...options } = temporalConnectionOptions({ namespace: 'default', ...temporal });
  installTemporalRuntimeLogger(logger);
  if (temporal.connection) logger.info(describeConnection({ ...options, namespace: temporal.namespace ?? 'default' }), 'connecting to Temporal');
  return NativeConnection.connect(options);
}

export async function createWorker(config: WorkerConfig): Promise<{ worker: Worker; close: () => Promise<void> }> {
  installTemporalRuntimeLogger(config.logger);
  const identity = config.identity ?? `ovhflow-worker@${hostname()}:${process.pid}`;
  const connection = config.connection ?? (await connectWorkerConnection(config.temporal, config.logger));
  const bundlePath = config.workflowBundlePath ?? (existsSync(DEFAULT_WORKFLOW_BUNDLE) ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  const router = routerOfWorker(config.ovh, config.logger);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    identity,
    dataConverter: encryptedDataConverter(config.keyring),
    activities: createActivities({
      workerIdentity: identity,
      ovh: router && router.names.length > 0 ? accountRoutedClient(router) : undefined,
      passwords: createPasswordDeriver(config.keyring),
      inputParsers: runInputParsers(),
      notify: config.notify ?? null,
      ...(config.certificateProbe ? { certificateProbe: config.certificateProbe } : {}),
    }),
    // Each activity runs in its run's OVH account (the header the workflow interceptor adds).
    interceptors: { activity: [accountActivityInterceptor], ...(bundlePath ? {} : { workflowModules: workflowInterceptorModules() }) },
    sinks: metricsSinks(config.ovh instanceof OvhAccountRouter ? config.ovh.names : [DEFAULT_ACCOUNT_NAME]),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: workflowsSourcePath() }),
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT_MS,
    ...config.tuning,
  });
  const rateShares =
    config.rateShares && router
      ? startRateShareKeepers({
          client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptedDataConverter(config.keyring) }),
          taskQueue: config.temporal.taskQueue,
          workerIdentity: identity,
          accounts: router.names.map((name) => ({ name, client: router.clientFor(name) })),
          settings: config.rateShares,
          logger: config.logger,
        })
      : undefined;
  config.logger.info(
    { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, address: config.temporal.address, bundle: bundlePath ?? 'bundled at start' },
    'worker ready',
  );
  return {
    worker,
    close: async () => {
      await rateShares?.stop();
      if (!config.connection) await connection.close();
    },
  };
}

/** The worker's accounts; activities call through the router's stand-in, which picks each call's account. */
function routerOfWorker(ovh: WorkerConfig['ovh'], logger: Logger): OvhAccountRouter | undefined {
  if (!ovh) return undefined;
  if (ovh instanceof OvhAccountRouter) return ovh;
  const client = ovh instanceof OvhClient ? ovh : new OvhClient({ ...ovh, logger });
  return new OvhAccountRouter(new Map([[DEFAULT_ACCOUNT_NAME, client]]), DEFAULT_ACCOUNT_NAME);
}
