// The chaos suite: many provisionings and backups while everything around them fails.
//
//   npm run chaos -- [--provisionings 200] [--backups 100] [--seed 7]
//
// - the worker (a child process, as `ovhflow worker` runs) is killed with SIGKILL every few seconds and restarted;
// - the Temporal dev server (its own, file-backed SQLite) is stopped and restarted once, on the same port and file;
// - the simulator answers 10 % of calls with 5xx, resets 5 % of connections (half of them after the call was
//   applied, so the answer of a write is lost), sends bursts of 429, and cancels 5 % of OVH tasks;
// - a scripted operator answers every cancelled task (the run waits in needs-attention) with `retry`, through the run
//   service the CLI's `ovhflow retry` uses.
// It passes only if every run completes (nothing is left in needs-attention: every permanent fault injected here has
// a scripted answer), the simulator holds exactly the resources the runs made — no duplicate, nothing orphaned, no
// task still running — and no write was repeated for a step that had succeeded: per hosting service and write, the
// applied POSTs (answered 200, or applied before a reset) are one plus the tasks OVH cancelled.
// The short version runs in `npm test` (test/chaos/chaos-short.test.ts).
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RecordedRequest } from '../src/simulator/index.js';
import { FAILURE_TYPES } from '../src/shared/failures.js';
import type { ProvisionSiteResult } from '../src/shared/provision.js';
import { bundleWorkflows, machine, round, siteInput, startBenchStack, startWorkerProcess, temporalVersion, type SimState, type WorkerProcess } from './harness.js';

export interface ChaosOptions {
  provisionings: number;
  backups: number;
  /** Seeds the simulator's faults and the kill schedule. */
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
  runs: { provisionings: number; backups: number; completed: number; failed: number; unfinished: number };
  chaos: { workerKills: number; workerStarts: number; workerUnexpectedExits: number; temporalRestarts: number; bursts429: number };
  faults: { status5xx: number; status429: number; resetBefore: number; resetAfter: number; cancelledTasks: number };
  operator: { retries: number; attentionByType: Record<string, number> };
  ovh: { calls: number; appliedWrites: number; refusedWrites: number; conflicts409: number };
  state: { attachedDomains: number; databases: number; modules: number; certificates: number; dumps: number; runningTasks: number };
}

export type RunKind = 'provision' | 'backup';
export interface TrackedRun {
  kind: RunKind;
  index: number;
  serviceName: string;
  workflowId?: string;
  status: 'starting' | 'running' | 'completed' | 'failed';
  result?: unknown;
  failure?: string;
}

