// Throughput of the OVH API simulator under signed calls from the official Node client.
//
//   npx tsx bench/simulator-throughput.ts [--duration 10] [--concurrency 32] [--requests N] [--in-process]
//
// By default the simulator runs in a child process (as `ovhflow sim` would), so client and server each get a core;
// `--in-process` runs both in one process. Every call is signed (X-Ovh-Signature), goes over HTTPS with keep-alive,
// and is checked against the schema like any other. Prints requests/second and latency percentiles.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rootCertificates } from 'node:tls';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.js';

interface Ready {
  port: number;
  caPem: string;
  credentials: RunningSimulator['credentials'];
}

const require = createRequire(import.meta.url);
const createOvhClient = require('ovh') as (params: Record<string, unknown>) => {
  requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
};

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    requests: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
  },
});

const PATHS = ['/hosting/web/demo-shop.ovh', '/hosting/web/demo-shop.ovh/database', '/hosting/web/demo-shop.ovh/database/demoshopdb1', '/hosting/web/demo-shop.ovh/attachedDomain'];

async function serve(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ovhflow-bench-'));
  const simulator = await startSimulator({ port: 0, dataDir });
  const ready: Ready = { port: simulator.port, caPem: simulator.caPem, credentials: simulator.credentials };
  process.send?.(ready);
  process.on('message', (message) => {
    if (message === 'stop') {
      void simulator.stop().then(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
}

async function startServer(inProcess: boolean): Promise<{ ready: Ready; stop: () => Promise<void> }> {
  if (inProcess) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ovhflow-bench-'));
    const simulator = await startSimulator({ port: 0, dataDir });
    return {
      ready: { port: simulator.port, caPem: simulator.caPem, credentials: simulator.credentials },
      stop: async () => {
        await simulator.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { stdio: 'inherit' });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  return {
    ready,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  if (args.serve) return serve();
  const concurrency = Number(args.concurrency);
  const durationMs = Number(args.duration) * 1000;
  const maxRequests = args.requests === undefined ? Number.POSITIVE_INFINITY : Number(args.requests);
  const { ready, stop } = await startServer(args['in-process'] === true);

  https.globalAgent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: [...rootCertificates, ready.caPem] });
  const client = createOvhClient({
    appKey: ready.credentials.applicationKey,
    appSecret: ready.credentials.applicationSecret,
    consumerKey: ready.credentials.consumerKey,
    host: '127.0.0.1',
    port: ready.port,
  });
  // Warm up: the client's /auth/time, TLS sessions, JIT.
  await Promise.all(Array.from({ length: concurrency }, () => client.requestPromised('GET', '/hosting/web')));

  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline && sent < maxRequests; i += concurrency) {
        sent += 1;
        const path = PATHS[i % PATHS.length] as string;
        const t0 = performance.now();
        try {
          await client.requestPromised('GET', path);
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await stop();

  latencies.sort((a, b) => a - b);
  const result = {
    mode: args['in-process'] ? 'in-process' : 'simulator in a child process',
    requests: latencies.length,
    errors,
    seconds: Number(elapsed.toFixed(2)),
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    concurrency,
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  };
  console.log(
    `${result.requestsPerSecond} signed req/s over ${result.seconds}s (${result.requests} requests, ${errors} errors, ` +
      `concurrency ${concurrency}, ${result.mode}); latency p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
  );
  console.log(JSON.stringify(result));
  if (errors > 0) process.exitCode = 1;
}

await main();
