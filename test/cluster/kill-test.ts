// The cluster kill test: ovhflow on a real Temporal server — frontend, history, matching and worker as separate
// processes on PostgreSQL, brought up by scripts/cluster.ts exactly as `npm run cluster` does — while its parts die.
//
//   npm run test:cluster [-- --provisionings 40 --backups 20 --task-ms 2500]
//
// Two `ovhflow worker` processes (node bin/ovhflow.js worker, distinct health ports) and the OVH simulator
// (node bin/ovhflow.js sim) run provisionings and then backups of their databases. Meanwhile the history service is
// SIGKILLed and started again, then the frontend, then PostgreSQL is restarted (a fast shutdown, as a restart by
// an operator or a package upgrade does), each while runs are in flight. It passes when every run completes, the
// simulator holds exactly what the runs made — no duplicate, nothing orphaned, no write applied twice (the chaos
// suite's checks, bench/chaos.ts) — and neither worker died. Figures: runs, kills, stalls (the longest time without
// a single OVH call after each disruption, against the longest in calm times), wall time.
//
// It starts its own cluster on a throw-away data directory and free ports, so it never touches `npm run cluster`'s
// data; every process it starts runs under src/temporal/process-guard.mjs. Not part of `npm test` (a separate command in
// .ci/run): about 2 minutes once the server is built.
import { randomBytes, randomUUID } from 'node:crypto';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { singleKeyring } from '../../src/codec/keyring.js';
import { createRunService } from '../../src/runs/service.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import type { RecordedRequest } from '../../src/simulator/index.js';
import { spawnGuarded, type GuardedChild } from '../../src/temporal/guarded-child.js';
import { freePort } from '../../src/temporal/ports.js';
import { verifyState, verifyWrites, type TrackedRun } from '../../bench/all-complete-verdict.js';
import { siteInput, type SimState } from '../../bench/harness.js';
import { startCluster, type Cluster } from '../../scripts/cluster.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'ovhflow.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;

const { values: args } = parseArgs({
  options: {
    provisionings: { type: 'string', default: '40' },
    backups: { type: 'string', default: '20' },
    'task-ms': { type: 'string', default: '2500' },
    'deadline-seconds': { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
  },
});
const PROVISIONINGS = Number(args.provisionings);
const BACKUPS = Math.min(Number(args.backups), PROVISIONINGS);
const TASK_MS = Number(args['task-ms']);
const DEADLINE_S = Number(args['deadline-seconds']);
/** Provisionings start evenly over this long, so that every disruption below finds runs in flight. */
const START_OVER_S = 75;
/** Seconds after the first run started: what is disrupted, and how. */
const DISRUPTIONS: Array<{ at: number; what: 'history' | 'frontend' | 'postgresql' }> = [
  { at: 15, what: 'history' },
  { at: 40, what: 'frontend' },
  { at: 65, what: 'postgresql' },
];
const DOWN_MS = 2000;
const domainOf = (index: number) => `cluster-${index}.example.org`;

interface SimHandle {
  process: GuardedChild;
  url: string;
  host: string;
  port: number;
  caFile: string;
  credentials: { applicationKey: string; applicationSecret: string; consumerKey: string };
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): void;
}

