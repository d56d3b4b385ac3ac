// Worker memory: resident memory (VmRSS) of a worker process idle, then with 1,000 provisionings in flight, every one
// of them waiting on a database task that takes an hour at OVH. Goal (issue #13): at most 0.6 MB per run above idle.
//
//   npm run bench:memory -- [--runs 1000] [--observe 60]
//
// The worker is a child process started as `ovhflow worker` is, with the default tuning (maxCachedWorkflows by the
// SDK's default: ~60% of the heap limit in MB, far above 1,000, so every run stays cached, the worst case). Each run
// has its own hosting service (admin API), so no quota binds. While the runs wait, their checks keep running (2 s,
// 4 s, ... apart): RSS is sampled for `--observe` seconds and the highest sample counts.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BENCH_WORKFLOWS, bundleWorkflows, inBatches, machine, mb, round, siteInput, startBenchStack, startWorkerProcess, temporalVersion, waitUntil } from './harness.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    observe: { type: 'string', default: '60' },
    /** Modules the bundle loads once for every workflow (bundleWorkflowCode's preloadModules), comma-separated. */
    preload: { type: 'string' },
    /**
     * `provision` (default); `idle`: a run that only sleeps, in the product's bundle (every module of every workflow
     * is evaluated for each run); `bare`: the same run in a bundle holding nothing else (the SDK's own cost).
     */
    workflow: { type: 'string', default: 'provision' },
    /** With `--workflow idle`: another workflows entry exporting `benchIdle` (to weigh what an import costs). */
    entry: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const OBSERVE_SECONDS = Number(args.observe);
const GOAL_MB_PER_RUN = 0.6;
const BARE_WORKFLOW = fileURLToPath(new URL('./idle-workflow.ts', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sampleRss(rss: () => number, seconds: number): Promise<{ max: number; last: number }> {
  let max = 0;
  let last = 0;
  for (let i = 0; i < seconds; i++) {
    last = rss();
    max = Math.max(max, last);
    await sleep(1000);
  }
  return { max, last };
}

async function main(): Promise<void> {
  const stack = await startBenchStack({
    name: 'bench-memory',
    sim: { taskDurationMs: { default: 0, 'database/create': 3_600_000 }, rateLimit: null, maxRecordedRequests: 1000 },
  });
  try {
    const services = await stack.createServices(RUNS, 'PERSO');
    const preloadModules = args.preload ? args.preload.split(',') : [];
    const idleOnly = args.workflow === 'idle' || args.workflow === 'bare';
    const entry = args.workflow === 'idle' ? (args.entry ?? BENCH_WORKFLOWS) : args.workflow === 'bare' ? BARE_WORKFLOW : undefined;
    const bundlePath = await bundleWorkflows(stack.workDir, entry, { preloadModules });
    const worker = startWorkerProcess(stack, { bundlePath, env: { LOG_LEVEL: 'warn' } });
    // "worker ready" is logged at info: with warn, wait for the worker to take its first task instead.
    if (idleOnly) {
      const warm = await stack.client.workflow.start('benchIdle', { taskQueue: stack.taskQueue, workflowId: `bench/idle/warm-${randomUUID()}`, args: [1] });
      await waitUntil('the worker to take the first run', async () => (await warm.describe()).historyLength >= 5, 120_000, 500);
    } else {
      const warm = await stack.runs.start('provision', siteInput(services[0] as string, `warm-${randomUUID().slice(0, 6)}.example.org`));
      await waitUntil('the worker to take the first run', async () => (await stack.runs.describeRun(warm.workflowId)).progress?.currentStep === 'createDatabase', 120_000, 500);
    }
    await sleep(10_000);
    const idle = await sampleRss(worker.rssBytes, 10);
    console.log(`worker ${worker.pid}: ${mb(idle.last)} MB resident with one run in flight (idle)`);

    const started = performance.now();
    if (idleOnly) {
      await inBatches(services.slice(1), 50, (_, i) =>
        stack.client.workflow.start('benchIdle', { taskQueue: stack.taskQueue, workflowId: `bench/idle/${i}-${randomUUID()}`, args: [1] }),
      );
      // Let the worker take every first workflow task (each run then sits in the cache on its timer).
      await sleep(20_000);
    } else {
      await inBatches(services.slice(1), 50, (serviceName, i) => stack.runs.start('provision', siteInput(serviceName, `mem-${i}-${randomUUID().slice(0, 6)}.example.org`)));
      await waitUntil(
        `${RUNS} database tasks at OVH`,
        async () => {
          const state = await stack.state();
          const waiting = Object.values(state.services).filter((s) => s.tasks.some((t) => t.function === 'database/create')).length;
          return waiting >= RUNS;
        },
        600_000,
        2000,
      );
    }
    const rampSeconds = (performance.now() - started) / 1000;
    console.log(`${RUNS} runs waiting on their database task after ${round(rampSeconds, 1)} s; observing ${OBSERVE_SECONDS} s`);
    const loaded = await sampleRss(worker.rssBytes, OBSERVE_SECONDS);
    const stillRunning = idleOnly ? RUNS : (await stack.runs.listRuns({ type: 'provision', limit: RUNS + 10 })).filter((r) => r.status === 'running').length;
    await worker.stop();

    const perRunMb = (loaded.max - idle.last) / 2 ** 20 / RUNS;
    const figures = {
      runs: RUNS,
      runningAtEnd: stillRunning,
      idleMb: mb(idle.last),
      loadedMaxMb: mb(loaded.max),
      loadedLastMb: mb(loaded.last),
      perRunMb: round(perRunMb, 3),
      goalMb: GOAL_MB_PER_RUN,
      rampSeconds: round(rampSeconds, 1),
      machine: machine(),
      temporal: temporalVersion(stack),
    };
    console.log(
      `worker RSS idle ${figures.idleMb} MB; with ${RUNS} runs in flight ${figures.loadedMaxMb} MB (max over ${OBSERVE_SECONDS} s), ` +
        `${figures.perRunMb} MB per run (goal <= ${GOAL_MB_PER_RUN})`,
    );
    console.log(JSON.stringify(figures));
    if (perRunMb > GOAL_MB_PER_RUN || stillRunning < RUNS) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

await main();