/** A small seeded generator (mulberry32), so a chaos run's kill schedule can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CANCELLED_FUNCTIONS = ['attachedDomain/create', 'database/create', 'module/install', 'hostedssl/create', 'dump/create'];

/** Which write each task function answers, and the path of that write under the service. */
const WRITES: Array<{ fn: string; matches: (path: string) => boolean }> = [
  { fn: 'attachedDomain/create', matches: (p) => p.endsWith('/attachedDomain') },
  { fn: 'database/create', matches: (p) => p.endsWith('/database') },
  { fn: 'module/install', matches: (p) => p.endsWith('/module') },
  { fn: 'hostedssl/create', matches: (p) => p.endsWith('/ssl') },
  { fn: 'dump/create', matches: (p) => /\/database\/[^/]+\/dump$/.test(p) },
];

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
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const chaosActive = () => elapsed() < options.chaosSeconds;
  const counts = { workerKills: 0, workerStarts: 0, workerUnexpectedExits: 0, temporalRestarts: 0, bursts429: 0, retries: 0 };
  const attentionByType: Record<string, number> = {};
  const runs: TrackedRun[] = [];
  let finished = false;
  let temporalDown = false;

  try {
    const services = await stack.createServices(options.provisionings, 'PRO', 'chaos');
    const baseline = await stack.state();
    const bundlePath = await bundleWorkflows(stack.workDir);
    await stack.admin('POST', '/faults', {
      rules: [
        { path: '/hosting/web/**', status: 500, probability: 0.04 },
        { path: '/hosting/web/**', status: 502, probability: 0.03 },
        { path: '/hosting/web/**', status: 503, probability: 0.03 },
        { path: '/hosting/web/**', reset: 'before', probability: 0.025 },
        { path: '/hosting/web/**', reset: 'after', probability: 0.025 },
        ...CANCELLED_FUNCTIONS.map((taskFunction) => ({ taskFunction, outcome: 'cancelled', probability: 0.05 })),
      ],
    });

    // --- the worker: always one running; killed with SIGKILL a few seconds after each start while chaos lasts.
    let current: WorkerProcess | undefined;
    const supervise = async () => {
      while (!finished) {
        if (temporalDown) {
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
        const killAt = Date.now() + (options.killAfterSeconds[0] + random() * (options.killAfterSeconds[1] - options.killAfterSeconds[0])) * 1000;
        while (!finished && !exited && !(chaosActive() && Date.now() >= killAt)) await sleep(100);
        if (finished) break;
        if (exited) {
          counts.workerUnexpectedExits += 1;
          continue;
        }
        await worker.kill();
        counts.workerKills += 1;
      }
      await current?.stop();
    };

    // --- the Temporal dev server, restarted once; 429 bursts now and then.
    const disturb = async () => {
      let restarted = false;
      let nextBurst = 15;
      while (!finished && chaosActive()) {
        if (!restarted && elapsed() >= options.temporalRestartAtSeconds) {
          restarted = true;
          temporalDown = true;
          log(`[chaos] ${round(elapsed(), 1)} s: restarting the Temporal dev server`);
          try {
            await stack.restartTemporal();
            counts.temporalRestarts += 1;
          } finally {
            temporalDown = false;
          }
          log(`[chaos] ${round(elapsed(), 1)} s: Temporal dev server back`);
        }
        if (elapsed() >= nextBurst) {
          nextBurst += 15 + random() * 10;
          await stack.admin('POST', '/faults', { rules: [{ path: '/hosting/web/**', status: 429, times: 15 }] }).catch(() => undefined);
          counts.bursts429 += 1;
        }
        await sleep(250);
      }
    };

    // --- starting runs: provisionings spread over startOverSeconds; a backup of a provisioning's database once it is done.
    const start = async (run: TrackedRun, begin: () => Promise<{ workflowId: string }>) => {
      while (!finished) {
        if (temporalDown) {
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
      for (const [index, serviceName] of services.entries()) {
        const run: TrackedRun = { kind: 'provision', index, serviceName, status: 'starting' };
        runs.push(run);
        void start(run, () => stack.runs.startProvision(siteInput(serviceName, `chaos-${index}.example.org`)));
        await sleep((options.startOverSeconds * 1000) / options.provisionings);
      }
    };
    const startBackup = (provision: TrackedRun) => {
      const database = (provision.result as ProvisionSiteResult).database?.name;
      if (!database) return void problems.push(`provisioning ${provision.index} returned no database`);
      const run: TrackedRun = { kind: 'backup', index: provision.index, serviceName: provision.serviceName, status: 'starting' };
      runs.push(run);
      void start(run, () => stack.runs.startBackup({ serviceName: provision.serviceName, databaseName: database, sendEmail: false }, `chaos-${provision.index}`));
    };

    // --- following the runs (describe), and the operator (retry every cancelled task).
    const follow = async () => {
      while (!finished) {
        await sleep(2000);
        if (temporalDown) continue;
        for (const run of runs.filter((r) => r.status === 'running')) {
          try {
            const handle = stack.client.workflow.getHandle(run.workflowId as string);
            const { status } = await handle.describe();
            if (status.name === 'COMPLETED') {
              run.result = await handle.result();
              run.status = 'completed';
              if (run.kind === 'provision' && run.index < options.backups) startBackup(run);
            } else if (status.name !== 'RUNNING') {
              run.status = 'failed';
              run.failure = status.name;
            }
          } catch {
            // the server is restarting: next round
          }
        }
      }
    };
    const operate = async () => {
      while (!finished) {
        await sleep(1500);
        if (temporalDown) continue;
        try {
          for (const waiting of await stack.runs.listRuns({ needsAttention: true, limit: 1000 })) {
            const view = await stack.runs.describeRun(waiting.workflowId);
            const attention = view.progress?.attention;
            if (view.status !== 'needs-attention' || !attention) continue;
            if (attention.failureType === FAILURE_TYPES.taskCancelled) {
              await stack.runs.retry(waiting.workflowId);
              counts.retries += 1;
              attentionByType[attention.failureType] = (attentionByType[attention.failureType] ?? 0) + 1;
            } else {
              const key = `${attention.failureType} at ${attention.step}`;
              if (!problems.some((p) => p.includes(`${waiting.workflowId}: ${key}`))) {
                problems.push(`unexpected needs-attention, no operator answer scripted: ${waiting.workflowId}: ${key}: ${attention.message}`);
                attentionByType[attention.failureType] = (attentionByType[attention.failureType] ?? 0) + 1;
              }
            }
          }
        } catch {
          // a decision raced with the run moving on, or the server is restarting: next round
        }
      }
    };

    const loops = [supervise(), disturb(), follow(), operate()];
    await startProvisionings();
    const total = options.provisionings + options.backups;
    let lastReport = 0;
    while (elapsed() < options.deadlineSeconds) {
      const closed = runs.filter((r) => r.status === 'completed' || r.status === 'failed').length;
      if (closed === total) break;
      if (elapsed() - lastReport >= 30) {
        lastReport = elapsed();
        log(`[chaos] ${Math.round(elapsed())} s: ${closed}/${total} runs closed; ${counts.workerKills} worker kills, ${counts.retries} operator retries`);
      }
      await sleep(1000);
    }
    finished = true;
    await Promise.all(loops);
    const seconds = elapsed();

    // --- the verdict.
    const completed = runs.filter((r) => r.status === 'completed');
    const failed = runs.filter((r) => r.status === 'failed');
    const unfinished = total - completed.length - failed.length;
    for (const run of failed) problems.push(`${run.kind} ${run.index} (${run.workflowId}) ended ${run.failure}`);
    if (unfinished > 0) problems.push(`${unfinished} runs not finished after ${options.deadlineSeconds} s`);

    const state = await stack.state();
    const requests = await stack.requests();
    const stateFigures = verifyState(state, baseline, runs, problems);
    const writeFigures = verifyWrites(requests, state, new Set(services), problems);
    const faults = {
      status5xx: requests.filter((r) => r.fault === 'status' && r.status >= 500).length,
      status429: requests.filter((r) => r.fault === 'status' && r.status === 429).length,
      resetBefore: requests.filter((r) => r.fault === 'reset-before').length,
      resetAfter: requests.filter((r) => r.fault === 'reset-after').length,
      cancelledTasks: Object.keys(state.services)
        .filter((s) => services.includes(s))
        .flatMap((s) => state.services[s]?.tasks ?? [])
        .filter((t) => t.status === 'cancelled').length,
    };
    return {
      ok: problems.length === 0,
      temporal: temporalVersion(stack),
      problems,
      seconds: round(seconds, 1),
      runs: { provisionings: options.provisionings, backups: options.backups, completed: completed.length, failed: failed.length, unfinished },
      chaos: {
        workerKills: counts.workerKills,
        workerStarts: counts.workerStarts,
        workerUnexpectedExits: counts.workerUnexpectedExits,
        temporalRestarts: counts.temporalRestarts,
        bursts429: counts.bursts429,
      },
      faults,
      operator: { retries: counts.retries, attentionByType },
      ovh: { calls: requests.length, ...writeFigures },
      state: stateFigures,
    };
  } finally {
    finished = true;
    await stack.close();
  }
}

/**
 * Exactly what the runs made, on top of what the services held before: no duplicate, nothing orphaned. Provisioning
 * `index` attached `domainOf(index)` (the cluster kill test uses it too: test/cluster/kill-test.ts).
 */
export function verifyState(
  state: SimState,
  baseline: SimState,
  runs: TrackedRun[],
  problems: string[],
  domainOf: (index: number) => string = (index) => `chaos-${index}.example.org`,
): ChaosReport['state'] {
  const figures = { attachedDomains: 0, databases: 0, modules: 0, certificates: 0, dumps: 0, runningTasks: 0 };
  const provisions = runs.filter((r) => r.kind === 'provision');
  const backedUp = new Set(runs.filter((r) => r.kind === 'backup').map((r) => r.serviceName));
  // Runs that did not finish are reported as such; their resources are judged only once they have.
  for (const run of provisions.filter((r) => r.status === 'completed')) {
    const now = state.services[run.serviceName];
    const before = baseline.services[run.serviceName];
    if (!now || !before) {
      problems.push(`service ${run.serviceName} missing from the simulator`);
      continue;
    }
    const where = `${run.serviceName} (provisioning ${run.index})`;
    const domain = domainOf(run.index);
    const added = <T extends Record<string, unknown>>(list: T[], old: T[], key: string) => list.filter((item) => !old.some((o) => o[key] === item[key]));

    const domains = added(now.attachedDomains, before.attachedDomains, 'domain');
    figures.attachedDomains += domains.length;
    if (domains.length !== 1 || domains[0]?.domain !== domain || domains[0]?.status !== 'created') {
      problems.push(`${where}: attached domains ${JSON.stringify(domains.map((d) => [d.domain, d.status]))}, expected [${domain}, created]`);
    }
    const databases = added(now.databases, before.databases, 'name');
    figures.databases += databases.length;
    const expectedDb = (run.result as ProvisionSiteResult | undefined)?.database?.name;
    if (databases.length !== 1 || databases[0]?.name !== expectedDb || databases[0]?.status !== 'created') {
      problems.push(`${where}: databases ${JSON.stringify(databases.map((d) => [d.name, d.status]))}, expected [${expectedDb}, created]`);
    }
    const modules = added(now.modules, before.modules, 'id');
    figures.modules += modules.length;
    if (modules.length !== 1 || modules[0]?.status !== 'created' || !(typeof modules[0]?.targetUrl === 'string' && modules[0].targetUrl.includes(domain))) {
      problems.push(`${where}: modules ${JSON.stringify(modules.map((m) => [m.targetUrl, m.status]))}, expected one created for ${domain}`);
    }
    if (now.ssl) figures.certificates += 1;
    if (!now.ssl || now.ssl.status !== 'created' || !now.ssl.domains.includes(domain)) {
      problems.push(`${where}: certificate ${JSON.stringify(now.ssl && [now.ssl.status, now.ssl.domains])}, expected created covering ${domain}`);
    }
    const dumps = added(now.dumps, before.dumps, 'id');
    figures.dumps += dumps.length;
    const expectedDumps = backedUp.has(run.serviceName) ? 1 : 0;
    if (dumps.length !== expectedDumps || dumps.some((d) => d.status !== 'created')) {
      problems.push(`${where}: ${dumps.length} new dumps ${JSON.stringify(dumps.map((d) => [d.id, d.status]))}, expected ${expectedDumps} created`);
    }
    if (now.users.length !== before.users.length) problems.push(`${where}: FTP users changed`);
    const running = now.tasks.filter((t) => !['done', 'cancelled'].includes(String(t.status)));
    figures.runningTasks += running.length;
    if (running.length > 0) problems.push(`${where}: tasks still running at OVH: ${JSON.stringify(running.map((t) => [t.id, t.function, t.status]))}`);
  }
  return figures;
}

/**
 * Per hosting service and write, the POSTs OVH applied — answered 200, or applied and then reset — must be one plus
 * the tasks OVH cancelled (each cancelled task is a failed step the operator retried); no DELETE at all.
 */
export function verifyWrites(requests: RecordedRequest[], state: SimState, services: Set<string>, problems: string[]): Pick<ChaosReport['ovh'], 'appliedWrites' | 'refusedWrites' | 'conflicts409'> {
  const writes = requests.filter((r) => r.method !== 'GET' && /^\/hosting\/web\/[^/]+\//.test(r.path));
  const applied = writes.filter((r) => r.status === 200 || r.fault === 'reset-after');
  for (const r of applied.filter((w) => w.method === 'DELETE')) problems.push(`a DELETE was applied: ${r.path}`);
  for (const serviceName of services) {
    const prefix = `/hosting/web/${serviceName}/`;
    const mine = applied.filter((r) => r.method === 'POST' && r.path.startsWith(prefix));
    const tasks = state.services[serviceName]?.tasks ?? [];
    for (const write of WRITES) {
      const count = mine.filter((r) => write.matches(r.path)).length;
      const ofFunction = tasks.filter((t) => t.function === write.fn);
      const cancelled = ofFunction.filter((t) => t.status === 'cancelled').length;
      const expected = ofFunction.length === 0 ? 0 : 1 + cancelled;
      if (count !== expected || ofFunction.length !== count) {
        problems.push(`${serviceName}: ${count} applied writes for ${write.fn} (${ofFunction.length} tasks, ${cancelled} cancelled), expected ${expected}`);
      }
    }
    const others = mine.filter((r) => !WRITES.some((w) => w.matches(r.path)));
    for (const r of others) problems.push(`${serviceName}: unexpected write ${r.method} ${r.path}`);
  }
  return {
    appliedWrites: applied.length,
    refusedWrites: writes.length - applied.length,
    conflicts409: writes.filter((r) => r.status === 409).length,
  };
}

export function printChaosReport(report: ChaosReport, log: (line: string) => void = console.log): void {
  log(
    `chaos: ${report.ok ? 'PASSED' : 'FAILED'} in ${report.seconds} s — ${report.runs.completed}/${report.runs.provisionings + report.runs.backups} runs completed ` +
      `(${report.runs.provisionings} provisionings, ${report.runs.backups} backups), ${report.runs.failed} failed, ${report.runs.unfinished} unfinished`,
  );
  log(
    `  chaos: ${report.chaos.workerKills} worker SIGKILLs (${report.chaos.workerStarts} starts, ${report.chaos.workerUnexpectedExits} exits on their own), ` +
      `${report.chaos.temporalRestarts} Temporal restart (temporal CLI ${report.temporal}), ${report.chaos.bursts429} bursts of 429`,
  );
  log(
    `  faults injected: ${report.faults.status5xx} x 5xx, ${report.faults.status429} x 429, ${report.faults.resetBefore} resets before and ` +
      `${report.faults.resetAfter} after the call was applied, ${report.faults.cancelledTasks} cancelled tasks`,
  );
  log(`  operator: ${report.operator.retries} retries; needs-attention by type ${JSON.stringify(report.operator.attentionByType)}`);
  log(
    `  OVH: ${report.ovh.calls} calls, ${report.ovh.appliedWrites} writes applied, ${report.ovh.refusedWrites} refused or lost before applying ` +
      `(${report.ovh.conflicts409} x 409)`,
  );
  log(
    `  simulator state: ${report.state.attachedDomains} domains, ${report.state.databases} databases, ${report.state.modules} modules, ` +
      `${report.state.certificates} certificates, ${report.state.dumps} dumps, ${report.state.runningTasks} tasks still running`,
  );
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
