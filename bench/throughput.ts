// Throughput of one worker: N provisionings (domain + MySQL database + WordPress + Let's Encrypt) against the
// simulator with instant OVH tasks and no rate limit, and — in the same run, on the same worker — N runs of a
// do-nothing baseline workflow with as many activities and local activities as a provisioning has. The ratio says
// what ovhflow's own work (OVH calls over HTTPS, encryption, the run-control bookkeeping) costs on top of Temporal.
//
//   npm run bench:throughput -- [--runs 100] [--concurrency 100] [--rounds 4]
//
// The two kinds alternate in rounds (N/rounds provisionings, then as many baselines, ...), so a change in the
// machine's load weighs on both; the CPU each part of the stack used per run is printed too.
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
    rounds: { type: 'string', default: '4' },
  },
});
const RUNS = Number(args.runs);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
/** Issue #13: provisionings per second at least 0.9 × the same-shape no-op baseline. */
const GOAL_RATIO = 0.9;

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-throughput', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
  try {
    const services = await stack.createServices(RUNS + 1, 'PRO');
    const bundlePath = await bundleWorkflows(stack.workDir, BENCH_WORKFLOWS);
    const { stop } = await startInProcessWorker(stack, { bundlePath, extraActivities: createBenchActivities() });

    // Warm-up (not measured): one provisioning, whose history gives the baseline its shape, and one baseline.
    const warm = await stack.runs.start('provision', siteInput(services[RUNS] as string, `warm-${randomUUID().slice(0, 6)}.example.org`));
    await stack.client.workflow.getHandle(warm.workflowId).result();
    const shape = await historyShape(stack, warm.workflowId);
    await stack.client.workflow.execute('benchBaseline', { taskQueue: stack.taskQueue, workflowId: `bench/baseline/warm-${randomUUID()}`, args: [shape] });

    // Alternating rounds, so a machine whose load changes during the run (other processes) weighs on both alike.
    const provisionIds: string[] = [];
    const baselineIds: string[] = [];
    let provisionSeconds = 0;
    let baselineSeconds = 0;
    const provisionCpuSeconds: Record<string, number> = {};
    const baselineCpuSeconds: Record<string, number> = {};
    const add = (into: Record<string, number>, cpu: Record<string, number>) => {
      for (const [name, seconds] of Object.entries(cpu)) into[name] = round((into[name] ?? 0) + seconds);
    };
    const perRound = Math.ceil(RUNS / ROUNDS);
    for (let round0 = 0; round0 < RUNS; round0 += perRound) {
      const batch = services.slice(round0, Math.min(RUNS, round0 + perRound));
      let cpu = cpuMeter(stack);
      let started = performance.now();
      provisionIds.push(
        ...(await inBatches(batch, CONCURRENCY, async (serviceName, i) => {
          const ref = await stack.runs.start('provision', siteInput(serviceName, `site-${round0 + i}-${randomUUID().slice(0, 6)}.example.org`));
          await stack.client.workflow.getHandle(ref.workflowId).result();
          return ref.workflowId;
        })),
      );
      provisionSeconds += (performance.now() - started) / 1000;
      add(provisionCpuSeconds, cpu());

      cpu = cpuMeter(stack);
      started = performance.now();
      baselineIds.push(
        ...(await inBatches(batch, CONCURRENCY, async (_, i) => {
          const workflowId = `bench/baseline/${round0 + i}-${randomUUID()}`;
          await stack.client.workflow.execute('benchBaseline', {
            taskQueue: stack.taskQueue,
            workflowId,
            args: [{ activities: shape.activities, localActivities: shape.localActivities }],
          });
          return workflowId;
        })),
      );
      baselineSeconds += (performance.now() - started) / 1000;
      add(baselineCpuSeconds, cpu());
    }

    const sample = await historyShape(stack, provisionIds[0] as string);
    const baselineSample = await historyShape(stack, baselineIds[0] as string);
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
      historyEventsPerBaseline: baselineSample.events,
      ovhCallsPerProvisioning: round(calls / (RUNS + 1), 1),
      provisionSeconds: round(provisionSeconds),
      provisionRunsPerSecond: round(provisionRate),
      baselineSeconds: round(baselineSeconds),
      baselineRunsPerSecond: round(baselineRate),
      ratio: round(provisionRate / baselineRate),
      provisionCpuSeconds,
      baselineCpuSeconds,
      // CPU per run of the whole stack (server, simulator, worker): what the rates come to on a saturated machine.
      provisionCpuMsPerRun: round((sum(provisionCpuSeconds) / RUNS) * 1000, 1),
      baselineCpuMsPerRun: round((sum(baselineCpuSeconds) / RUNS) * 1000, 1),
      cpuRatio: round(sum(baselineCpuSeconds) / sum(provisionCpuSeconds)),
      machine: machine(),
      temporal: temporalVersion(stack),
    };
    console.log(
      `provisionSite: ${figures.provisionRunsPerSecond} runs/s (${RUNS} in ${figures.provisionSeconds} s); ` +
        `baseline (${shape.activities} no-op activities + ${shape.localActivities} no-op local activities): ${figures.baselineRunsPerSecond} runs/s ` +
        `(${figures.baselineSeconds} s); ratio ${figures.ratio} (goal >= ${GOAL_RATIO}); ${figures.ovhCallsPerProvisioning} OVH calls per provisioning; ` +
        `CPU per run ${figures.provisionCpuMsPerRun} ms vs ${figures.baselineCpuMsPerRun} ms (ratio ${figures.cpuRatio})`,
    );
    console.log(JSON.stringify(figures));
    if (figures.ratio < GOAL_RATIO) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

function sum(cpu: Record<string, number>): number {
  return Object.values(cpu).reduce((a, b) => a + b, 0);
}

await main();
