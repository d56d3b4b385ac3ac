// What a test needs to run real workflows on the suite's dev server: a client, a worker on its own task queue,
// and a unique workflow id. Nothing here is a mock.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { singleKeyring } from '../../src/codec/keyring.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { connectWorkerConnection, createWorker, type WorkerConfig } from '../../src/worker.js';

export interface TestTemporal {
  address: string;
  namespace: string;
  client: Client;
  nativeConnection: NativeConnection;
  logger: Logger;
  logLines: string[];
  close(): Promise<void>;
}

/** Connects to the suite's dev server; the logger keeps every line so tests can assert on what was logged. */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'info', sink);
  const connection = await Connection.connect({ address });
  const nativeConnection = await connectWorkerConnection({ address }, logger);
  return {
    address,
    namespace,
    client: new Client({ connection, namespace, dataConverter: encryptedDataConverter(TEST_KEYRING) }),
    nativeConnection,
    logger,
    logLines,
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** One keyring per test process: derived passwords are stable within a test file. */
const TEST_KEY = randomBytes(32);
export const TEST_KEYRING = singleKeyring(TEST_KEY);
/** The same key as OVHFLOW_ENCRYPTION_KEY, for worker and CLI processes a test spawns. */
export const TEST_KEY_BASE64 = TEST_KEY.toString('base64');

export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

export function uniqueWorkflowId(name: string): string {
  return `test/${name}/${randomUUID()}`;
}

/** A test worker already running on `taskQueue`; `stop` shuts it down and waits until it has. */
export async function runTestWorker(t: TestTemporal, taskQueue: string, extra: Partial<WorkerConfig> = {}): Promise<{ stop: () => Promise<void> }> {
  const { worker, close } = await createTestWorker(t, taskQueue, extra);
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await close();
    },
  };
}

export async function createTestWorker(t: TestTemporal, taskQueue: string, extra: Partial<WorkerConfig> = {}) {
  return createWorker({
    temporal: { address: t.address, namespace: t.namespace, taskQueue },
    logger: t.logger,
    connection: t.nativeConnection,
    workflowBundlePath: inject('workflowBundlePath'),
    keyring: TEST_KEYRING,
    ...extra,
  });
}
