// bench:fleet-apply (issue 26): an apply of 200 site changes over 2 OVH accounts, with 3 worker processes, on the real
// Temporal cluster (frontend, history, matching and worker services on PostgreSQL: scripts/cluster.ts), while one of
// the three workers is SIGKILLed a third of the way in and not restarted. The simulator enforces each account's rate
// limit (RATE calls/s, per application key) and answers 429 beyond it; every worker is configured with that limit and
// shares it with the others (OVHFLOW_RATE_LIMIT_SCOPE=account). Printed, against the goals:
//   - wall time of the apply (parent run start → close) against the rate-limit floor: the busiest account's calls
//     during the apply ÷ RATE. Goal ≤ 1.15×;
//   - refused calls (429) against all calls. Goal < 1 %;
//   - the parent's history: events of its longest execution (it continues as new every --per-execution children),
//     so the bound holds however big the fleet;
//   - after the kill, how long each run in flight stood still (bench/chaos-history.ts: a workflow task or an OVH call
//     in flight at the kill, until its next activity attempt or workflow task). Goal: p99 ≤ 15 s.
// The change is the same on every site (its firewall turned on), declared in an exported fleet file, so each child is
// one `update-domain` run: a read, a PUT, and the wait for OVH's task.
//
//   npm run bench:fleet-apply -- [--services 10] [--sites 200] [--rate 10] [--parallel 32] [--per-execution 100]
//                                [--workers 3] [--no-kill] [--dev-server]
// BENCH_DEBUG_SHARES=1 prints each account's rate shares (granted/demanded per worker) every 2 s while it applies.
import { parseArgs } from 'node:util';
import type { temporal } from '@temporalio/proto';
import { prepareApply, secretResolver } from '../src/fleet/apply-items.js';
import { parseFleetValue, type FleetFile } from '../src/fleet/file.js';
import { exportFleet } from '../src/fleet/plan.js';
import { createRunService } from '../src/runs/service.js';
import type { ApplyFleetResult } from '../src/shared/apply.js';
import { rateSharesQuery } from '../src/shared/rate-shares.js';
import { workflowInterceptorModules, workflowsSourcePath } from '../src/worker.js';
import { callRate } from '../test/support/call-rate.js';
import { percentile, stallsAfterKills, type RunHistory } from './chaos-history.js';
import { askFleetOn, FLEET_ACCOUNTS, twoAccountFleet } from './fleet-stack.js';
import { bundleWorkflows, inBatches, machine, round, startBenchStack, startWorkerProcess, temporalVersion, type BenchStack, type WorkerProcess } from './harness.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '10' },
    sites: { type: 'string', default: '200' },
    rate: { type: 'string', default: '10' },
    parallel: { type: 'string', default: '32' },
    'per-execution': { type: 'string', default: '100' },
    workers: { type: 'string', default: '3' },
    'dev-server': { type: 'boolean', default: false },
    'no-kill': { type: 'boolean', default: false },
  },
});
const SERVICES = Number(args.services);
const SITES = Number(args.sites);
const RATE = Number(args.rate);
const PARALLEL = Number(args.parallel);
const PER_EXECUTION = Number(args['per-execution']);
const WORKERS = Number(args.workers);
const ACCOUNTS = FLEET_ACCOUNTS;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const step = (what: string) => console.error(`[${new Date().toISOString()}] ${what}`);

/** Every execution of a workflow id (continue-as-new makes several), oldest first, with its events. */
async function executionsOf(stack: BenchStack, workflowId: string): Promise<Array<{ runId: string; events: HistoryEvent[] }>> {
  const runs: Array<{ runId: string; start: number }> = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push({ runId: run.runId, start: run.startTime.getTime() });
  runs.sort((a, b) => a.start - b.start);
  const out = [];
  for (const run of runs) {
    const history = await stack.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    out.push({ runId: run.runId, events: history.events ?? [] });
  }
  return out;
}

