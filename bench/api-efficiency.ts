// API efficiency of waiting for OVH tasks: how many OVH calls each provisioning step makes, and how long after its
// task finished the next step starts, for tasks of 1 s to 30 min.
//
//   npm run bench:api-efficiency -- [--scales 60,1] [--max-minutes 30]
//
// Two ways, side by side:
// - analytically, from the poll schedule (DEFAULT_POLL_SCHEDULE: a check when the wait starts, then after 2 s, x2
//   each time up to 120 s): the checks a task of duration d needs — the schedule's points up to the first one at or
//   after d — and the delay that leaves, which is always less than the interval it fell in;
// - measured, with real provisionings against the simulator, at a compressed scale: tasks and poll schedule both
//   divided by the same factor (60: 30 min -> 30 s, 120 s -> 2 s), and at real scale (factor 1) for tasks of 1-30 s.
//   Temporal does not retry an activity sooner than about 1 s after its last attempt, whatever the retry policy says
//   (measured: intervals of 50, 200 and 500 ms all came out at ~1 s), so at a compressed scale the schedule's first
//   intervals (33 ms, 67 ms, ...) are really 1 s: the compressed runs are compared with that effective schedule.
//   Every step's OVH task (attach, database, module, certificate) takes d. From the simulator's request log (`at`)
//   and task `doneDate`, and the run's own step times (progress query): calls per step, task checks, and the delay
//   from `doneDate` to the next step's start. "Ideal" is the step's calls with an instant task plus the checks the
//   schedule needs for d; the goal is at most 2 calls above it and a delay under one poll interval (plus the latency of
//   the check that sees the task done, when it ended just after the previous one).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRunService } from '../src/runs/service.js';
import { DEFAULT_POLL_SCHEDULE, type PollSchedule } from '../src/shared/hosting-tasks.js';
import type { RunProgress } from '../src/shared/runs.js';
import { bundleWorkflows, machine, round, siteInput, startBenchStack, startInProcessWorker, temporalVersion, type BenchStack } from './harness.js';

const { values: args } = parseArgs({
  options: {
    scales: { type: 'string', default: '60,1' },
    /** At factor 1, only tasks up to this many seconds are run for real. */
    'real-max-seconds': { type: 'string', default: '30' },
  },
});

const STEPS = [
  { step: 'attachDomain', task: 'attachedDomain/create', next: 'createDatabase' },
  { step: 'createDatabase', task: 'database/create', next: 'installModule' },
  { step: 'installModule', task: 'module/install', next: 'ssl' },
  { step: 'ssl', task: 'hostedssl/create', next: undefined },
] as const;

/** Real task durations, seconds. */
const DURATIONS = [1, 5, 30, 60, 300, 600, 1800];

/** Temporal's floor under a retry interval, seconds (see above). */
const TEMPORAL_MIN_RETRY_SECONDS = 1;
/**
 * A task that ends just after a check is seen one interval later, plus what that check and the workflow task after
 * it take (tens of ms): the delay goal allows that much above the interval.
 */
const CHECK_LATENCY_SECONDS = 0.25;

/**
 * When the wait checks: t0 = 0 (the wait starts right after the write), then the retry policy's intervals, never
 * shorter than `floorSeconds`.
 */
export function checkTimes(schedule: PollSchedule, until: number, floorSeconds = 0): number[] {
  const times = [0];
  let interval = schedule.initialIntervalSeconds;
  while ((times.at(-1) as number) < until) {
    times.push((times.at(-1) as number) + Math.max(interval, floorSeconds));
    interval = Math.min(interval * schedule.backoffCoefficient, schedule.maximumIntervalSeconds);
  }
  return times;
}

/** The analytical cost of waiting for a task of `d` seconds: checks, the delay after done, and the interval it fell in. */
export function idealWait(schedule: PollSchedule, d: number, floorSeconds = 0): { checks: number; delay: number; interval: number } {
  const times = checkTimes(schedule, d, floorSeconds);
  const k = times.findIndex((t) => t >= d);
  const at = times[k] as number;
  return { checks: k + 1, delay: at - d, interval: k === 0 ? 0 : at - (times[k - 1] as number) };
}

const scaled = (schedule: PollSchedule, factor: number): PollSchedule => ({
  initialIntervalSeconds: schedule.initialIntervalSeconds / factor,
  backoffCoefficient: schedule.backoffCoefficient,
  maximumIntervalSeconds: schedule.maximumIntervalSeconds / factor,
});

interface StepFigures {
  step: string;
  calls: number;
  checks: number;
  /** Seconds from the task's doneDate to the next step's start (the run's end for the last step). */
  delay: number;
}

