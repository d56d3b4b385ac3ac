// A worker in its own process, as `ovhflow worker` runs (test/provisioning/fixtures/worker-process.fixture.ts), pointed
// at the suite's Temporal server and a test stack's simulator: what the crash tests kill with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import type { TestStack } from './stack.js';
import { TEST_KEY_BASE64 } from './temporal.js';

const root = new URL('../../', import.meta.url).pathname;

export interface WorkerChild {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output: () => string;
}

/** `env` adds to (or overrides) the worker's configuration, e.g. OVH_RATE_LIMIT_PER_SECOND, OVHFLOW_WORKFLOW_BUNDLE. */
export function startWorkerChild(stack: TestStack, env: Record<string, string> = {}): WorkerChild {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/provisioning/fixtures/worker-process.fixture.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      OVH_ENDPOINT: stack.sim.url,
      OVH_CA_FILE: stack.sim.caFile,
      OVH_APPLICATION_KEY: stack.sim.credentials.applicationKey,
      OVH_APPLICATION_SECRET: stack.sim.credentials.applicationSecret,
      OVH_CONSUMER_KEY: stack.sim.credentials.consumerKey,
      OVHFLOW_ENCRYPTION_KEY: TEST_KEY_BASE64,
      OVHFLOW_ALLOW_RUNTIME_BUNDLE: '1',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
