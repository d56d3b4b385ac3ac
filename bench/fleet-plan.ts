// bench:fleet-plan (issue 26): the plan of a big fleet that has not changed. 1,000 declared sites on 50 hosting
// services in 2 OVH accounts (25 each, in two NICs of the simulator, each account with its own credentials and its own
// client-side rate limit), exported, then planned: the plan must show no change. Printed, against their floors:
//   - OVH calls per declared resource, against one listing per kind per service plus one read per declared resource
//     (the hosting service itself counted as a declared resource: the file names it);
//   - wall time at the accounts' rate limit, against the busiest account's calls ÷ its rate (the accounts are read at
//     the same time, each paced by its own limit).
// Goal: ≤ 1.1 × both floors. The worker runs in its own process, as `ovhflow worker` (accounts file + classic OVH_*).
//
//   npm run bench:fleet-plan -- [--services 50] [--sites 1000] [--rate 10]
import { parseArgs } from 'node:util';
import { parseFleetValue, type FleetFile } from '../src/fleet/file.js';
import { exportFleet, planFleet } from '../src/fleet/plan.js';
import { RESOURCE_KINDS } from '../src/fleet/resource-kinds.js';
import { workflowInterceptorModules, workflowsSourcePath } from '../src/worker.js';
import { askFleetOn, FLEET_ACCOUNTS, twoAccountFleet } from './fleet-stack.js';
import { bundleWorkflows, machine, round, startBenchStack, startWorkerProcess, temporalVersion } from './harness.js';

const { values: args } = parseArgs({ options: { services: { type: 'string', default: '50' }, sites: { type: 'string', default: '1000' }, rate: { type: 'string', default: '10' } } });
const SERVICES = Number(args.services);
const SITES = Number(args.sites);
const RATE = Number(args.rate);
const ACCOUNTS = FLEET_ACCOUNTS;

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-fleet-plan', sim: { rateLimit: null, maxRecordedRequests: 500_000, taskDurationMs: { default: 5 } } });
  try {
    const step = (what: string) => console.error(`[${new Date().toISOString()}] ${what}`);
    step('simulator and Temporal up');
    const { servicesA, servicesB, writeAccountsFile } = await twoAccountFleet(stack, { services: SERVICES, sites: SITES, prefix: 'fp', domainPrefix: 'site' });
    step('domains attached');
    const accountsOf = (rate: number) => writeAccountsFile(rate);
    step('bundling');
    // As the production bundle: with the account interceptor, which hands each run's account to its activities.
    const bundlePath = await bundleWorkflows(stack.workDir, workflowsSourcePath(), { workflowInterceptorModules: workflowInterceptorModules() });
    const ask = askFleetOn(stack);

    // The export, unpaced (it is the setup, not the measure).
    let worker = startWorkerProcess(stack, { bundlePath, rateLimitPerSecond: 0, env: { OVHFLOW_ACCOUNTS_FILE: accountsOf(0) } });
    await worker.ready;
    step('exporting');
    const [exportA, exportB] = await Promise.all([exportFleet('default', servicesA, ask), exportFleet('agency-b', servicesB, ask)]);
    await worker.stop();
    if (exportA.failures.length + exportB.failures.length > 0) throw new Error(`export failed: ${JSON.stringify([...exportA.failures, ...exportB.failures])}`);
    const checked = parseFleetValue({ version: 1, accounts: { ...exportA.file.accounts, ...exportB.file.accounts } });
    if (!checked.ok) throw new Error(`exported file refused: ${JSON.stringify(checked.issues)}`);
    const file: FleetFile = checked.value;

    // The plan, each account at RATE calls/s.
    worker = startWorkerProcess(stack, { bundlePath, rateLimitPerSecond: RATE, env: { OVHFLOW_ACCOUNTS_FILE: accountsOf(RATE) } });
    await worker.ready;
    step('planning');
    const before = (await stack.requests()).length;
    const started = performance.now();
    const plan = await planFleet(file, {}, ask);
    const wallSeconds = (performance.now() - started) / 1000;
    const calls = (await stack.requests()).slice(before);
    await worker.stop();
    if (plan.failures.length > 0) throw new Error(`plan incomplete: ${JSON.stringify(plan.failures)}`);

    const writes = calls.filter((r) => r.method !== 'GET').length;
    const servicesOf = { default: servicesA, 'agency-b': servicesB } as const;
    const rows = ACCOUNTS.map((account) => {
      const declared = Object.values(file.accounts[account]?.services ?? {});
      const sites = declared.reduce((n, s) => n + (s.sites?.length ?? 0), 0);
      const resources = declared.reduce((n, s) => n + 1 + RESOURCE_KINDS.reduce((m, kind) => m + kind.declarations(s).length, 0), 0);
      const listingFloor = declared.length * RESOURCE_KINDS.length;
      const mine = new Set(servicesOf[account].map((s) => `/hosting/web/${s}`));
      const accountCalls = calls.filter((r) => [...mine].some((prefix) => r.path === prefix || r.path.startsWith(`${prefix}/`))).length;
      return { account, services: declared.length, sites, resources, floor: listingFloor + resources, calls: accountCalls };
    });
    const others = calls.length - rows.reduce((n, r) => n + r.calls, 0);
    const otherPaths = [...new Set(calls.filter((r) => !/^\/hosting\/web\/fp[ab]-/.test(r.path)).map((r) => r.path))];
    const totalFloor = rows.reduce((n, r) => n + r.floor, 0);
    const totalResources = rows.reduce((n, r) => n + r.resources, 0);
    const wallFloor = Math.max(...rows.map((r) => r.calls / RATE));
    const wallFloorAll = Math.max(...ACCOUNTS.map((account) => {
      const row = rows.find((r) => r.account === account)!;
      return (row.calls + (account === 'default' ? others : 0)) / RATE;
    }));

    console.log(`fleet plan of ${rows.reduce((n, r) => n + r.sites, 0)} declared sites on ${rows.reduce((n, r) => n + r.services, 0)} services in ${ACCOUNTS.length} accounts, no change; rate limit ${RATE} calls/s per account; temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log(`plan: summary ${JSON.stringify(plan.summary)}, ${writes} writes, ${plan.reads} reads counted by the plan, ${calls.length} requests seen by the simulator`);
    for (const r of rows) {
      console.log(`  ${r.account}: ${r.services} services, ${r.sites} sites, ${r.resources} declared resources; ${r.calls} calls vs floor ${r.floor} (${RESOURCE_KINDS.length} listings × ${r.services} + ${r.resources} reads) = ${round(r.calls / r.floor, 3)}×`);
    }
    console.log(`  outside the services: ${others} calls (${otherPaths.join(', ')})`);
    console.log(`calls per declared resource: ${round(calls.length / totalResources, 3)} vs floor ${round(totalFloor / totalResources, 3)} = ${round(calls.length / totalFloor, 3)}× (goal ≤ 1.1×)`);
    console.log(`wall: ${round(wallSeconds, 1)} s vs floor ${round(wallFloorAll, 1)} s (busiest account's calls ÷ ${RATE}/s) = ${round(wallSeconds / wallFloorAll, 3)}× (goal ≤ 1.1×)`);
    console.log(JSON.stringify({ rate: RATE, services: SERVICES, sites: SITES, calls: calls.length, floor: totalFloor, resources: totalResources, wallSeconds, wallFloor: wallFloorAll, wallFloorServicesOnly: wallFloor, writes, summary: plan.summary, rows }));
  } finally {
    await stack.close();
  }
}

await main();
