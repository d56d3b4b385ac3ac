// Scale-out: the same load (N provisionings, instant OVH tasks, no rate limit) on one worker process, then on two
// worker processes sharing a task queue. Prints both rates, their ratio, and where the CPU went.
//
//   npm run bench:scale-out -- [--runs 100]
//   npm run bench:scale-out:cluster -- [--runs 100]      (= --cluster)
//
// With --cluster the server is a real Temporal cluster instead of the dev server: frontend, history, matching and
// worker as separate processes on PostgreSQL (scripts/cluster.ts, on a throw-away data directory), and the CPU is
// reported per Temporal service and for PostgreSQL.
//
// Workers run as `ovhflow worker` does, each in its own process; the Temporal dev server and the simulator run in
// their own processes too, all on this machine — so on a 2-core machine two workers compete for the same cores with
// the server and the simulator, and the ratio says how much of one worker's time was spent waiting rather than working.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createRunService } from '../src/runs/service.js';
import { bundleWorkflows, cpuMeter, inBatches, machine, round, siteInput, startBenchStack, startWorkerProcess, temporalVersion, type BenchStack } from './harness.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '100' }, cluster: { type: 'boolean', default: false } } });
const RUNS = Number(args.runs);
const WARM_UP = 4;

async function phase(stack: BenchStack, bundlePath: string, workers: number, services: string[]) {
  const taskQueue = `scale-out-${workers}-${randomUUID().slice(0, 6)}`;
  const processes = Array.from({ length: workers }, () => startWorkerProcess(stack, { bundlePath, env: { TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info' } }));
  await Promise.all(processes.map((p) => p.ready));
  const runs = createRunService({ client: stack.client, taskQueue });
  const provision = async (serviceName: string, i: number) => {
    const ref = await runs.start('provision', siteInput(serviceName, `so-${workers}-${i}-${randomUUID().slice(0, 6)}.example.org`));
    await stack.client.workflow.getHandle(ref.workflowId).result();
  };
  await inBatches(services.slice(0, WARM_UP), WARM_UP, provision);
  const cpu = cpuMeter(stack, Object.fromEntries(processes.map((p, i) => [`worker${i + 1}`, p.pid])));
  const started = performance.now();
  await inBatches(services.slice(WARM_UP), RUNS, provision);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpu();
  await Promise.all(processes.map((p) => p.stop()));
  return { workers, seconds: round(seconds), runsPerSecond: round(RUNS / seconds), cpuSeconds, loadAverage: round(loadavg()[0] ?? 0, 1) };
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-scale-out', sim: { taskDurationMs: { default: 0 }, rateLimit: null }, cluster: args.cluster });
  try {
    const services = await stack.createServices(2 * (RUNS + WARM_UP), 'PRO');
    const bundlePath = await bundleWorkflows(stack.workDir);
    const one = await phase(stack, bundlePath, 1, services.slice(0, RUNS + WARM_UP));
    const two = await phase(stack, bundlePath, 2, services.slice(RUNS + WARM_UP));
    const cpuPerRun = (p: typeof one) => round(Object.values(p.cpuSeconds).reduce((a, b) => a + b, 0) / RUNS, 3);
    const figures = {
      runs: RUNS,
      server: args.cluster ? 'cluster' : 'dev server',
      one,
      two,
      ratio: round(two.runsPerSecond / one.runsPerSecond),
      cpuSecondsPerRun: { one: cpuPerRun(one), two: cpuPerRun(two) },
      machine: machine(),
      // The machine may be shared: the 1-minute load average when each phase ended.
      loadAverage: { one: one.loadAverage, two: two.loadAverage },
      temporal: temporalVersion(stack),
    };
    console.log(
      `one worker process: ${one.runsPerSecond} runs/s (${RUNS} in ${one.seconds} s); two: ${two.runsPerSecond} runs/s (${two.seconds} s); ` +
        `ratio ${figures.ratio}`,
    );
    console.log(`CPU seconds, one worker: ${JSON.stringify(one.cpuSeconds)}; two workers: ${JSON.stringify(two.cpuSeconds)}`);
    console.log(`CPU seconds per run (every process measured): one worker ${figures.cpuSecondsPerRun.one}, two ${figures.cpuSecondsPerRun.two}`);
    console.log(JSON.stringify(figures));
  } finally {
    await stack.close();
  }
}

await main();