/** One provisioning with every task taking `durationMs`; its calls, checks and delays per step. */
async function measuredRun(stack: BenchStack, serviceName: string, schedule: PollSchedule, durationMs: number): Promise<StepFigures[]> {
  await stack.admin('PUT', '/config', { taskDurationMs: { default: durationMs } });
  const runs = createRunService({ client: stack.client, taskQueue: stack.taskQueue, settings: { poll: schedule } });
  const ref = await runs.start('provision', siteInput(serviceName, `eff-${randomUUID().slice(0, 6)}.example.org`));
  await stack.client.workflow.getHandle(ref.workflowId).result();
  const view = await runs.describeRun(ref.workflowId);
  const progress = view.progress as RunProgress;
  const state = await stack.state();
  const tasks = state.services[serviceName]?.tasks ?? [];
  const requests = (await stack.requests()).filter((r) => r.path.startsWith(`/hosting/web/${serviceName}/`) || r.path === `/hosting/web/${serviceName}`);
  const stepOf = (name: string) => progress.steps.find((s) => s.name === name);
  return STEPS.map(({ step, task: fn, next }) => {
    const from = Date.parse(stepOf(step)?.startedAt ?? '');
    const until = next ? Date.parse(stepOf(next)?.startedAt ?? '') : Date.parse(stepOf(step)?.endedAt ?? '') + 1;
    const task = tasks.find((t) => t.function === fn);
    if (!task) throw new Error(`no ${fn} task on ${serviceName}`);
    const inWindow = requests.filter((r) => Date.parse(r.at) >= from && Date.parse(r.at) < until);
    const checks =
      fn === 'hostedssl/create'
        ? inWindow.filter((r) => r.method === 'GET' && r.path.endsWith('/ssl') && Date.parse(r.at) > Date.parse(String(task.startDate))).length
        : inWindow.filter((r) => r.path === `/hosting/web/${serviceName}/tasks/${String(task.id)}`).length;
    return { step, calls: inWindow.length, checks, delay: (until - Date.parse(String(task.doneDate))) / 1000 };
  });
}

async function main(): Promise<void> {
  const scales = (args.scales ?? '60,1').split(',').map(Number);
  const realMax = Number(args['real-max-seconds']);
  const schedule = DEFAULT_POLL_SCHEDULE;

  console.log(`Poll schedule: first check when the wait starts, then after ${schedule.initialIntervalSeconds} s, x${schedule.backoffCoefficient}, up to ${schedule.maximumIntervalSeconds} s`);
  console.log('\nAnalytical (per step: task checks the schedule needs, delay after the task is done, the interval it fell in):');
  console.log('| task | checks | delay | interval |');
  for (const d of DURATIONS) {
    const ideal = idealWait(schedule, d);
    console.log(`| ${label(d)} | ${ideal.checks} | ${round(ideal.delay, 1)} s | ${round(ideal.interval, 1)} s |`);
  }

  const stack = await startBenchStack({ name: 'bench-api-efficiency', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
  const rows: Array<Record<string, unknown>> = [];
  let failures = 0;
  try {
    const plan = scales.flatMap((factor) => [0, ...DURATIONS.filter((d) => factor > 1 || d <= realMax)].map((d) => ({ factor, d })));
    const services = await stack.createServices(plan.length, 'PRO');
    const bundlePath = await bundleWorkflows(stack.workDir);
    const { stop } = await startInProcessWorker(stack, { bundlePath });
    try {
      for (const factor of scales) {
        const compressed = scaled(schedule, factor);
        // The calls each step makes when its task is instant: everything but the waiting.
        const instant = await measuredRun(stack, services.shift() as string, compressed, 0);
        console.log(`\nMeasured at scale 1/${factor} (tasks and schedule divided by ${factor}); a step's calls with an instant task: ${instant.map((s) => `${s.step} ${s.calls}`).join(', ')}`);
        console.log('| task (real) | step | calls | ideal | extra | checks | ideal checks | delay (s, at this scale) | interval (s, at this scale) | ok |');
        for (const d of DURATIONS.filter((x) => factor > 1 || x <= realMax)) {
          const measured = await measuredRun(stack, services.shift() as string, compressed, Math.round((d / factor) * 1000));
          // What the server really runs at this scale: the compressed schedule under Temporal's 1 s floor.
          const ideal = idealWait(compressed, d / factor, TEMPORAL_MIN_RETRY_SECONDS);
          for (const [i, step] of measured.entries()) {
            const fixed = (instant[i] as StepFigures).calls - (instant[i] as StepFigures).checks;
            const idealCalls = fixed + ideal.checks;
            const interval = Math.max(ideal.interval, TEMPORAL_MIN_RETRY_SECONDS);
            const ok = step.calls - idealCalls <= 2 && step.delay < interval + CHECK_LATENCY_SECONDS;
            if (!ok) failures += 1;
            rows.push({ factor, task: d, step: step.step, calls: step.calls, idealCalls, checks: step.checks, idealChecks: ideal.checks, delay: round(step.delay, 2), interval: round(interval, 2), ok });
            console.log(
              `| ${label(d)} | ${step.step} | ${step.calls} | ${idealCalls} | ${step.calls - idealCalls} | ${step.checks} | ${ideal.checks} | ${round(step.delay, 2)} | ${round(interval, 2)} | ${ok ? 'yes' : 'NO'} |`,
            );
          }
        }
      }
    } finally {
      await stop();
    }
  } finally {
    await stack.close();
  }
  console.log(JSON.stringify({ schedule, rows: rows.length, failures, machine: machine(), temporal: temporalVersion(stack) }));
  if (failures > 0) process.exitCode = 1;
}

function label(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${seconds / 60} min`;
}

await main();
