// Fleet rate: what one worker achieves when OVH's rate limit is what binds. OVH allows about 60 calls a minute per
// consumer key; the worker's client-side limit is set to 1 call/s, and N sites are provisioned at once, then a night
// of dumps backs up their N databases. Printed: sites per hour and databases per hour, with their floor — the limit
// divided by the calls each item needs — which only fewer calls per item can raise.
//
//   npm run bench:fleet -- [--sites 12] [--rate 1]
import { parseArgs } from 'node:util';
import type { NightlyDumpsResult } from '../src/shared/backups.js';
import { parseNightlyDumpsInput } from '../src/shared/inputs/index.js';
import { bundleWorkflows, machine, round, siteInput, startBenchStack, startWorkerProcess, temporalVersion } from './harness.js';

const { values: args } = parseArgs({ options: { sites: { type: 'string', default: '12' }, rate: { type: 'string', default: '1' } } });
const SITES = Number(args.sites);
const RATE = Number(args.rate);

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-fleet', sim: { rateLimit: null, maxRecordedRequests: 200_000 } });
  try {
    const services = await stack.createServices(SITES, 'PRO', 'fleet');
    const bundlePath = await bundleWorkflows(stack.workDir);
    const worker = startWorkerProcess(stack, { bundlePath, rateLimitPerSecond: RATE });
    await worker.ready;
    const calls = async () => (await stack.requests()).length;

    // Provisioning: every site at once, the rate limit decides.
    let before = await calls();
    let started = performance.now();
    const refs = await Promise.all(services.map((serviceName, i) => stack.runs.start('provision', siteInput(serviceName, `fleet-${i}.example.org`))));
    const results = await Promise.all(refs.map((ref) => stack.client.workflow.getHandle(ref.workflowId).result()));
    const provisionSeconds = (performance.now() - started) / 1000;
    const provisionCalls = (await calls()) - before;
    const databases = results.map((r) => (r as { database?: { name: string } }).database?.name).filter(Boolean);

    // A night of dumps of those databases.
    const input = parseNightlyDumpsInput({ services, concurrency: 20 });
    if (!input.ok) throw new Error(JSON.stringify(input.issues));
    before = await calls();
    started = performance.now();
    const night = await stack.runs.start('nightly', input.value, { requestId: '2031-03-01' });
    const report = (await stack.client.workflow.getHandle(night.workflowId).result()) as NightlyDumpsResult;
    const nightlySeconds = (performance.now() - started) / 1000;
    const nightlyCalls = (await calls()) - before;
    await worker.stop();

    const perSite = provisionCalls / SITES;
    const perDb = nightlyCalls / report.totals.databases;
    console.log(`fleet rate at a client-side limit of ${RATE} call/s (OVH: ~60/min per consumer key); temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log(
      `provisioning: ${SITES} sites in ${round(provisionSeconds, 1)} s, ${round(perSite, 1)} calls/site -> ${Math.round((SITES / provisionSeconds) * 3600)} sites/hour ` +
        `(floor at this rate: ${Math.round((RATE * 3600) / perSite)} sites/hour)`,
    );
    console.log(
      `nightly dumps: ${report.totals.done}/${report.totals.databases} databases (of ${databases.length} provisioned) in ${round(nightlySeconds, 1)} s, ` +
        `${round(perDb, 1)} calls/database -> ${Math.round((report.totals.databases / nightlySeconds) * 3600)} databases/hour ` +
        `(floor at this rate: ${Math.round((RATE * 3600) / perDb)} databases/hour)`,
    );
    console.log(JSON.stringify({ rate: RATE, sites: SITES, provisionSeconds, perSite, nightlySeconds, perDb, done: report.totals.done, machine: machine() }));
  } finally {
    await stack.close();
  }
}

await main();
