// The OVH rate limit across worker processes (issue 26, item 6). OVH counts an account's calls whatever process
// makes them; the simulator here enforces one account limit (LIMIT calls/s, burst LIMIT) and answers 429 beyond it.
// Side by side, in one run, each on its own task queue with the same load (inventory runs of ~20 service reads,
// kept in flight so every worker always has calls waiting), every worker configured with OVH_RATE_LIMIT_PER_SECOND
// = LIMIT:
//   1 worker                          the limit shared by one: it must reach the whole limit;
//   3 workers                         shared (OVHFLOW_RATE_LIMIT_SCOPE=account);
//   3 workers, per-process limit      OVHFLOW_RATE_LIMIT_SCOPE=process: what happened before sharing;
//   3 workers, one SIGKILLed midway   how long until the two others call at the whole limit again.
// Measured from the simulator's request log (every call's arrival, refused ones included): calls/s against the
// limit, 429s, the most calls in any 1 s window (a bucket of LIMIT/s and burst LIMIT allows 2 × LIMIT), and for the
// kill the time until every 2 s window again holds 90 % of the limit.
//
//   npm run bench:rate-across-workers -- [--limit 10] [--seconds 30] [--lease 3] [--in-flight 9]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { OvhClient } from '../src/ovh/client.js';
import { rateSharesWorkflowId } from '../src/ovh/rate-share-keeper.js';
import { rateSharesQuery } from '../src/shared/rate-shares.js';
import { inventory } from '../src/workflows/inventory.js';
import { callRate, rateReachedAt } from '../test/support/call-rate.js';
import { bundleWorkflows, machine, round, startBenchStack, startWorkerProcess, temporalVersion, waitUntil, type BenchStack, type WorkerProcess } from './harness.js';

const { values: args } = parseArgs({
  options: { limit: { type: 'string', default: '10' }, seconds: { type: 'string', default: '30' }, lease: { type: 'string', default: '3' }, 'in-flight': { type: 'string', default: '9' } },
});
const LIMIT = Number(args.limit);
const SECONDS = Number(args.seconds);
const LEASE_SECONDS = Number(args.lease);
const IN_FLIGHT = Number(args['in-flight']);
const SERVICES = 20;
const WARM_UP_MS = 5_000;

interface Scenario {
  name: string;
  workers: number;
  scope: 'account' | 'process';
  kill?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: '1 worker', workers: 1, scope: 'account' },
  { name: '3 workers', workers: 3, scope: 'account' },
  { name: '3 workers, per-process limit (before)', workers: 3, scope: 'process' },
  { name: '3 workers, one SIGKILLed midway', workers: 3, scope: 'account', kill: true },
];

/** Keeps IN_FLIGHT inventory runs going on `taskQueue` until stopped (then terminates what is still running). */
function keepLoaded(stack: BenchStack, taskQueue: string): { stop(): Promise<void> } {
  let loading = true;
  const running = new Set<string>();
  const loops = Array.from({ length: IN_FLIGHT }, async () => {
    while (loading) {
      const workflowId = `rate-load/${randomUUID()}`;
      running.add(workflowId);
      try {
        await stack.client.workflow.execute(inventory, { taskQueue, workflowId, args: [{ kind: 'services' }] });
      } catch (error) {
        if (loading) throw error;
      } finally {
        running.delete(workflowId);
      }
    }
  });
  return {
    async stop() {
      loading = false;
      await Promise.all([...running].map((id) => stack.client.workflow.getHandle(id).terminate('benchmark over').catch(() => undefined)));
      await Promise.all(loops);
    },
  };
}