async function startSim(dataDir: string): Promise<SimHandle> {
  const child = spawnGuarded(process.execPath, [bin, 'sim', '--port', '0', '--json', '--data-dir', dataDir, '--task-duration-ms', String(TASK_MS)], {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
  });
  const line = await child.waitForLine((l) => l.startsWith('{'), 60_000);
  const info = JSON.parse(line) as { url: string; port: number; caFile: string; credentials: SimHandle['credentials'] };
  const host = new URL(info.url).hostname;
  const agent = new https.Agent({ keepAlive: true, ca: readFileSync(info.caFile), maxSockets: 4 });
  const admin = <T>(method: string, path: string, body?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        { host, port: info.port, method, path: `/_sim${path}`, agent, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) resolve(JSON.parse(text) as T);
            else reject(new Error(`${method} /_sim${path}: ${res.statusCode} ${text}`));
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return { process: child, url: info.url, host, port: info.port, caFile: info.caFile, credentials: info.credentials, admin, close: () => agent.destroy() };
}

interface OvhflowWorker {
  name: string;
  process: GuardedChild;
  healthPort: number;
  exits: number;
}

async function startWorker(name: string, cluster: Cluster, sim: SimHandle, taskQueue: string, keyBase64: string): Promise<OvhflowWorker> {
  const healthPort = await freePort();
  const child = spawnGuarded(process.execPath, [bin, 'worker'], {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: cluster.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    OVH_ENDPOINT: sim.url,
    OVH_CA_FILE: sim.caFile,
    OVH_APPLICATION_KEY: sim.credentials.applicationKey,
    OVH_APPLICATION_SECRET: sim.credentials.applicationSecret,
    OVH_CONSUMER_KEY: sim.credentials.consumerKey,
    OVH_RATE_LIMIT_PER_SECOND: '50',
    OVHFLOW_ENCRYPTION_KEY: keyBase64,
    OVHFLOW_WORKER_HEALTH_PORT: String(healthPort),
    OVHFLOW_WORKER_HEALTH_HOST: '127.0.0.1',
    OVHFLOW_SHUTDOWN_GRACE_SECONDS: '5',
    LOG_LEVEL: 'warn',
  });
  const worker: OvhflowWorker = { name, process: child, healthPort, exits: 0 };
  child.child.once('exit', () => (worker.exits += 1));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return worker;
    if (worker.exits > 0) throw new Error(`${name} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${name} not ready after 60 s`);
    await sleep(250);
  }
}

/** The longest time without any OVH call, within [from, to] (epoch ms). */
function longestGap(times: number[], from: number, to: number): { seconds: number; startedAt: number } {
  const inside = times.filter((t) => t >= from && t <= to);
  let best = { seconds: 0, startedAt: from };
  let previous = from;
  for (const t of [...inside, to]) {
    if (t - previous > best.seconds * 1000) best = { seconds: (t - previous) / 1000, startedAt: previous };
    previous = t;
  }
  return best;
}

