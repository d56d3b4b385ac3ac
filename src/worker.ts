// The worker process: polls ovhflow's task queue and runs its workflows and activities.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import type { OvhSettings, TemporalConfig } from './config.js';
import { OvhClient } from './ovh/client.js';
import { createPasswordDeriver } from './secrets/derived-passwords.js';
import { encryptedDataConverter } from './codec/encryption-codec.js';
import type { Keyring } from './codec/keyring.js';
import type { Logger } from './logging/logger.js';
import { installTemporalRuntimeLogger } from './logging/temporal-runtime.js';
import { describeConnection, temporalConnectionOptions } from './temporal/connection-options.js';

export interface WorkerConfig {
  temporal: TemporalConfig;
  logger: Logger;
  /** An existing connection (tests share one); otherwise one is opened to `temporal.address`. */
  connection?: NativeConnection;
  /** Path of a pre-built workflow bundle; without it the workflows are bundled at start (development only). */
  workflowBundlePath?: string;
  identity?: string;
  /** The OVH API to drive; without it, OVH activities fail with a clear configuration error. */
  ovh?: OvhSettings | OvhClient | null;
  /** Encrypts every payload and derives the passwords of created resources. */
  keyring: Keyring;
  tuning?: Pick<
    WorkerOptions,
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxCachedWorkflows'
    | 'maxTaskQueueActivitiesPerSecond'
    | 'shutdownGraceTime'
    | 'shutdownForceTime'
  >;
}

/** Where `npm run build` writes the pre-built workflow bundle. */
export const DEFAULT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

export function workflowsSourcePath(): string {
  // Compiled: dist/src/worker.js -> dist/src/workflows/index.js; from source (tsx, vitest): src/workflows/index.ts.
  const js = fileURLToPath(new URL('./workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
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
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    identity,
    dataConverter: encryptedDataConverter(config.keyring),
    activities: createActivities({
      workerIdentity: identity,
      ovh: config.ovh instanceof OvhClient ? config.ovh : config.ovh ? new OvhClient({ ...config.ovh, logger: config.logger }) : undefined,
      passwords: createPasswordDeriver(config.keyring),
    }),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: workflowsSourcePath() }),
    ...config.tuning,
  });
  config.logger.info(
    { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, address: config.temporal.address, bundle: bundlePath ?? 'bundled at start' },
    'worker ready',
  );
  return {
    worker,
    close: async () => {
      if (!config.connection) await connection.close();
    },
  };
}
