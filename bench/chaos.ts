// The chaos suite: many provisionings and backups while everything around them fails, and operators stop some runs.
//
//   npm run chaos -- [--provisionings 200] [--backups 100] [--seed 7]
//
// - the worker (a child process, as `ovhflow worker` runs) is killed with SIGKILL every few seconds and restarted —
//   and, on purpose, a second or two after each abort or cancel, so some kills land while a run is undoing;
// - the Temporal dev server (its own, file-backed SQLite) is stopped and restarted once, on the same port and file;
// - the simulator answers 10 % of calls with 5xx, resets 5 % of connections (half of them after the call was
//   applied, so the answer of a write is lost), sends bursts of 429, and cancels 5 % of OVH tasks;
// - a scripted operator answers every cancelled task (the run waits in needs-attention) through the run service the
//   CLI uses: `retry`, except where the plan (bench/chaos-plan.ts, from the seed) says `skip` or `abort` for that run
//   and step; some runs are cancelled (as the Temporal UI does) while they wait for the operator, others in the middle
//   of a step that waits on an OVH task;
// - the services are not empty: some already serve an earlier site (with a certificate), some already have the run's
//   domain attached; none of that may be touched.
// It passes only if every run ends as planned (completed, with the planned step skipped; aborted or cancelled with
// nothing it could not undo), the simulator holds exactly what the runs leave (bench/chaos-verdict.ts), and no write
// was repeated or aimed at something a run had not created. It also measures how long runs stood still after each
// worker kill (bench/chaos-history.ts). The short version runs in `npm test` (test/chaos/chaos-short.test.ts).
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAILURE_TYPES } from '../src/shared/failures.js';
import { CURRENT_STEP } from '../src/shared/search-attributes.js';
import { compensationWindow, percentile, stallsAfterKills, type RunHistory, type StallFigures } from './chaos-history.js';
import { planServices, plannedFaults, seeded, type Fate, type PlannedService } from './chaos-plan.js';
import { verifyOutcomes, verifyState, verifyWrites, type StateFigures, type Stop, type TrackedRun, type WriteFigures } from './chaos-verdict.js';
import {
  bundleWorkflows,
  inBatches,
  machine,
  round,
  siteInput,
  startBenchStack,
  startWorkerProcess,
  temporalVersion,
  waitUntil,
  type BenchStack,
  type WorkerProcess,
} from './harness.js';

export interface ChaosOptions {
  provisionings: number;
  backups: number;
  /** Seeds the simulator's faults, the plan of each run's fate and the kill schedule. */
  seed: number;
  /** The worker is killed this many seconds (uniformly drawn) after it became ready. */
  killAfterSeconds: [number, number];
  /** Kills, 429 bursts and the server restart happen only this long after the start; then the runs finish in peace. */
  chaosSeconds: number;
  /** When the Temporal dev server is restarted, seconds after the start. */
  temporalRestartAtSeconds: number;
  /** Runs are started evenly over this long. */
  startOverSeconds: number;
  /** Every OVH task takes this long. */
  taskDurationMs: number;
  /** Give up (and fail) after this long. */
  deadlineSeconds: number;
  log?: (line: string) => void;
}

export const FULL_CHAOS: ChaosOptions = {
  provisionings: 200,
  backups: 100,
  seed: 7,
  killAfterSeconds: [3, 8],
  chaosSeconds: 420,
  temporalRestartAtSeconds: 120,
  startOverSeconds: 180,
  taskDurationMs: 1500,
  deadlineSeconds: 1080,
};