async function main(): Promise<number> {
  const wallStart = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'ovhflow-cluster-test-'));
  // PostgreSQL runs as the `postgres` user when this runs as root: it must own the data directory.
  if (process.getuid?.() === 0) {
    const passwd = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (passwd) chownSync(dataDir, Number(passwd.split(':')[2]), Number(passwd.split(':')[3]));
  }
  const log = (line: string) => console.log(`[cluster-test] ${round1((Date.now() - wallStart) / 1000)} s: ${line}`);
  const problems: string[] = [];
  const unexpected: string[] = [];
  let cluster: Cluster | undefined;
  let sim: SimHandle | undefined;
  const workers: OvhflowWorker[] = [];
  let connection: Connection | undefined;
  let expectingClusterExit = false;
  let finished = false;

  try {
    cluster = await startCluster({
      dataDir: join(dataDir, 'cluster'),
      port: 0,
      logLevel: 'warn',
      log,
      onUnexpectedExit: (component, code) => {
        if (!expectingClusterExit) unexpected.push(`${component} exited on its own (code ${code})`);
      },
    });
    log(
      `cluster up: Temporal ${cluster.temporal.version} (${cluster.temporal.source}) on PostgreSQL ${cluster.postgres.version}, ${cluster.address}; ` +
        `bring-up ${JSON.stringify(cluster.timings)}`,
    );
    sim = await startSim(join(dataDir, 'sim'));
    const key = randomBytes(32);
    const taskQueue = `cluster-test-${randomUUID().slice(0, 8)}`;
    workers.push(await startWorker('worker-1', cluster, sim, taskQueue, key.toString('base64')));
    workers.push(await startWorker('worker-2', cluster, sim, taskQueue, key.toString('base64')));
    for (const w of workers) w.process.child.once('exit', (code, signal) => !finished && problems.push(`${w.name} exited (code ${code}, signal ${signal})`));
    log(`simulator on ${sim.url}; two ovhflow workers ready (health ports ${workers.map((w) => w.healthPort).join(', ')})`);

    connection = await Connection.connect({ address: cluster.address });
    const client = new Client({ connection, namespace: cluster.namespace, dataConverter: encryptedDataConverter(singleKeyring(key)) });
    const runService = createRunService({
      client,
      taskQueue,
      settings: { poll: { initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 8 } },
    });

    const services: string[] = [];
    for (let i = 0; i < PROVISIONINGS; i++) {
      const name = `cluster-${String(i + 1).padStart(4, '0')}.example.net`;
      await sim.admin('POST', `/services/${name}`, { offer: 'PRO', primaryLogin: `clu${String(i + 1).padStart(4, '0')}` });
      services.push(name);
    }
    const baseline = await sim.admin<SimState>('GET', '/state');

    const runs: TrackedRun[] = [];
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const start = async (run: TrackedRun, begin: () => Promise<{ workflowId: string }>) => {
      // Starting may hit a disruption (frontend or PostgreSQL down): try again, the start is idempotent (same id).
      for (;;) {
        try {
          run.workflowId = (await begin()).workflowId;
          run.status = 'running';
          return;
        } catch {
          if (finished) return;
          await sleep(500);
        }
      }
    };
    const startBackup = (provision: TrackedRun) => {
      const database = (provision.result as ProvisionSiteResult | undefined)?.database?.name;
      if (!database) return void problems.push(`provisioning ${provision.index} returned no database`);
      const run: TrackedRun = { kind: 'backup', index: provision.index, serviceName: provision.serviceName, status: 'starting' };
      runs.push(run);
      void start(run, () => runService.start('backup', { serviceName: provision.serviceName, databaseName: database, sendEmail: false }, { requestId: `cluster-${provision.index}` }));
    };

    const kills = { history: 0, frontend: 0, postgresql: 0 };
    const disruptionTimes: Array<{ what: string; at: number; back: number }> = [];
    const disrupt = async () => {
      for (const d of DISRUPTIONS) {
        while (elapsed() < d.at) await sleep(100);
        const inFlight = runs.filter((r) => r.status === 'running').length;
        // A disruption that finds nothing in flight proves nothing.
        if (inFlight === 0) problems.push(`no run was in flight when ${d.what} was disrupted`);
        const at = Date.now();
        expectingClusterExit = true;
        if (d.what === 'postgresql') {
          log(`restarting PostgreSQL (fast shutdown), ${inFlight} runs in flight`);
          await cluster?.restartPostgres({ signal: 'SIGINT', downMs: DOWN_MS });
        } else {
          log(`SIGKILL of the ${d.what} service, ${inFlight} runs in flight`);
          await cluster?.restartService(d.what, { signal: 'SIGKILL', downMs: DOWN_MS });
        }
        expectingClusterExit = false;
        kills[d.what] += 1;
        disruptionTimes.push({ what: d.what, at, back: Date.now() });
        log(`${d.what} back after ${round1((Date.now() - at) / 1000)} s`);
      }
    };
    const follow = async () => {
      while (!finished) {
        await sleep(1000);
        for (const run of runs.filter((r) => r.status === 'running')) {
          try {
            const handle = client.workflow.getHandle(run.workflowId as string);
            const { status } = await handle.describe();
            if (status.name === 'COMPLETED') {
              run.result = await handle.result();
              run.status = 'completed';
              if (run.kind === 'provision' && run.index < BACKUPS) startBackup(run);
            } else if (status.name !== 'RUNNING') {
              run.status = 'failed';
              run.failure = status.name;
            } else {
              const view = await runService.describeRun(run.workflowId as string);
              if (view.status === 'needs-attention') {
                run.status = 'failed';
                run.failure = `needs-attention at ${view.progress?.attention?.step}: ${view.progress?.attention?.message}`;
              }
            }
          } catch {
            // the frontend or PostgreSQL is down: next round
          }
        }
      }
    };

    const loops = [disrupt(), follow()];
    for (const [index, serviceName] of services.entries()) {
      const run: TrackedRun = { kind: 'provision', index, serviceName, status: 'starting' };
      runs.push(run);
      void start(run, () => runService.start('provision', siteInput(serviceName, domainOf(index))));
      await sleep((START_OVER_S * 1000) / PROVISIONINGS);
    }
    const total = PROVISIONINGS + BACKUPS;
    let lastReport = 0;
    while (elapsed() < DEADLINE_S) {
      const closed = runs.filter((r) => r.status === 'completed' || r.status === 'failed').length;
      if (closed === total && disruptionTimes.length === DISRUPTIONS.length) break;
      if (elapsed() - lastReport >= 15) {
        lastReport = elapsed();
        log(`${closed}/${total} runs closed`);
      }
      await sleep(500);
    }
    finished = true;
    await Promise.all(loops);
    const seconds = elapsed();

    // --- the verdict
    const completed = runs.filter((r) => r.status === 'completed');
    const failed = runs.filter((r) => r.status === 'failed');
    const unfinished = total - completed.length - failed.length;
    for (const run of failed) problems.push(`${run.kind} ${run.index} (${run.workflowId}) ended ${run.failure}`);
    if (unfinished > 0) problems.push(`${unfinished} runs not finished after ${DEADLINE_S} s`);
    problems.push(...unexpected);
    const state = await sim.admin<SimState>('GET', '/state');
    const requests = await sim.admin<RecordedRequest[]>('GET', '/requests');
    const stateFigures = verifyState(state, baseline, runs, problems, domainOf);
    const writeFigures = verifyWrites(requests, state, new Set(services), problems);

    // --- stalls: the longest stretch without a single OVH call, after each disruption and in calm times.
    const times = requests
      .filter((r) => r.path.startsWith('/hosting/web/cluster-'))
      .map((r) => Date.parse(r.at))
      .sort((a, b) => a - b);
    const firstCall = times[0] ?? started;
    const lastCall = times[times.length - 1] ?? started;
    const stalls = disruptionTimes.map((d) => ({ what: d.what, downSeconds: round1((d.back - d.at) / 1000), ...longestGap(times, d.at, d.back + 30_000) }));
    // Calm: from the first call to the first disruption, the same 30 s window lengths elsewhere are not comparable.
    const calm = longestGap(times, firstCall, (disruptionTimes[0]?.at ?? lastCall) - 1);

    const figures = {
      ok: problems.length === 0,
      temporalServer: cluster.temporal.version,
      go: cluster.temporal.go,
      postgresql: cluster.postgres.version,
      bringUp: cluster.timings,
      seconds: round1(seconds),
      runs: { provisionings: PROVISIONINGS, backups: BACKUPS, completed: completed.length, failed: failed.length, unfinished },
      kills,
      stalls: stalls.map((s) => ({ what: s.what, downSeconds: s.downSeconds, longestGapSeconds: round1(s.seconds) })),
      calmLongestGapSeconds: round1(calm.seconds),
      ovh: { calls: requests.length, ...writeFigures },
      state: stateFigures,
      workers: workers.map((w) => ({ name: w.name, exits: w.exits })),
    };
    console.log('');
    console.log(
      `cluster kill test: ${figures.ok ? 'PASSED' : 'FAILED'} in ${figures.seconds} s — Temporal ${figures.temporalServer} (${figures.go}) on PostgreSQL ${figures.postgresql}`,
    );
    console.log(`  runs: ${completed.length}/${total} completed (${PROVISIONINGS} provisionings, ${BACKUPS} backups), ${failed.length} failed, ${unfinished} unfinished`);
    console.log(`  kills: history SIGKILL ×${kills.history}, frontend SIGKILL ×${kills.frontend}, PostgreSQL restart ×${kills.postgresql} (each down ${DOWN_MS / 1000} s + start)`);
    for (const s of figures.stalls) console.log(`  stall after ${s.what}: back in ${s.downSeconds} s; longest stretch without an OVH call ${s.longestGapSeconds} s`);
    console.log(`  calm (before the first disruption): longest stretch without an OVH call ${figures.calmLongestGapSeconds} s`);
    console.log(
      `  OVH: ${figures.ovh.calls} calls, ${figures.ovh.appliedWrites} writes applied, ${figures.ovh.conflicts409} conflicts; simulator holds ${stateFigures.attachedDomains} domains, ` +
        `${stateFigures.databases} databases, ${stateFigures.modules} modules, ${stateFigures.certificates} certificates, ${stateFigures.dumps} dumps, ${stateFigures.runningTasks} tasks running`,
    );
    for (const problem of problems.slice(0, 40)) console.log(`  PROBLEM: ${problem}`);
    console.log(JSON.stringify(figures));
    console.log(`cluster: ${figures.ok ? 1 : 0} passed, ${figures.ok ? 0 : 1} failed`);
    return figures.ok ? 0 : 1;
  } finally {
    await connection?.close().catch(() => undefined);
    await Promise.all(workers.map((w) => w.process.stop()));
    await sim?.process.stop();
    sim?.close();
    expectingClusterExit = true;
    await cluster?.stop();
    if (args.keep) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`cluster kill test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log('cluster: 0 passed, 1 failed');
    process.exit(1);
  },
);
