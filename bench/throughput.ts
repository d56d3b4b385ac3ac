// Throughput of one worker: N provisionings (domain + MySQL database + WordPress + Let's Encrypt) against the
// simulator with instant OVH tasks and no rate limit, and — in the same run, on the same worker — N runs of a
// do-nothing baseline workflow with as many activities and local activities as a provisioning has. The ratio says
// what ovhflow's own work (OVH calls over HTTPS, encryption, the run-control bookkeeping) costs on top of Temporal.
//
//   npm run bench:throughput -- [--runs 100] [--concurrency 100]
//
// The Temporal dev server (headless, in memory) and the simulator each run in their own process; the worker runs in
// this one. Each provisioning gets its own hosting service (created through the simulator's admin API), so no offer
// quota and no per-service SSL rule binds. The client-side OVH rate limit (OVH_RATE_LIMIT_PER_SECOND, 15/s by default)
// is off: with it on, provisioning throughput is simply that limit divided by the calls a provisioning makes.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createBenchActivities } from './baseline-activities.js';
import { BENCH_WORKFLOWS, bundleWorkflows, cpuMeter, historyShape, inBatches, machine, round, siteInput, startBenchStack, startInProcessWorker, temporalVersion } from './harness.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '100' },
  },
});
const RUNS = Number(args.runs);
const CONCURRENCY = Number(args.concurrency);

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-throughput', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
  try {
    const services = await stack.createServices(RUNS + 1, 'PRO');
    const bundlePath = await bundleWorkflows(stack.workDir, BENCH_WORKFLOWS);
    const { stop } = await startInProcessWorker(stack, { bundlePath, extraActivities: createBenchActivities() });

    // Warm-up (not measured): one provisioning, whose history gives the baseline its shape, and one baseline.
    const warm = await stack.runs.startProvision(siteInput(services[RUNS] as string, `warm-${randomUUID().slice(0, 6)}.example.org`));
    await stack.client.workflow.getHandle(warm.workflowId).result();
    const shape = await historyShape(stack, warm.workflowId);
    await stack.client.workflow.execute('benchBaseline', { taskQueue: stack.taskQueue, workflowId: `bench/baseline/warm-${randomUUID()}`, args: [shape] });

    const provisionCpu = cpuMeter(stack);
    const provisionStarted = performance.now();
    const provisionIds = await inBatches(services.slice(0, RUNS), CONCURRENCY, async (serviceName, i) => {
      const ref = await stack.runs.startProvision(siteInput(serviceName, `site-${i}-${randomUUID().slice(0, 6)}.example.org`));
      await stack.client.workflow.getHandle(ref.workflowId).result();
      return ref.workflowId;
    });
    const provisionSeconds = (performance.now() - provisionStarted) / 1000;
    const provisionCpuSeconds = provisionCpu();

    const baselineCpu = cpuMeter(stack);
    const baselineStarted = performance.now();
    await inBatches(
      Array.from({ length: RUNS }, (_, i) => i),
      CONCURRENCY,
      async (i) =>
        stack.client.workflow.execute('benchBaseline', {
          taskQueue: stack.taskQueue,
          workflowId: `bench/baseline/${i}-${randomUUID()}`,
          args: [{ activities: shape.activities, localActivities: shape.localActivities }],
        }),
    );
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const baselineCpuSeconds = baselineCpu();

    const sample = await historyShape(stack, provisionIds[0] as string);
    const calls = (await stack.requests()).filter((r) => r.path !== '/auth/time').length;
    await stop();

    const provisionRate = RUNS / provisionSeconds;
    const baselineRate = RUNS / baselineSeconds;
    const figures = {
      runs: RUNS,
      concurrency: CONCURRENCY,
      activitiesPerRun: shape.activities,
      localActivitiesPerRun: shape.localActivities,
      historyEventsPerProvisioning: sample.events,
      ovhCallsPerProvisioning: round(calls / (RUNS + 1), 1),
      provisionSeconds: round(provisionSeconds),
      provisionRunsPerSecond: round(provisionRate),
      baselineSeconds: round(baselineSeconds),
      baselineRunsPerSecond: round(baselineRate),
      ratio: round(provisionRate / baselineRate),
      provisionCpuSeconds,
      baselineCpuSeconds,
      machine: machine(),
      temporal: temporalVersion(stack),
    };
    console.log(
      `provisionSite: ${figures.provisionRunsPerSecond} runs/s (${RUNS} in ${figures.provisionSeconds} s); ` +
        `baseline (${shape.activities} no-op activities + ${shape.localActivities} no-op local activities): ${figures.baselineRunsPerSecond} runs/s ` +
        `(${figures.baselineSeconds} s); ratio ${figures.ratio} (goal >= 0.8); ${figures.ovhCallsPerProvisioning} OVH calls per provisioning`,
    );
    console.log(JSON.stringify(figures));
    if (figures.ratio < 0.8) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

await main();