export interface ChaosReport {
  ok: boolean;
  temporal: string;
  problems: string[];
  seconds: number;
  runs: {
    provisionings: number;
    backups: number;
    completed: number;
    /** Completed provisionings with a step skipped by the operator. */
    skipped: number;
    aborted: number;
    cancelled: number;
    failed: number;
    unfinished: number;
  };
  plan: {
    complete: number;
    skip: number;
    abort: number;
    cancelWaiting: number;
    cancelMid: number;
    earlierSites: number;
    adoptedDomains: number;
    /** Planned cancelled tasks that never reached the operator: a retry after a lost answer wrote again (checked). */
    absorbed: number;
  };
  chaos: {
    workerKills: number;
    /** Kills timed a second or two after an abort or a cancel. */
    killsAfterStops: number;
    /**
     * Kills timed while a backup's dump call hung at OVH (an injected latency after the Temporal restart): at least one
     * measured kill lands during an OVH call, whatever the timing, so the stall of OVH calls is always measured.
     */
    killsDuringOvhCall: number;
    /** Kills that landed while at least one aborted or cancelled run was undoing (from the histories). */
    killsDuringCompensation: number;
    /** Aborted or cancelled runs whose compensation had a kill land in it. */
    compensationsHit: number;
    workerStarts: number;
    /** From a kill to the next worker polling: what every stall includes, with one worker at a time. */
    workerBackP50Seconds: number;
    workerBackMaxSeconds: number;
    workerUnexpectedExits: number;
    temporalRestarts: number;
    bursts429: number;
  };
  stall: StallFigures;
  faults: { status5xx: number; status429: number; resetBefore: number; resetAfter: number; cancelledTasks: number };
  operator: { retries: number; skips: number; aborts: number; cancelsWaiting: number; cancelsMidRun: number; attentionByType: Record<string, number> };
  ovh: { calls: number } & WriteFigures;
  state: StateFigures;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A call that may hang while no worker is up (an update, a query): given up after `ms`, the loop moves on. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The activities a step waits on an OVH task with. */
const WAITING_ACTIVITIES = ['waitForHostingTask', 'waitForSsl', 'waitForDomainSsl', 'waitForResource'];

/** Task functions OVH cancels now and then (5 %): an operator answers each. Deletions are left alone. */
const CANCELLED_FUNCTIONS = ['attachedDomain/create', 'database/create', 'module/install', 'hostedssl/create', 'hostedssl/regenerate', 'dump/create'];

/**
 * What the services held before the runs: an earlier site, provisioned by ovhflow itself (domain, database, module,
 * Let's Encrypt), on every service the plan gives one; the run's own domain, attached by hand, where the plan says the
 * run adopts it. Done by a worker of its own, before any fault.
 */
async function prepareServices(stack: BenchStack, plan: PlannedService[], bundlePath: string): Promise<void> {
  const worker = startWorkerProcess(stack, { bundlePath });
  await worker.ready;
  try {
    const ovh = stack.ovhClient();
    await inBatches(plan, 20, async (planned) => {
      if (planned.keepSite) {
        const ref = await stack.runs.start('provision', siteInput(planned.serviceName, planned.keepSite));
        await stack.client.workflow.getHandle(ref.workflowId).result();
      }
      if (planned.adoptsDomain) {
        const { path } = siteInput(planned.serviceName, planned.domain);
        await ovh.attachDomain(planned.serviceName, { domain: planned.domain, path, ssl: true });
        await waitUntil(`${planned.domain} attached`, async () => (await ovh.getAttachedDomain(planned.serviceName, planned.domain)).status === 'created', 30_000);
      }
    });
  } finally {
    await worker.stop();
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const random = seeded(options.seed);
  const problems: string[] = [];
  const stack = await startBenchStack({
    name: 'chaos',
    temporalDbFile: true,
    sim: { seed: options.seed, taskDurationMs: { default: options.taskDurationMs }, rateLimit: null, maxRecordedRequests: 2_000_000 },
    // Fast polls (Temporal's floor is 1 s): the suite is about surviving, not about the schedule.
    settings: { poll: { initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 8 } },
  });
  const counts = {
    workerKills: 0,
    killsAfterStops: 0,
    killsDuringOvhCall: 0,
    workerStarts: 0,
    workerUnexpectedExits: 0,
    temporalRestarts: 0,
    bursts429: 0,
    retries: 0,
    skips: 0,
    aborts: 0,
    cancelsWaiting: 0,
    cancelsMidRun: 0,
  };
  const attentionByType: Record<string, number> = {};
  const runs: TrackedRun[] = [];
  const stopped = new Set<string>();
  /** What was done to each run on the plan's behalf (recorded as it is asked, whether or not its answer got back). */
  const stops = new Map<string, Stop>();
  const killTimes: number[] = [];
  /** Seconds from each kill to the next worker ready. */
  const workerBack: number[] = [];
  const temporalDown: Array<[number, number]> = [];
  let finished = false;
  let temporalIsDown = false;
  let killRequestedAt: number | undefined;
  /** Set once the Temporal restart is over (or none is planned within the chaos): backups start only then. */
  let restartOver = false;
  /** A kill asked for while a dump call hangs at OVH (see {@link ChaosReport}'s killsDuringOvhCall). */
  let killForOvhCall = false;

  try {
    const services = await stack.createServices(options.provisionings, 'PRO', 'chaos');
    const plan = planServices(services, options.seed);
    const fateOf = (run: TrackedRun | undefined): Fate => (run?.kind === 'provision' ? (plan[run.index] as PlannedService).fate : { kind: 'complete' });
    // Backups of the first provisionings planned to complete (with their database).
    const backedUp = new Set(plan.filter((p) => p.fate.kind === 'complete' || p.fate.kind === 'skip').slice(0, options.backups).map((p) => p.index));
    const bundlePath = await bundleWorkflows(stack.workDir);
    log(`[chaos] preparing the services: ${plan.filter((p) => p.keepSite).length} earlier sites, ${plan.filter((p) => p.adoptsDomain).length} domains attached beforehand`);
    await prepareServices(stack, plan, bundlePath);
    // A planned slow task takes 40 x 1.5 s: a minute in which to cancel the run while the step waits on it, however
    // loaded the machine.
    await stack.admin('PUT', '/config', { slowFactor: 40 });
    const baseline = await stack.state();
    const requestsBefore = (await stack.requests()).length;
    await stack.admin('POST', '/faults', {
      rules: [
        // The plan's faults first: a rule for one service must fire before the general ones.
        ...plannedFaults(plan),
        { path: '/hosting/web/**', status: 500, probability: 0.04 },
        { path: '/hosting/web/**', status: 502, probability: 0.03 },
        { path: '/hosting/web/**', status: 503, probability: 0.03 },
        { path: '/hosting/web/**', reset: 'before', probability: 0.025 },
        { path: '/hosting/web/**', reset: 'after', probability: 0.025 },
        ...CANCELLED_FUNCTIONS.map((taskFunction) => ({ taskFunction, outcome: 'cancelled', probability: 0.05 })),
      ],
    });
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const chaosActive = () => elapsed() < options.chaosSeconds;
    /**
     * After an abort or a cancel: kill the worker in a second or two, while the run undoes what it created. These kills
     * go on after the chaos window too: runs stopped late must also be undone through a kill.
     */
    const killSoon = () => {
      killRequestedAt = Math.min(killRequestedAt ?? Infinity, Date.now() + 1000 + random() * 1500);
    };

    // --- the worker: always one running; killed with SIGKILL a few seconds after each start while chaos lasts.
    let current: WorkerProcess | undefined;
    const supervise = async () => {
      while (!finished) {
        if (temporalIsDown) {
          await sleep(200);
          continue;
        }
        let exited = false;
        const worker = startWorkerProcess(stack, { bundlePath, rateLimitPerSecond: 50, onExit: () => (exited = true) });
        current = worker;
        counts.workerStarts += 1;
        try {
          await worker.ready;
        } catch {
          // Died before polling (the server restarting under it): start another.
          await sleep(500);
          continue;
        }
        const readyAt = Date.now();
        const lastKill = killTimes.at(-1);
        if (lastKill !== undefined && workerBack.length < killTimes.length) workerBack.push((readyAt - lastKill) / 1000);
        const killAt = readyAt + (options.killAfterSeconds[0] + random() * (options.killAfterSeconds[1] - options.killAfterSeconds[0])) * 1000;
        // A requested kill only brings the scheduled one forward, never under the shortest life a worker gets.
        const requested = () => killRequestedAt !== undefined && Date.now() >= Math.max(killRequestedAt, readyAt + options.killAfterSeconds[0] * 1000);
        while (!finished && !exited && !((chaosActive() && Date.now() >= killAt) || requested())) await sleep(100);
        if (finished) break;
        if (exited) {
          counts.workerUnexpectedExits += 1;
          continue;
        }
        if (requested()) {
          if (killForOvhCall) counts.killsDuringOvhCall += 1;
          else counts.killsAfterStops += 1;
          log(`[chaos] ${round(elapsed(), 1)} s: SIGKILL timed ${killForOvhCall ? 'during a hung OVH call' : 'after a stop'}`);
          killRequestedAt = undefined;
          killForOvhCall = false;
        }
        killTimes.push(Date.now());
        await worker.kill();
        counts.workerKills += 1;
      }
      await current?.stop();
    };

    // --- the Temporal dev server, restarted once; 429 bursts now and then.
    const disturb = async () => {
      let restarted = false;
      let nextBurst = 15;
      if (options.temporalRestartAtSeconds >= options.chaosSeconds) await killDuringAnOvhCall();
      while (!finished && chaosActive()) {
        if (!restarted && elapsed() >= options.temporalRestartAtSeconds) {
          restarted = true;
          temporalIsDown = true;
          const down = Date.now();
          log(`[chaos] ${round(elapsed(), 1)} s: restarting the Temporal dev server`);
          try {
            await stack.restartTemporal();
            counts.temporalRestarts += 1;
          } finally {
            temporalIsDown = false;
            temporalDown.push([down, Date.now()]);
          }
          log(`[chaos] ${round(elapsed(), 1)} s: Temporal dev server back`);
          await killDuringAnOvhCall();
        }
        if (elapsed() >= nextBurst) {
          nextBurst += 15 + random() * 10;
          await stack.admin('POST', '/faults', { rules: [{ path: '/hosting/web/**', status: 429, times: 15 }] }).catch(() => undefined);
          counts.bursts429 += 1;
        }
        await sleep(250);
      }
      restartOver = true;
    };

    /**
     * Kills measured for stalls come after the Temporal restart (a kill just before it is left out), and nothing
     * guarantees an OVH call is in flight at one of them. So the next backup dump call hangs 8 s at OVH, and the worker
     * making it is killed meanwhile (at most 3 s later: a worker's shortest life). Backups start only after this is
     * armed, so such a call always comes.
     */
    const killDuringAnOvhCall = async () => {
      type Rule = { id: number; path?: string; latencyMs?: number };
      const hangingDump = { method: 'POST', path: '/hosting/web/*/database/*/dump', latencyMs: 8000, times: 1 };
      try {
        const { rules } = await stack.admin<{ rules: Rule[] }>('POST', '/faults', { rules: [hangingDump] });
        const armed = Math.max(...rules.filter((rule) => rule.path === hangingDump.path && rule.latencyMs === hangingDump.latencyMs).map((rule) => rule.id));
        void (async () => {
          while (!finished) {
            await sleep(100);
            const active = await stack.admin<{ rules: Rule[] }>('GET', '/faults').catch(() => undefined);
            if (!active || active.rules.some((rule) => rule.id === armed)) continue;
            killForOvhCall = true;
            killRequestedAt = Date.now();
            log(`[chaos] ${round(elapsed(), 1)} s: a dump call hangs at OVH: SIGKILL requested`);
            return;
          }
        })();
      } catch (error) {
        problems.push(`could not arm the kill during an OVH call: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        restartOver = true;
      }
    };

    // --- starting runs: provisionings spread over startOverSeconds; a backup of a provisioning's database once it is done.
    const start = async (run: TrackedRun, begin: () => Promise<{ workflowId: string }>) => {
      while (!finished) {
        if (temporalIsDown || (run.kind === 'backup' && !restartOver)) {
          await sleep(200);
          continue;
        }
        try {
          run.workflowId = (await begin()).workflowId;
          run.status = 'running';
          return;
        } catch {
          await sleep(500);
        }
      }
    };
    const startProvisionings = async () => {
      for (const planned of plan) {
        const run: TrackedRun = { kind: 'provision', index: planned.index, serviceName: planned.serviceName, status: 'starting' };
        runs.push(run);
        void start(run, () => stack.runs.start('provision', siteInput(planned.serviceName, planned.domain)));
        await sleep((options.startOverSeconds * 1000) / options.provisionings);
      }
    };
    const startBackup = (provision: TrackedRun) => {
      const database = (provision.view?.result as { database?: { name: string } } | undefined)?.database?.name;
      if (!database) return void problems.push(`provisioning ${provision.index} returned no database`);
      const run: TrackedRun = { kind: 'backup', index: provision.index, serviceName: provision.serviceName, status: 'starting' };
      runs.push(run);
      void start(run, () => stack.runs.start('backup', { serviceName: provision.serviceName, databaseName: database, sendEmail: false }, { requestId: `chaos-${provision.index}` }));
    };

    // --- following the runs: once one has closed, its view (with the progress query: what it undid) is kept.
    const follow = async () => {
      while (!finished) {
        await sleep(2000);
        if (temporalIsDown) continue;
        for (const run of runs.filter((r) => r.status === 'running')) {
          try {
            const { status } = await stack.client.workflow.getHandle(run.workflowId as string).describe();
            if (status.name === 'RUNNING') continue;
            const view = await withTimeout(stack.runs.describeRun(run.workflowId as string), 15_000);
            // An aborted or cancelled run is judged on its compensation, which only its progress tells: ask again.
            if ((view.status === 'aborted' || view.status === 'cancelled') && !view.progress) continue;
            run.view = view;
            run.status = 'closed';
            if (run.kind === 'provision' && view.status === 'completed' && backedUp.has(run.index)) startBackup(run);
          } catch {
            // the server is restarting, or no worker answers the query yet: next round
          }
        }
      }
    };

    // --- the operator: retry every cancelled task, except where the plan says skip, abort or cancel the run.
    const decide = async (workflowId: string) => {
      const view = await withTimeout(stack.runs.describeRun(workflowId), 15_000);
      const attention = view.progress?.attention;
      if (view.status !== 'needs-attention' || !attention || stopped.has(workflowId)) return;
      if (attention.failureType !== FAILURE_TYPES.taskCancelled) {
        const key = `${attention.failureType} at ${attention.step}`;
        if (!problems.some((p) => p.includes(`${workflowId}: ${key}`))) {
          problems.push(`unexpected needs-attention, no operator answer scripted: ${workflowId}: ${key}: ${attention.message}`);
          attentionByType[attention.failureType] = (attentionByType[attention.failureType] ?? 0) + 1;
        }
        return;
      }
      const fate = fateOf(runs.find((r) => r.workflowId === workflowId));
      const answer = 'step' in fate && fate.step === attention.step && fate.kind !== 'cancel-mid' ? fate.kind : 'retry';
      if (answer === 'skip') {
        stops.set(workflowId, 'skip');
        await withTimeout(stack.runs.skip(workflowId), 20_000);
        counts.skips += 1;
      } else if (answer === 'abort') {
        stops.set(workflowId, 'abort');
        await withTimeout(stack.runs.abort(workflowId), 20_000);
        stopped.add(workflowId);
        counts.aborts += 1;
        log(`[chaos] ${round(elapsed(), 1)} s: aborted ${workflowId} at ${attention.step}`);
        killSoon();
      } else if (answer === 'cancel-waiting') {
        stops.set(workflowId, 'cancel');
        await stack.client.workflow.getHandle(workflowId).cancel();
        stopped.add(workflowId);
        counts.cancelsWaiting += 1;
        log(`[chaos] ${round(elapsed(), 1)} s: cancelled ${workflowId} waiting for the operator at ${attention.step}`);
        killSoon();
      } else {
        await withTimeout(stack.runs.retry(workflowId), 20_000);
        counts.retries += 1;
      }
      attentionByType[attention.failureType] = (attentionByType[attention.failureType] ?? 0) + 1;
    };
    const operate = async () => {
      while (!finished) {
        await sleep(1500);
        if (temporalIsDown) continue;
        try {
          const waiting = await stack.runs.listRuns({ needsAttention: true, limit: 1000 });
          // A few at a time: one run whose query waits for a worker must not hold up the others.
          // A decision that raced with the run moving on, or no worker to answer: the next round sees it again.
          await inBatches(waiting, 6, (run) => decide(run.workflowId).catch(() => undefined));
        } catch {
          // the server is restarting: next round
        }
      }
    };

    // --- cancels in the middle of a step: once the planned step waits on its (slow) OVH task, as the Temporal UI does.
    // Read from the run's description (its step search attribute and pending activity), not a query: a query would
    // make a freshly restarted worker replay the run, every second, for nothing.
    const cancelMidRun = async () => {
      while (!finished) {
        await sleep(1000);
        if (temporalIsDown) continue;
        const candidates = runs.filter((r) => r.status === 'running' && fateOf(r).kind === 'cancel-mid' && !stopped.has(r.workflowId as string));
        for (const run of candidates) {
          const fate = fateOf(run) as Extract<Fate, { kind: 'cancel-mid' }>;
          try {
            const handle = stack.client.workflow.getHandle(run.workflowId as string);
            const description = await handle.describe();
            const waiting = (description.raw.pendingActivities ?? []).some((a) => WAITING_ACTIVITIES.includes(a.activityType?.name ?? ''));
            if (description.status.name !== 'RUNNING' || description.typedSearchAttributes.get(CURRENT_STEP) !== fate.step || !waiting) continue;
            stops.set(run.workflowId as string, 'cancel');
            await handle.cancel();
            stopped.add(run.workflowId as string);
            counts.cancelsMidRun += 1;
            log(`[chaos] ${round(elapsed(), 1)} s: cancelled ${run.workflowId} while ${fate.step} waits on its OVH task`);
            killSoon();
          } catch {
            // the server is restarting: next round
          }
        }
      }
    };

    const loops = [supervise(), disturb(), follow(), operate(), cancelMidRun()];
    await startProvisionings();
    const total = options.provisionings + backedUp.size;
    let lastReport = 0;
    while (elapsed() < options.deadlineSeconds) {
      const closed = runs.filter((r) => r.status === 'closed').length;
      if (closed === total) break;
      if (elapsed() - lastReport >= 30) {
        lastReport = elapsed();
        log(
          `[chaos] ${Math.round(elapsed())} s: ${closed}/${total} runs closed; ${counts.workerKills} worker kills, operator: ${counts.retries} retries, ` +
            `${counts.skips} skips, ${counts.aborts} aborts, ${counts.cancelsWaiting + counts.cancelsMidRun} cancels`,
        );
      }
      await sleep(1000);
    }
    finished = true;
    await Promise.all(loops);
    const seconds = elapsed();

    // --- the verdict.
    const closedRuns = runs.filter((r) => r.status === 'closed');
    const ended = (status: string) => closedRuns.filter((r) => r.view?.status === status).length;
    const unfinished = total - closedRuns.length;
    if (unfinished > 0) problems.push(`${unfinished} runs not finished after ${options.deadlineSeconds} s`);
    const state = await stack.state();
    const requests = (await stack.requests()).slice(requestsBefore);
    const { absorbed } = verifyOutcomes(plan, runs, stops, state, baseline, problems);
    const stateFigures = verifyState(plan, state, baseline, runs, stops, problems);
    const writeFigures = verifyWrites(plan, runs, requests, state, baseline, problems);

    // --- the histories: how long runs stood still after each kill; which kills landed during a compensation.
    const histories: RunHistory[] = await inBatches(
      runs.filter((r) => r.workflowId),
      8,
      async (run) => ({ workflowId: run.workflowId as string, events: (await stack.client.workflow.getHandle(run.workflowId as string).fetchHistory()).events ?? [] }),
    );
    const stall = stallsAfterKills(histories, killTimes, temporalDown);
    const windows = histories
      .filter((h) => stopped.has(h.workflowId))
      .map((h) => compensationWindow(h.events))
      .filter((w): w is [number, number] => w !== undefined);
    const during = (kill: number, [from, to]: [number, number]) => from <= kill && kill < to;

    const oldTasks = new Set(services.flatMap((s) => (baseline.services[s]?.tasks ?? []).map((t) => `${s}#${String(t.id)}`)));
    const faults = {
      status5xx: requests.filter((r) => r.fault === 'status' && r.status >= 500).length,
      status429: requests.filter((r) => r.fault === 'status' && r.status === 429).length,
      resetBefore: requests.filter((r) => r.fault === 'reset-before').length,
      resetAfter: requests.filter((r) => r.fault === 'reset-after').length,
      cancelledTasks: services.flatMap((s) => (state.services[s]?.tasks ?? []).filter((t) => !oldTasks.has(`${s}#${String(t.id)}`))).filter((t) => t.status === 'cancelled').length,
    };
    const fates = (kind: Fate['kind']) => plan.filter((p) => p.fate.kind === kind).length;
    return {
      ok: problems.length === 0,
      temporal: temporalVersion(stack),
      problems,
      seconds: round(seconds, 1),
      runs: {
        provisionings: options.provisionings,
        backups: backedUp.size,
        completed: ended('completed'),
        skipped: closedRuns.filter((r) => ((r.view?.result as { skipped?: string[] } | undefined)?.skipped ?? []).length > 0).length,
        aborted: ended('aborted'),
        cancelled: ended('cancelled'),
        failed: closedRuns.length - ended('completed') - ended('aborted') - ended('cancelled'),
        unfinished,
      },
      plan: {
        complete: fates('complete'),
        skip: fates('skip'),
        abort: fates('abort'),
        cancelWaiting: fates('cancel-waiting'),
        cancelMid: fates('cancel-mid'),
        earlierSites: plan.filter((p) => p.keepSite).length,
        adoptedDomains: plan.filter((p) => p.adoptsDomain).length,
        absorbed,
      },
      chaos: {
        workerKills: counts.workerKills,
        killsAfterStops: counts.killsAfterStops,
        killsDuringOvhCall: counts.killsDuringOvhCall,
        killsDuringCompensation: killTimes.filter((k) => windows.some((w) => during(k, w))).length,
        compensationsHit: windows.filter((w) => killTimes.some((k) => during(k, w))).length,
        workerStarts: counts.workerStarts,
        workerBackP50Seconds: round(percentile([...workerBack].sort((a, b) => a - b), 50), 1),
        workerBackMaxSeconds: round(Math.max(0, ...workerBack), 1),
        workerUnexpectedExits: counts.workerUnexpectedExits,
        temporalRestarts: counts.temporalRestarts,
        bursts429: counts.bursts429,
      },
      stall,
      faults,
      operator: {
        retries: counts.retries,
        skips: counts.skips,
        aborts: counts.aborts,
        cancelsWaiting: counts.cancelsWaiting,
        cancelsMidRun: counts.cancelsMidRun,
        attentionByType,
      },
      ovh: { calls: requests.length, ...writeFigures },
      state: stateFigures,
    };
  } finally {
    finished = true;
    await stack.close();
  }
}

export function printChaosReport(report: ChaosReport, log: (line: string) => void = console.log): void {
  const { runs, plan, chaos, stall, operator } = report;
  log(
    `chaos: ${report.ok ? 'PASSED' : 'FAILED'} in ${report.seconds} s — ${runs.provisionings} provisionings + ${runs.backups} backups: ` +
      `${runs.completed} completed (${runs.skipped} with a step skipped), ${runs.aborted} aborted, ${runs.cancelled} cancelled, ${runs.failed} failed, ${runs.unfinished} unfinished`,
  );
  log(
    `  plan: ${plan.complete} to complete, ${plan.skip} to skip a step, ${plan.abort} to abort, ${plan.cancelWaiting} to cancel while waiting for the ` +
      `operator, ${plan.cancelMid} to cancel mid-step (${plan.absorbed} planned cancelled tasks never reached the operator: a retry after a lost answer ` +
      `wrote again); ${plan.earlierSites} services with an earlier site, ${plan.adoptedDomains} with the domain already attached`,
  );
  log(
    `  chaos: ${chaos.workerKills} worker SIGKILLs (${chaos.killsAfterStops} timed after an abort or cancel, ${chaos.killsDuringOvhCall} during a hung OVH call; ${chaos.killsDuringCompensation} landed during ` +
      `a compensation, hitting ${chaos.compensationsHit} of them), ${chaos.workerStarts} starts (a worker polling again p50 ${chaos.workerBackP50Seconds} s, ` +
      `max ${chaos.workerBackMaxSeconds} s after a kill), ${chaos.workerUnexpectedExits} exits on their own, ` +
      `${chaos.temporalRestarts} Temporal restart (temporal CLI ${report.temporal}), ${chaos.bursts429} bursts of 429`,
  );
  const split = (what: string, f: StallFigures['ovhCalls']) => `${what} p50 ${f.p50Seconds} s, p99 ${f.p99Seconds} s, max ${f.maxSeconds} s (${f.runsInFlight})`;
  log(
    `  stall after a kill (runs with a workflow task or an OVH call in flight at the kill, until their next activity start or workflow task): p50 ` +
      `${stall.p50Seconds} s, p99 ${stall.p99Seconds} s, max ${stall.maxSeconds} s over ${stall.runsInFlight} runs at ${stall.kills} kills (${stall.over15s} over 15 s; ` +
      `${stall.killsLeftOut} kills next to the Temporal restart left out); ${split('only OVH calls in flight', stall.ovhCalls)}, ` +
      `${split('a workflow task in flight', stall.workflowTasks)}`,
  );
  log(
    `  faults injected: ${report.faults.status5xx} x 5xx, ${report.faults.status429} x 429, ${report.faults.resetBefore} resets before and ` +
      `${report.faults.resetAfter} after the call was applied, ${report.faults.cancelledTasks} cancelled tasks`,
  );
  log(
    `  operator: ${operator.retries} retries, ${operator.skips} skips, ${operator.aborts} aborts; ${operator.cancelsWaiting} runs cancelled while waiting, ` +
      `${operator.cancelsMidRun} mid-step; needs-attention by type ${JSON.stringify(operator.attentionByType)}`,
  );
  log(
    `  OVH: ${report.ovh.calls} calls, ${report.ovh.appliedWrites} writes applied (${report.ovh.deletes} DELETEs, all undoing what a stopped run created), ` +
      `${report.ovh.refusedWrites} refused or lost before applying (${report.ovh.conflicts409} x 409); ${report.ovh.undoneReportedGone} undos reported ` +
      `"already gone" after their own lost DELETE`,
  );
  log(
    `  simulator state: ${report.state.attachedDomains} new domains, ${report.state.databases} databases, ${report.state.modules} modules, ` +
      `${report.state.certificates} certificates, ${report.state.dumps} dumps, ${report.state.runningTasks} tasks still running; ` +
      `${report.state.untouched} pre-existing resources untouched`,
  );
  for (const s of stall.longest) log(`    stalled ${s.seconds} s: ${s.workflowId} at the kill ${s.killAtSeconds} s after the first, with ${s.inFlight} in flight`);
  for (const problem of report.problems.slice(0, 50)) log(`  PROBLEM: ${problem}`);
  if (report.problems.length > 50) log(`  ... and ${report.problems.length - 50} more problems`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provisionings: { type: 'string' },
      backups: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const options: ChaosOptions = {
    ...FULL_CHAOS,
    ...(values.provisionings ? { provisionings: Number(values.provisionings) } : {}),
    ...(values.backups ? { backups: Number(values.backups) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  };
  console.log(`[chaos] ${options.provisionings} provisionings + ${options.backups} backups, seed ${options.seed}; ${machine()}`);
  const report = await runChaos(options);
  printChaosReport(report);
  console.log(JSON.stringify({ ...report, machine: machine() }));
  if (!report.ok) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