async function runScenario(stack: BenchStack, bundlePath: string, sharesIdOf: (taskQueue: string) => string, scenario: Scenario) {
  const taskQueue = `${stack.taskQueue}-${scenario.workers}-${scenario.scope}${scenario.kill ? '-kill' : ''}`;
  const workers: WorkerProcess[] = Array.from({ length: scenario.workers }, () =>
    startWorkerProcess(stack, {
      bundlePath,
      rateLimitPerSecond: LIMIT,
      env: { TEMPORAL_TASK_QUEUE: taskQueue, OVHFLOW_RATE_LIMIT_SCOPE: scenario.scope, OVHFLOW_RATE_SHARE_LEASE_SECONDS: String(LEASE_SECONDS) },
    }),
  );
  await Promise.all(workers.map((w) => w.ready));
  const load = keepLoaded(stack, taskQueue);
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const from = Date.now();
  let killedAt: number | undefined;
  let sharedOutMs: number | undefined;
  if (scenario.kill) {
    await new Promise((resolve) => setTimeout(resolve, (SECONDS * 1000) / 3));
    killedAt = Date.now();
    await workers[0]?.kill();
    const handle = stack.client.workflow.getHandle(sharesIdOf(taskQueue));
    await waitUntil(
      'the two others to hold the whole limit',
      async () => {
        const now = Date.now();
        const live = (await handle.query(rateSharesQuery)).holders.filter((h) => h.expiresAt > now);
        return live.length === scenario.workers - 1 && live.reduce((sum, h) => sum + h.perSecond, 0) >= LIMIT - 1e-6;
      },
      60_000,
      50,
    );
    sharedOutMs = Date.now() - killedAt;
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, from + SECONDS * 1000 - Date.now())));
  const to = Date.now();
  await load.stop();
  await Promise.all(workers.map((w) => w.stop()));
  const requests = await stack.requests();
  const rate = callRate(requests, from, to);
  const recoveredAt = killedAt === undefined ? undefined : rateReachedAt(requests, killedAt, to, 0.9 * LIMIT);
  let coordinatorEvents = 0;
  if (scenario.scope === 'account') {
    // Visibility has no history length for a running run: ask each run.
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${sharesIdOf(taskQueue)}'` })) {
      coordinatorEvents += (await stack.client.workflow.getHandle(run.workflowId, run.runId).describe()).historyLength;
    }
  }
  return {
    name: scenario.name,
    seconds: round((to - from) / 1000, 1),
    calls: rate.calls,
    perSecond: round(rate.perSecond, 2),
    ofLimit: round(rate.perSecond / LIMIT, 2),
    refused: rate.refused,
    refusedShare: rate.calls === 0 ? 0 : round(rate.refused / rate.calls, 4),
    maxIn1s: rate.maxInWindow,
    ...(killedAt === undefined
      ? {}
      : {
          sharedOutSeconds: round((sharedOutMs ?? 0) / 1000, 2),
          recoveredSeconds: recoveredAt === undefined ? null : round((recoveredAt - killedAt) / 1000, 2),
        }),
    coordinatorEventsPerSecond: scenario.scope === 'account' ? round(coordinatorEvents / ((Date.now() - from + WARM_UP_MS) / 1000), 1) : null,
  };
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-rate', sim: { rateLimit: { perSecond: LIMIT, burst: LIMIT }, maxRecordedRequests: 500_000 } });
  try {
    await stack.createServices(SERVICES, 'PERFORMANCE_1', 'rate');
    const bundlePath = await bundleWorkflows(stack.workDir);
    const credentials = new OvhClient({ endpoint: stack.sim.url, ...stack.sim.credentials, caFile: stack.sim.caFile, rateLimitPerSecond: LIMIT, logger: stack.logger });
    const sharesIdOf = (taskQueue: string) => rateSharesWorkflowId(taskQueue, credentials.rateLimit?.id ?? '');
    const results = [];
    for (const scenario of SCENARIOS) {
      const result = await runScenario(stack, bundlePath, sharesIdOf, scenario);
      results.push(result);
      console.error(`  ${JSON.stringify(result)}`);
    }
    console.log(`rate limit across workers: account limit ${LIMIT} calls/s (burst ${LIMIT}) at the simulator, every worker OVH_RATE_LIMIT_PER_SECOND=${LIMIT}, lease ${LEASE_SECONDS} s; ${IN_FLIGHT} inventory runs of ${SERVICES + 1} calls in flight; ${SECONDS} s measured per scenario after ${WARM_UP_MS / 1000} s warm-up`);
    console.log(`temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log('| scenario | calls/s | of limit | 429 | max calls in 1 s | share handed out after kill | full rate again after kill | coordinator events/s |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      const kill = 'sharedOutSeconds' in r ? [`${r.sharedOutSeconds} s`, r.recoveredSeconds === null ? 'never' : `${r.recoveredSeconds} s`] : ['–', '–'];
      console.log(`| ${r.name} | ${r.perSecond} | ${Math.round(r.ofLimit * 100)} % | ${r.refused} of ${r.calls} (${round(r.refusedShare * 100, 1)} %) | ${r.maxIn1s} | ${kill[0]} | ${kill[1]} | ${r.coordinatorEventsPerSecond ?? '–'} |`);
    }
    console.log(JSON.stringify({ limit: LIMIT, seconds: SECONDS, leaseSeconds: LEASE_SECONDS, results, machine: machine() }));
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
