// How long the `ovhflow` binary takes before it does anything, and what that costs a first provisioning:
//
//   npm run build && npm run bench:cli-startup -- [--repeat 5] [--sites 3]
//
// - `ovhflow --help` and `ovhflow runs` (against the Temporal dev server this starts): each `--repeat` times, as a
//   person types them — `node bin/ovhflow.js …` in a fresh process from dist/ (so build first); median and worst.
// - `ovhflow provision --wait` against the plain script a team would write (bench/peer-script.ts), alternating, after
//   one warm-up site each, on one simulator with its default task durations and one worker process (as
//   bench/peer.ts). The CLI's figure is the whole process, start to exit: what the person waits for.
//
// Goal (issue 24): help under 0.3 s; the CLI's provisioning ≤ 1.0 × the script's wall time.
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trustCaForEndpoint } from '../src/ovh/endpoint.js';
import { DEFAULT_POLL_SCHEDULE } from '../src/shared/hosting-tasks.js';
import { bundleWorkflows, machine, round, startBenchStack, startWorkerProcess, temporalVersion, type BenchStack } from './harness.js';
import { createPlainScript, officialClient } from './peer-script.js';

const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '5' }, sites: { type: 'string', default: '3' } } });
const REPEAT = Number(args.repeat);
const SITES = Number(args.sites);
const BIN = fileURLToPath(new URL('../bin/ovhflow.js', import.meta.url));

/** `node bin/ovhflow.js …args` in a fresh process: seconds from spawn to exit. A non-zero exit stops the bench. */
function timeCli(stack: BenchStack | undefined, ...cliArgs: string[]): Promise<number> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' };
  if (stack) {
    Object.assign(env, { TEMPORAL_ADDRESS: stack.server.address, TEMPORAL_NAMESPACE: stack.server.namespace, TEMPORAL_TASK_QUEUE: stack.taskQueue, OVHFLOW_ENCRYPTION_KEY: stack.keyBase64 });
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...cliArgs], { cwd: stack?.workDir ?? process.cwd(), env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`ovhflow ${cliArgs.join(' ')} exited ${code}:\n${stderr}`));
      else resolve((performance.now() - started) / 1000);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function repeated(what: () => Promise<number>): Promise<{ median: number; worst: number }> {
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) samples.push(await what());
  return { median: round(median(samples)), worst: round(Math.max(...samples)) };
}

async function main(): Promise<void> {
  const help = await repeated(() => timeCli(undefined, '--help'));
  console.log(`ovhflow --help : median ${help.median} s, worst ${help.worst} s (${REPEAT} runs; goal < 0.3 s)`);

  const stack = await startBenchStack({ name: 'bench-cli', sim: { rateLimit: null }, settings: { poll: DEFAULT_POLL_SCHEDULE } });
  try {
    const runsList = await repeated(() => timeCli(stack, 'runs'));
    console.log(`ovhflow runs   : median ${runsList.median} s, worst ${runsList.worst} s (${REPEAT} runs)`);

    const services = await stack.createServices(2 * (SITES + 1), 'PRO', 'cli');
    trustCaForEndpoint(stack.sim.host, stack.sim.port, readFileSync(stack.sim.caFile, 'utf8'));
    const script = createPlainScript(officialClient({ host: stack.sim.host, port: stack.sim.port }, stack.sim.credentials));
    const worker = startWorkerProcess(stack, { bundlePath: await bundleWorkflows(stack.workDir) });
    await worker.ready;
    const state = await stack.state();
    const login = (serviceName: string) => String(state.services[serviceName]?.service.primaryLogin);

    const scriptSite = async (serviceName: string, i: number) => {
      const started = performance.now();
      await script.provision({ serviceName, domain: `script-${i}.example.org`, databaseUser: `${login(serviceName)}s${i}`, databasePassword: 'PeerScript2026x', adminPassword: 'PeerAdmin2026xyz' });
      return (performance.now() - started) / 1000;
    };
    // The same site as bench/harness.ts siteInput(): a MySQL database, WordPress, Let's Encrypt.
    const cliSite = (serviceName: string, i: number) => timeCli(stack, 'provision', '--service', serviceName, '--domain', `cli-${i}.example.org`, '--module', 'wordpress', '--wait', '--json');

    const samples = { script: [] as number[], cli: [] as number[] };
    for (let i = 0; i <= SITES; i++) {
      const s = await scriptSite(services[2 * i] as string, i);
      const c = await cliSite(services[2 * i + 1] as string, i);
      console.log(`${i === 0 ? 'warm-up' : `site ${i}`}: script ${round(s, 1)} s | ovhflow provision --wait ${round(c, 1)} s`);
      if (i === 0) continue;
      samples.script.push(s);
      samples.cli.push(c);
    }
    await worker.stop();
    const scriptMean = round(mean(samples.script));
    const cliMean = round(mean(samples.cli));
    console.log(`\n${SITES} sites each (after one warm-up each), simulator default task durations, temporal ${temporalVersion(stack)}; ${machine()}`);
    console.log(`plain script             : ${scriptMean} s/site`);
    console.log(`ovhflow provision --wait : ${cliMean} s/site (ratio ${round(cliMean / scriptMean)}; goal ≤ 1.0)`);
    console.log(JSON.stringify({ help, runs: runsList, sites: SITES, script: scriptMean, cli: cliMean, machine: machine()}));
  } finally {
    await stack.close();
  }
}

await main();