async function main(): Promise<void> {
  const cluster = !args['dev-server'];
  step(`starting ${cluster ? 'the Temporal cluster (PostgreSQL; the server is built from the Go module proxy once)' : 'the dev server'} and the simulator`);
  const stack = await startBenchStack({ name: 'bench-fleet-apply', cluster, sim: { rateLimit: null, maxRecordedRequests: 500_000, taskDurationMs: { default: 200 } } });
  const workers: WorkerProcess[] = [];
  try {
    const { servicesA, servicesB, writeAccountsFile } = await twoAccountFleet(stack, { services: SERVICES, sites: SITES, prefix: 'fa', domainPrefix: 'apply' });
    step(`${SITES} sites on ${SERVICES} services in 2 accounts`);
    const accountsFile = writeAccountsFile(RATE);
    const bundlePath = await bundleWorkflows(stack.workDir, workflowsSourcePath(), { workflowInterceptorModules: workflowInterceptorModules() });
    // From here on OVH (the simulator) refuses each account's calls beyond RATE per second.
    await stack.admin('PUT', '/config', { rateLimit: { perSecond: RATE, burst: RATE } });
    for (let i = 0; i < WORKERS; i += 1) workers.push(startWorkerProcess(stack, { bundlePath, rateLimitPerSecond: RATE, env: { OVHFLOW_ACCOUNTS_FILE: accountsFile, OVHFLOW_RATE_LIMIT_SCOPE: 'account' } }));
    await Promise.all(workers.map((w) => w.ready));
    step(`${WORKERS} workers polling; exporting the fleet`);
    const ask = askFleetOn(stack);
    const [exportA, exportB] = await Promise.all([exportFleet('default', servicesA, ask), exportFleet('agency-b', servicesB, ask)]);
    if (exportA.failures.length + exportB.failures.length > 0) throw new Error(`export failed: ${JSON.stringify([...exportA.failures, ...exportB.failures])}`);
    const exported = { version: 1, accounts: { ...exportA.file.accounts, ...exportB.file.accounts } } as FleetFile;
    // The edit: every site's firewall on.
    for (const account of Object.values(exported.accounts)) for (const service of Object.values(account.services)) for (const site of service.sites ?? []) site.firewall = 'active';
    const checked = parseFleetValue(exported);
    if (!checked.ok) throw new Error(`edited file refused: ${JSON.stringify(checked.issues)}`);
    const prepared = await prepareApply({ file: checked.value }, ask, secretResolver(stack.workDir));
    if (prepared.outcome !== 'apply') throw new Error(`nothing to apply: ${prepared.outcome} ${JSON.stringify(prepared.plan.summary)}`);
    const changes = prepared.tasks.reduce((n, t) => n + t.changes.length, 0);
    step(`plan: ${JSON.stringify(prepared.plan.summary)}; ${changes} changes in ${prepared.tasks.length} tasks; applying`);

    const runs = createRunService({ client: stack.client, taskQueue: stack.taskQueue });
    const before = (await stack.requests()).length;
    const started = Date.now();
    const ref = await runs.start('apply', { tasks: prepared.tasks, parallel: PARALLEL, accounts: { defaultAccount: 'default', names: [...ACCOUNTS] }, childrenPerExecution: PER_EXECUTION }, { account: 'default' });
    // The kill: a third of the way through the rate floor (every account's changes at RATE), one worker, for good.
    const expectedSeconds = (changes / 2) * 4 / RATE;
    let killedAt: number | undefined;
    if (!args['no-kill'] && workers.length > 1) {
      await new Promise((resolve) => setTimeout(resolve, (expectedSeconds * 1000) / 3));
      killedAt = Date.now();
      await workers[0]?.kill();
      step(`worker ${workers[0]?.pid} SIGKILLed`);
    }
    const handle = stack.client.workflow.getHandle(ref.workflowId);
    let watching = process.env.BENCH_DEBUG_SHARES === '1';
    const watch = (async () => {
      const ids: string[] = [];
      for await (const run of stack.client.workflow.list({ query: `WorkflowType = 'accountRateShares' AND ExecutionStatus = 'Running'` })) ids.push(run.workflowId);
      while (watching) {
        for (const id of ids) {
          const state = await stack.client.workflow.getHandle(id).query(rateSharesQuery).catch(() => undefined);
          const now = Date.now();
          if (state) console.error(`  ${state.account}: ${state.holders.filter((h) => h.expiresAt > now).map((h) => `${h.holder.split(':')[1]} ${round(h.perSecond, 1)}/${round(h.demandPerSecond ?? -1, 1)}`).join(' | ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    })();
    const result = (await handle.result()) as ApplyFleetResult;
    watching = false;
    await watch;
    const description = await handle.describe();
    const closed = description.closeTime?.getTime() ?? Date.now();
    const wallSeconds = (closed - started) / 1000;
    step(`apply closed: ${JSON.stringify(result.totals)}`);

    const calls = (await stack.requests()).slice(before).filter((r) => Date.parse(r.at) <= closed);
    const rate = callRate(calls, started, closed);
    const servicesOf = { default: servicesA, 'agency-b': servicesB } as const;
    const rows = ACCOUNTS.map((account) => {
      const mine = servicesOf[account].map((s) => `/hosting/web/${s}`);
      const own = calls.filter((r) => mine.some((prefix) => r.path === prefix || r.path.startsWith(`${prefix}/`)));
      return { account, calls: own.length, refused: own.filter((r) => r.status === 429).length, writes: own.filter((r) => r.method !== 'GET' && r.status < 400).length };
    });
    const others = calls.length - rows.reduce((n, r) => n + r.calls, 0);
    const floor = Math.max(...rows.map((r) => r.calls / RATE));

    // The parent's executions, and every child's history for the stall after the kill.
    const parent = await executionsOf(stack, ref.workflowId);
    const parentEvents = parent.map((e) => e.events.length);
    const children: RunHistory[] = [];
    const childIds = [...result.done, ...result.failed, ...result.needsAttention].map((item) => item.workflowId).filter((id) => id !== '');
    await inBatches(childIds, 8, async (workflowId) => {
      const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
      children.push({ workflowId, events: history.events ?? [] });
    });
    const childEvents = children.map((c) => c.events.length).sort((a, b) => a - b);
    const stall = killedAt === undefined ? undefined : stallsAfterKills([...children, ...parent.map((e) => ({ workflowId: `${ref.workflowId} (${e.runId.slice(0, 8)})`, events: e.events }))], [killedAt], []);
    const writesOnce = rows.reduce((n, r) => n + r.writes, 0);
    const writeCounts = new Map<string, number>();
    for (const r of calls) if (r.method !== 'GET' && r.status < 400) writeCounts.set(`${r.method} ${r.path}`, (writeCounts.get(`${r.method} ${r.path}`) ?? 0) + 1);
    const repeated = [...writeCounts].filter(([, n]) => n > 1);

    console.log(`fleet apply of ${changes} site changes over ${ACCOUNTS.length} accounts (${SERVICES} services), ${WORKERS} worker processes, --parallel ${PARALLEL} per account, rate limit ${RATE} calls/s per account; temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log(`report: ${JSON.stringify(result.totals)}; successful writes ${writesOnce} (one PUT per change: ${writesOnce === changes ? 'yes' : 'NO'})`);
    // A PUT repeated is a write whose answer was lost with the killed worker, made again by the retry (same body).
    if (repeated.length > 0) console.log(`  writes made more than once: ${repeated.map(([what, n]) => `${what} ×${n}`).join('; ')}`);
    for (const r of rows) console.log(`  ${r.account}: ${r.calls} calls (${round(r.calls / wallSeconds, 2)}/s of ${RATE}), ${r.refused} refused (429)`);
    console.log(`  outside the services: ${others} calls`);
    console.log(`wall: ${round(wallSeconds, 1)} s vs floor ${round(floor, 1)} s (busiest account's calls ÷ ${RATE}/s) = ${round(wallSeconds / floor, 3)}× (goal ≤ 1.15×)`);
    console.log(`refused: ${rate.refused} of ${rate.calls} calls = ${round((100 * rate.refused) / Math.max(1, rate.calls), 2)} % (goal < 1 %)`);
    console.log(`parent history: ${parent.length} executions (continue-as-new every ${PER_EXECUTION} children), events per execution ${parentEvents.join(', ')}, longest ${Math.max(...parentEvents)}; child histories p50 ${percentile(childEvents, 50)}, max ${childEvents.at(-1)} events`);
    if (stall) {
      console.log(
        `after the SIGKILL of 1 of ${WORKERS} workers at ${round(((killedAt ?? 0) - started) / 1000, 1)} s: ${stall.runsInFlight} runs in flight; pause p50 ${stall.p50Seconds} s, p99 ${stall.p99Seconds} s, max ${stall.maxSeconds} s (${stall.over15s} over 15 s; goal p99 ≤ 15 s)`,
      );
      for (const s of stall.longest) console.log(`    paused ${s.seconds} s: ${s.workflowId}, with ${s.inFlight} in flight`);
    }
    console.log(JSON.stringify({ changes, rate: RATE, workers: WORKERS, parallel: PARALLEL, wallSeconds: round(wallSeconds, 1), floorSeconds: round(floor, 1), ratio: round(wallSeconds / floor, 3), calls: rate.calls, refused: rate.refused, rows, parentEvents, stall: stall ?? null, totals: result.totals }));
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await stack.close();
  }
}

await main();
