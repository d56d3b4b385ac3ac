// ovhflow against the plain script a team would write instead (bench/peer-script.ts), side by side on one simulator
// with its default task durations (every OVH task 2 s): OVH API calls per site and wall time per site.
//
//   npm run bench:peer -- [--sites 5]
//
// Each site gets its own hosting service (same offer, no certificate yet), so neither side benefits from the other.
// The sides alternate — script, ovhflow, script, ovhflow... — after one warm-up site each (the script's catalog lookup
// and ovhflow's worker caches and clock sync happen there, once per process, as they would in real use). ovhflow runs
// as `ovhflow provision --wait` does: a worker process (as `ovhflow worker`), the run started through the run service,
// its end awaited from Temporal. Calls are counted from the simulator's request log (every call, `/auth/time`
// included); wall time is from the first call of the script / the run's start to the site being done.
//
// Goal (issue #13): ovhflow ≤ 1.2 × the script's calls and ≤ 1.0 × its wall time, with every safety kept.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { trustCaForEndpoint } from '../src/ovh/endpoint.js';
import { DEFAULT_POLL_SCHEDULE } from '../src/shared/hosting-tasks.js';
import { bundleWorkflows, machine, round, siteInput, startBenchStack, startWorkerProcess, temporalVersion, type BenchStack } from './harness.js';
import { createPlainScript, officialClient } from './peer-script.js';

const { values: args } = parseArgs({ options: { sites: { type: 'string', default: '5' } } });
const SITES = Number(args.sites);

interface Sample {
  calls: number;
  seconds: number;
  byOperation: Record<string, number>;
  /** Each call, seconds after the site's start: where the time goes. */
  timeline: string[];
}

async function measure(stack: BenchStack, run: () => Promise<void>): Promise<Sample> {
  const before = (await stack.requests()).length;
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const made = (await stack.requests()).slice(before);
  const byOperation: Record<string, number> = {};
  const t0 = Date.now() - seconds * 1000;
  const timeline = made.map((r) => `${((Date.parse(r.at) - t0) / 1000).toFixed(2).padStart(6)} s  ${r.method} ${r.path}`);
  for (const r of made) {
    const key = `${r.method} ${r.operation?.replace(/^(GET|POST|PUT|DELETE) /, '') ?? r.path}`;
    byOperation[key] = (byOperation[key] ?? 0) + 1;
  }
  return { calls: made.length, seconds, byOperation, timeline };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-peer', sim: { rateLimit: null, maxRecordedRequests: 200_000 }, settings: { poll: DEFAULT_POLL_SCHEDULE } });
  try {
    const services = await stack.createServices(2 * (SITES + 1), 'PRO', 'peer');
    trustCaForEndpoint(stack.sim.host, stack.sim.port, readFileSync(stack.sim.caFile, 'utf8'));
    const script = createPlainScript(officialClient({ host: stack.sim.host, port: stack.sim.port }, stack.sim.credentials));
    const bundlePath = await bundleWorkflows(stack.workDir);
    const worker = startWorkerProcess(stack, { bundlePath });
    await worker.ready;
    const state = await stack.state();
    const login = (serviceName: string) => String(state.services[serviceName]?.service.primaryLogin);

    const scriptSite = (serviceName: string, i: number) => () =>
      script
        .provision({
          serviceName,
          domain: `script-${i}.example.org`,
          databaseUser: `${login(serviceName)}s${i}`,
          databasePassword: 'PeerScript2026x',
          adminPassword: 'PeerAdmin2026xyz',
        })
        .then(() => undefined);
    const ovhflowSite = (serviceName: string, i: number) => async () => {
      const ref = await stack.runs.start('provision', siteInput(serviceName, `ovhflow-${i}.example.org`));
      await stack.client.workflow.getHandle(ref.workflowId).result();
    };

    const samples = { script: [] as Sample[], ovhflow: [] as Sample[] };
    for (let i = 0; i <= SITES; i++) {
      const s = await measure(stack, scriptSite(services[2 * i] as string, i));
      const o = await measure(stack, ovhflowSite(services[2 * i + 1] as string, i));
      const label = i === 0 ? 'warm-up' : `site ${i}`;
      console.log(`${label}: script ${s.calls} calls ${round(s.seconds, 1)} s | ovhflow ${o.calls} calls ${round(o.seconds, 1)} s`);
      if (i === 0) continue;
      samples.script.push(s);
      samples.ovhflow.push(o);
    }
    await worker.stop();

    const figure = (side: Sample[]) => ({ calls: round(mean(side.map((x) => x.calls)), 1), seconds: round(mean(side.map((x) => x.seconds)), 2) });
    const script_ = figure(samples.script);
    const ovhflow = figure(samples.ovhflow);
    console.log(`\n${SITES} sites each (after one warm-up site each), simulator default task durations, temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log(`plain script : ${script_.calls} calls/site, ${script_.seconds} s/site`);
    console.log(`ovhflow      : ${ovhflow.calls} calls/site, ${ovhflow.seconds} s/site`);
    console.log(`ratio        : calls ${round(ovhflow.calls / script_.calls, 2)} (goal ≤ 1.2), wall time ${round(ovhflow.seconds / script_.seconds, 2)} (goal ≤ 1.0)`);
    const last = (side: Sample[]) => side.at(-1)?.byOperation ?? {};
    console.log('\ncalls of the last site, by operation:');
    const keys = [...new Set([...Object.keys(last(samples.script)), ...Object.keys(last(samples.ovhflow))])].sort();
    for (const key of keys) console.log(`  ${key.padEnd(58)} script ${String(last(samples.script)[key] ?? 0).padStart(2)}  ovhflow ${String(last(samples.ovhflow)[key] ?? 0).padStart(2)}`);
    if (process.env.PEER_TIMELINE) {
      for (const side of ['script', 'ovhflow'] as const) console.log(`\n${side}, last site:\n${samples[side].at(-1)?.timeline.join('\n')}`);
    }
    console.log(JSON.stringify({ sites: SITES, script: script_, ovhflow, machine: machine() }));
  } finally {
    await stack.close();
  }
}

await main();
