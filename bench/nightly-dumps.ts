// Nightly dumps at scale: one nightlyDumps run over DATABASES databases on SERVICES hosting services, against the
// simulator with instant tasks and a rate limit of R requests per second. The floor is (API calls made) ÷ R: no
// client can be faster than the limit allows. Prints the wall time against that floor, and how many calls the
// simulator refused with 429 (retried, never a failed backup).
//
//   npm run bench:nightly -- [--services 20] [--databases 200] [--rate 50] [--client-rate 50] [--concurrency 20]
//
// The Temporal dev server, the simulator (in this process) and one worker run on this machine. The databases are
// written into the simulator's saved world (`--persist`), since no offer allows ten databases per hosting.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { encryptedDataConverter, failureConverterPath } from '../src/codec/encryption-codec.js';
import { singleKeyring } from '../src/codec/keyring.js';
import { createLogger } from '../src/logging/logger.js';
import { OvhClient } from '../src/ovh/client.js';
import type { NightlyDumpsResult } from '../src/shared/backups.js';
import { startSimulator, type RecordedRequest, type RunningSimulator } from '../src/simulator/index.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { createWorker, workflowsSourcePath } from '../src/worker.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '20' },
    databases: { type: 'string', default: '200' },
    rate: { type: 'string', default: '50' },
    'client-rate': { type: 'string' },
    concurrency: { type: 'string', default: '20' },
  },
});
const SERVICES = Number(args.services);
const DATABASES = Number(args.databases);
const RATE = Number(args.rate);
const CLIENT_RATE = Number(args['client-rate'] ?? args.rate);
const CONCURRENCY = Number(args.concurrency);

/** Writes SERVICES services holding DATABASES databases between them into the simulator's saved world. */
async function seedWorld(dataDir: string): Promise<string[]> {
  const seeding = await startSimulator({ port: 0, dataDir, persistState: true });
  const services = Array.from({ length: SERVICES }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}.example.net`);
  for (const [i, serviceName] of services.entries()) {
    await admin(seeding, 'POST', `/services/${serviceName}`, { offer: 'PERFORMANCE_1', primaryLogin: `bench${String(i + 1).padStart(2, '0')}` });
  }
  await seeding.stop();
  const file = join(dataDir, 'state.json');
  const world = JSON.parse(readFileSync(file, 'utf8')) as { services: Array<{ serviceName: string; primaryLogin: string; databases: Array<[string, unknown]> }> };
  const now = Date.now();
  for (let n = 0; n < DATABASES; n++) {
    const service = world.services.find((s) => s.serviceName === services[n % SERVICES]);
    if (!service) throw new Error('seeded service missing');
    const name = `${service.primaryLogin}db${String(Math.floor(n / SERVICES) + 1).padStart(2, '0')}`;
    service.databases.push([
      name,
      { name, user: name, password: 'BenchDb2025x', type: 'mysql', version: '8.0', capabilitie: 'sqlPerso', quotaMb: 1024, server: `${name}.mysql.db`, port: 3306, status: 'created', taskId: null, createdAt: now, restoredFrom: [] },
    ]);
  }
  writeFileSync(file, JSON.stringify(world));
  return services;
}

function admin(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: sim.host, port: sim.port, method, path: `/_sim${path}`, ca: sim.caPem, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${method} /_sim${path}: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const noop = () => undefined;
const quietBundler = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'ovhflow-bench-nightly-'));
  const logger = createLogger('warn');
  const server = await startDevServer({ uiPort: null, logFile: join(workDir, 'temporal.log') });
  const services = await seedWorld(join(workDir, 'sim'));
  const sim = await startSimulator({
    port: 0,
    dataDir: join(workDir, 'sim'),
    persistState: true,
    taskDurationMs: 0,
    rateLimit: { perSecond: RATE, burst: RATE },
  });
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), failureConverterPath: failureConverterPath(), logger: quietBundler });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  const keyring = singleKeyring(randomBytes(32));
  const taskQueue = `bench-nightly-${randomUUID().slice(0, 8)}`;
  const ovh = new OvhClient({ endpoint: sim.url, ...sim.credentials, caFile: sim.caFile, timeoutMs: 10_000, rateLimitPerSecond: CLIENT_RATE, logger });
  const { worker, close } = await createWorker({ temporal: { address: server.address, namespace: server.namespace, taskQueue }, logger, keyring, ovh, workflowBundlePath: bundlePath });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace, dataConverter: encryptedDataConverter(keyring) });

  // One signed call first: the official client learns OVH's clock with its first call, and concurrent first calls
  // would each ask /auth/time outside the client-side rate limit (see the benchmark notes).
  await ovh.listServices();
  // Only the run's own calls are counted.
  const before = ((await admin(sim, 'GET', '/requests')) as RecordedRequest[]).length;
  const started = performance.now();
  const workflowId = `bench/nightly-dumps/${randomUUID()}`;
  const result = (await client.workflow.execute('nightlyDumps', {
    taskQueue,
    workflowId,
    args: [{ services, concurrency: CONCURRENCY }, { poll: { initialIntervalSeconds: 0.2, backoffCoefficient: 2, maximumIntervalSeconds: 2 } }, { night: '2026-01-01' }],
  })) as NightlyDumpsResult;
  const seconds = (performance.now() - started) / 1000;

  const { historyLength } = await client.workflow.getHandle(workflowId).describe();
  const requests = ((await admin(sim, 'GET', '/requests')) as RecordedRequest[]).slice(before);
  const refused = requests.filter((r) => r.status === 429).length;
  if (process.env.BENCH_DEBUG) {
    const t0 = Date.parse(requests[0]?.at ?? '');
    for (const r of requests.filter((q) => q.status === 429)) console.error(`429 at +${Date.parse(r.at) - t0} ms: ${r.method} ${r.path}`);
    let worst = { excess: -Infinity, at: 0, count: 0 };
    requests.forEach((r, i) => {
      const t = Date.parse(r.at) - t0;
      const excess = i + 1 - (RATE + (RATE * t) / 1000);
      if (excess > worst.excess) worst = { excess, at: t, count: i + 1 };
    });
    console.error('worst arrivals vs server budget', worst);
  }
  const accepted = requests.length - refused;
  const floor = accepted / RATE;
  worker.shutdown();
  await running;
  await close();
  await connection.close();
  await sim.stop();
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });

  const figures = {
    databases: result.totals.databases,
    services: result.services.length,
    done: result.totals.done,
    failed: result.totals.failed,
    skipped: result.totals.skipped,
    concurrency: CONCURRENCY,
    simulatorRatePerSecond: RATE,
    clientRatePerSecond: CLIENT_RATE,
    apiCalls: accepted,
    callsPerDatabase: Number((accepted / Math.max(1, result.totals.databases)).toFixed(2)),
    refused429: refused,
    wallSeconds: Number(seconds.toFixed(2)),
    floorSeconds: Number(floor.toFixed(2)),
    wallOverFloor: Number((seconds / floor).toFixed(2)),
    achievedCallsPerSecond: Number((accepted / seconds).toFixed(1)),
    parentHistoryEvents: historyLength,
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  };
  console.log(JSON.stringify(figures, null, 2));
  if (result.totals.failed > 0) {
    console.error(JSON.stringify(result.failed.slice(0, 5), null, 2));
    process.exitCode = 1;
  }
}

await main();
