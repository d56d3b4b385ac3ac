// The whole system for one test file: the suite's Temporal dev server, a real simulator over HTTPS, a worker on its
// own task queue with an OvhClient pointed at the simulator, and the run service the CLI and API use.
import { randomUUID } from 'node:crypto';
import { OvhClient } from '../../src/ovh/client.js';
import { createRunService, type RunService, type RunView } from '../../src/runs/service.js';
import { startTestSimulator, type TestSimulator, type TestSimulatorOptions } from './simulator.js';
import { connectTestTemporal, createTestWorker, uniqueTaskQueue, type TestTemporal } from './temporal.js';

export const FAST_POLL = { initialIntervalSeconds: 0.1, backoffCoefficient: 2, maximumIntervalSeconds: 0.5 };

export interface TestStack {
  t: TestTemporal;
  sim: TestSimulator;
  ovh: OvhClient;
  runs: RunService;
  taskQueue: string;
  /** Starts a worker for this stack (tests that kill or restart workers manage their own). */
  startWorker(): Promise<{ stop: () => Promise<void> }>;
  close(): Promise<void>;
}

export async function startTestStack(name: string, simOptions: TestSimulatorOptions = {}): Promise<TestStack> {
  const t = await connectTestTemporal();
  const sim = await startTestSimulator(simOptions);
  const ovh = new OvhClient({
    endpoint: sim.url,
    applicationKey: sim.credentials.applicationKey,
    applicationSecret: sim.credentials.applicationSecret,
    consumerKey: sim.credentials.consumerKey,
    caFile: sim.caFile,
    timeoutMs: 5000,
    logger: t.logger,
  });
  const taskQueue = uniqueTaskQueue(name);
  // Tests compress time: the simulator's tasks take tens of milliseconds, so poll every 100-500 ms.
  const runs = createRunService({ client: t.client, taskQueue, settings: { poll: FAST_POLL } });
  const workers: Array<() => Promise<void>> = [];
  return {
    t,
    sim,
    ovh,
    runs,
    taskQueue,
    async startWorker() {
      const { worker, close } = await createTestWorker(t, taskQueue, { ovh });
      const running = worker.run();
      const stop = async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await close();
      };
      workers.push(stop);
      return { stop };
    },
    async close() {
      for (const stop of workers) await stop().catch(() => undefined);
      await sim.stop();
      await t.close();
    },
  };
}

/** A domain no other test uses. */
export function uniqueDomain(prefix = 'site'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}.example.org`;
}

/** Waits for the run to leave `running`, with a deadline. */
export async function outcomeOf(runs: RunService, workflowId: string, timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await runs.describeRun(workflowId);
    if (view.status !== 'running') return view;
    if (Date.now() > deadline) throw new Error(`run ${workflowId} still running after ${timeoutMs} ms: ${JSON.stringify(view.progress?.steps)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Writes the simulator recorded, by method and path pattern (`/hosting/web/x/database` etc.). */
export async function writesTo(sim: TestSimulator, serviceName: string) {
  const requests = await sim.requests();
  return requests.filter((r) => r.method !== 'GET' && r.path.includes(`/hosting/web/${serviceName}`));
}
