// What each of a provisioning's Temporal-side features costs, one at a time, on top of the do-nothing baseline of
// bench:throughput (9 no-op activities + 2 no-op local activities): search-attribute upserts, patches, waits that
// fail their first attempt (as they did before issue 22), larger payloads. Variants alternate in rounds on one in-process worker (so a change in the machine's
// load weighs on all alike); the figure is CPU per run of the Temporal server and of the worker's process.
//
//   npm run bench:feature-costs -- [--runs 200] [--rounds 8]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createBenchActivities } from './baseline-activities.js';
import { BENCH_WORKFLOWS, bundleWorkflows, cpuMeter, inBatches, machine, round, startBenchStack, startInProcessWorker, temporalVersion } from './harness.js';
import type { BaselineShape } from './workflows.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '50' },
  },
});
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);

// A provisioning's shape since the lean steps: 9 activities, 2 local activities (1 before the DNS step).
const SHAPE = { activities: 9, localActivities: 2 };
const VARIANTS: Record<string, BaselineShape> = {
  baseline: SHAPE,
  '+7 upserts': { ...SHAPE, upserts: 7 },
  '+3 patches': { ...SHAPE, patches: 3 },
  '+4 failed first attempts': { ...SHAPE, failedFirstAttempts: 4 },
  '+2 KB payloads': { ...SHAPE, payloadChars: 2048 },
};

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-feature-costs', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
  try {
    const bundlePath = await bundleWorkflows(stack.workDir, BENCH_WORKFLOWS);
    const { stop } = await startInProcessWorker(stack, { bundlePath, extraActivities: createBenchActivities() });
    const run = (shape: BaselineShape, id: string) =>
      stack.client.workflow.execute('benchBaseline', { taskQueue: stack.taskQueue, workflowId: `bench/feature/${id}-${randomUUID()}`, args: [shape] });
    for (const shape of Object.values(VARIANTS)) await run(shape, 'warm');

    const cpu: Record<string, { temporal: number; worker: number; seconds: number }> = {};
    const perRound = Math.ceil(RUNS / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, shape] of Object.entries(VARIANTS)) {
        const meter = cpuMeter(stack);
        const started = performance.now();
        await inBatches(Array.from({ length: perRound }, (_, i) => i), CONCURRENCY, (i) => run(shape, `${r}-${i}`));
        const used = meter();
        const into = (cpu[name] ??= { temporal: 0, worker: 0, seconds: 0 });
        into.temporal += used.temporal ?? 0;
        into.worker += used.bench ?? 0;
        into.seconds += (performance.now() - started) / 1000;
      }
    }
    await stop();
    const runs = perRound * ROUNDS;
    const base = cpu.baseline as { temporal: number; worker: number };
    const rows = Object.entries(cpu).map(([name, c]) => ({
      variant: name,
      serverMsPerRun: round((c.temporal / runs) * 1000, 1),
      workerMsPerRun: round((c.worker / runs) * 1000, 1),
      extraMsPerRun: round(((c.temporal + c.worker - base.temporal - base.worker) / runs) * 1000, 1),
      runsPerSecond: round(runs / c.seconds),
    }));
    console.table(rows);
    console.log(JSON.stringify({ runs, rounds: ROUNDS, concurrency: CONCURRENCY, rows, machine: machine(), temporal: temporalVersion(stack) }));
  } finally {
    await stack.close();
  }
}

await main();
