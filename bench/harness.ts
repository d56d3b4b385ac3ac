// What every ovhflow benchmark (and the chaos suite) stands on: its own headless Temporal dev server, its own OVH
// simulator on a free loopback port, a client and run service, workflow bundles built once, many hosting services
// created through the simulator's admin API (so offer quotas never bind), and workers — in this process, or in child
// processes exactly as `ovhflow worker` runs them (configuration from the environment), so they can be measured,
// killed and restarted. Nothing listens on a fixed port; everything is stopped by `close()`.
import { runInputParsers } from '../src/runs/run-kinds.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../src/activities/index.js';
import { installTemporalRuntimeLogger } from '../src/logging/temporal-runtime.js';
import { createPasswordDeriver } from '../src/secrets/derived-passwords.js';
import { encryptedDataConverter, failureConverterPath } from '../src/codec/encryption-codec.js';
import { singleKeyring, type Keyring } from '../src/codec/keyring.js';
import { createLogger, type Logger } from '../src/logging/logger.js';
import { OvhClient } from '../src/ovh/client.js';
import { createRunService, type RunService } from '../src/runs/service.js';
import type { RunSettings } from '../src/shared/hosting-tasks.js';
import { parseProvisionSiteInput, type ProvisionSiteInput } from '../src/shared/inputs/index.js';
import type { RecordedRequest, RunningSimulator, SimulatorOptions } from '../src/simulator/index.js';
import { startDevServer, type DevServer } from '../src/temporal/dev-server.js';
import { startCluster, TEMPORAL_SERVICES, type Cluster } from '../scripts/cluster.js';
import { workflowsSourcePath } from '../src/worker.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const noop = () => undefined;
const quietBundler = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };

/** The bench's own workflows entry: every product workflow plus the do-nothing baseline. */
export const BENCH_WORKFLOWS = fileURLToPath(new URL('./workflows.ts', import.meta.url));

export interface BenchStackOptions {
  name: string;
  sim?: SimulatorOptions;
  /** Keep Temporal's data in this SQLite file (so the server can be restarted); in memory when omitted. */
  temporalDbFile?: boolean;
  /** Settings every run is started with (the poll schedule, the step deadline). */
  settings?: RunSettings;
  /**
   * Run against a real Temporal cluster (scripts/cluster.ts: frontend, history, matching and worker as separate
   * processes on PostgreSQL, on a throw-away data directory) instead of the dev server.
   */
  cluster?: boolean;
}

export interface SimState {
  services: Record<
    string,
    {
      service: Record<string, unknown>;
      attachedDomains: Array<Record<string, unknown>>;
      databases: Array<Record<string, unknown>>;
      dumps: Array<Record<string, unknown>>;
      modules: Array<Record<string, unknown>>;
      users: Array<Record<string, unknown>>;
      ssl: (Record<string, unknown> & { domains: string[] }) | null;
      /** OVH's 2026 per-domain certificates, by attached domain. */
      domainSsl?: Record<string, Record<string, unknown> & { status: string }>;
      tasks: Array<Record<string, unknown>>;
    }
  >;
}

/**
 * The certificate a domain is served with: its own (OVH's per-domain certificates), or the hosting-wide one when that
 * covers it (hostings without multipleSSL). `undefined`: none.
 */
export function certificateOfDomain(state: SimState['services'][string] | undefined, domain: string): { status: string; scope: 'domain' | 'hosting' } | undefined {
  const own = state?.domainSsl?.[domain];
  if (own) return { status: own.status, scope: 'domain' };
  if (state?.ssl?.domains.includes(domain)) return { status: String(state.ssl.status), scope: 'hosting' };
  return undefined;
}

/** The simulator, running in its own process (bench/sim-process.ts) so it never shares a core with what it serves. */
export type SimProcess = Pick<RunningSimulator, 'url' | 'host' | 'port' | 'caFile' | 'caPem' | 'credentials' | 'services'> & { pid: number; stop(): Promise<void> };

export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/sim-process.ts'), JSON.stringify(options)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' },
  });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Omit<SimProcess, 'pid' | 'stop'>>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  return {
    ...ready,
    pid: child.pid ?? -1,
    async stop() {
      child.stdin.end();
      await gone;
    },
  };
}

export interface BenchStack {
  workDir: string;
  /** The dev server, or — with `cluster` — a stand-in whose address, namespace and stop() are the cluster's. */
  server: DevServer;
  cluster?: Cluster;
  sim: SimProcess;
  keyring: Keyring;
  /** The same key as OVHFLOW_ENCRYPTION_KEY, for worker processes. */
  keyBase64: string;
  logger: Logger;
  client: Client;
  runs: RunService;
  taskQueue: string;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  state(): Promise<SimState>;
  requests(): Promise<RecordedRequest[]>;
  /** Creates `count` active hosting services of `offer` (`bench-0001.example.net`, ...) and answers their names. */
  createServices(count: number, offer?: string, prefix?: string): Promise<string[]>;
  /** An OvhClient on the simulator (rate limit off unless given). */
  ovhClient(rateLimitPerSecond?: number): OvhClient;
  /** Restarts the Temporal dev server on the same port and SQLite file (needs `temporalDbFile`); the client stays. */
  restartTemporal(): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const workDir = mkdtempSync(join(tmpdir(), `ovhflow-${options.name}-`));
  const logger = createLogger('warn');
  const dbFile = options.temporalDbFile ? join(workDir, 'temporal.sqlite') : undefined;
  const logFile = join(workDir, 'temporal.log');
  let cluster: Cluster | undefined;
  let server: DevServer;
  if (options.cluster) {
    if (dbFile) throw new Error('temporalDbFile is for the dev server; the cluster keeps its data in PostgreSQL');
    // PostgreSQL runs as the `postgres` user when this runs as root: it must own the cluster's directory.
    const clusterDir = join(workDir, 'cluster');
    mkdirSync(clusterDir);
    const postgresUser = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))
      ?.split(':');
    if (process.getuid?.() === 0 && postgresUser) {
      chmodSync(workDir, 0o755);
      chownSync(clusterDir, Number(postgresUser[2]), Number(postgresUser[3]));
    }
    cluster = await startCluster({ dataDir: clusterDir, port: 0, logLevel: 'warn', log: noop });
    const running = cluster;
    server = {
      address: running.address,
      namespace: running.namespace,
      uiUrl: null,
      cli: { path: running.temporal.server, source: 'cluster', version: `server ${running.temporal.version} (cluster on PostgreSQL ${running.postgres.version})` },
      pid: -1,
      stop: () => running.stop(),
    };
  } else {
    server = await startDevServer({ uiPort: null, logFile, ...(dbFile ? { dbFile } : {}) });
  }
  const sim = await startSimProcess({ dataDir: join(workDir, 'sim'), ...options.sim });
  const key = randomBytes(32);
  const keyring = singleKeyring(key);
  const dataConverter = encryptedDataConverter(keyring);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace, dataConverter });
  const taskQueue = `${options.name}-${randomUUID().slice(0, 8)}`;

  const agent = new https.Agent({ keepAlive: true, ca: sim.caPem, maxSockets: 8 });

  const admin = <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        {
          host: sim.host,
          port: sim.port,
          method,
          path: `/_sim${path}`,
          agent,
          headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
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
  };

  const stack: BenchStack = {
    workDir,
    server,
    ...(cluster ? { cluster } : {}),
    sim,
    keyring,
    keyBase64: key.toString('base64'),
    logger,
    client,
    runs: createRunService({ client, taskQueue, settings: options.settings ?? {} }),
    taskQueue,
    admin,
    state: () => admin<SimState>('GET', '/state'),
    requests: () => admin<RecordedRequest[]>('GET', '/requests'),
    async createServices(count, offer = 'PERFORMANCE_1', prefix = 'bench') {
      const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}.example.net`);
      for (const [i, serviceName] of names.entries()) {
        // Primary logins must be unique: database users start with them.
        await admin('POST', `/services/${serviceName}`, { offer, primaryLogin: `${prefix.replace(/[^a-z]/g, '').slice(0, 6) || 'b'}${String(i + 1).padStart(4, '0')}` });
      }
      return names;
    },
    ovhClient: (rateLimitPerSecond = 0) =>
      new OvhClient({ endpoint: sim.url, ...sim.credentials, caFile: sim.caFile, timeoutMs: 10_000, rateLimitPerSecond, logger }),
    async restartTemporal() {
      if (cluster) throw new Error('restartTemporal is for the dev server; use stack.cluster to restart a cluster service');
      if (!dbFile) throw new Error('restartTemporal needs temporalDbFile');
      const port = Number(server.address.split(':').pop());
      await server.stop();
      // Same port and file; the client's connection (like the workers') reconnects by itself. Closing it here would
      // crash this process: the SDK's gRPC retry throws from a timer when it retries a call on a closed channel.
      server = await startDevServer({ uiPort: null, logFile, dbFile, port });
      stack.server = server;
    },
    async close() {
      await stack.client.connection.close().catch(noop);
      await sim.stop();
      await stack.server.stop();
      agent.destroy();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Bundles a workflows entry once (the product's, or the bench's with the baseline) into `dir`. */
export async function bundleWorkflows(dir: string, workflowsPath = workflowsSourcePath(), options: { preloadModules?: string[]; workflowInterceptorModules?: string[] } = {}): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath: failureConverterPath(), logger: quietBundler, ...options });
  const path = join(dir, `workflow-bundle-${randomUUID().slice(0, 8)}.js`);
  writeFileSync(path, code);
  return path;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves once the worker polls its task queue. */
  ready: Promise<void>;
  /** Resident memory now, in bytes (/proc/<pid>/status VmRSS). */
  rssBytes: () => number;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), and wait. */
  stop(): Promise<void>;
}

/**
 * A worker in its own process, started as `ovhflow worker` is (from source, through tsx), with the given bundle and
 * the simulator as its OVH API. The client-side OVH rate limit is off unless given (the simulator has its own).
 */
export function startWorkerProcess(
  stack: BenchStack,
  options: {
    bundlePath: string;
    env?: Record<string, string>;
    /** Extra node flags, e.g. `--cpu-prof`. */
    nodeArgs?: string[];
    rateLimitPerSecond?: number;
    onExit?: (code: number | null, signal: string | null) => void;
  },
): WorkerProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', join(root, 'bench/worker-process.ts')], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: stack.server.address,
      TEMPORAL_NAMESPACE: stack.server.namespace,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      OVH_ENDPOINT: stack.sim.url,
      OVH_CA_FILE: stack.sim.caFile,
      OVH_APPLICATION_KEY: stack.sim.credentials.applicationKey,
      OVH_APPLICATION_SECRET: stack.sim.credentials.applicationSecret,
      OVH_CONSUMER_KEY: stack.sim.credentials.consumerKey,
      OVH_RATE_LIMIT_PER_SECOND: String(options.rateLimitPerSecond ?? 0),
      OVHFLOW_ENCRYPTION_KEY: stack.keyBase64,
      OVHFLOW_WORKFLOW_BUNDLE: options.bundlePath,
      OVHFLOW_SHUTDOWN_GRACE_SECONDS: '5',
      LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  let seen = '';
  let tail = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-4000);
      if (seen !== 'ready') {
        seen += text;
        if (seen.includes('"worker ready"')) {
          seen = 'ready';
          resolve();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (seen !== 'ready') reject(new Error(`worker process exited before it was ready (code ${code}, signal ${signal}):\n${tail}`));
      options.onExit?.(code, signal);
    });
  });
  ready.catch(noop);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid ?? -1,
    ready,
    rssBytes: () => rssOf(child.pid ?? -1),
    async kill() {
      if (!ended()) child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      if (!ended()) child.kill('SIGTERM');
      await gone;
    },
  };
}

/** VmRSS of a process, in bytes. */
export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** A valid provisionSite input: the domain, a MySQL database, WordPress, Let's Encrypt. */
export function siteInput(serviceName: string, domain: string): ProvisionSiteInput {
  const parsed = parseProvisionSiteInput({ serviceName, domain, database: {}, module: { name: 'wordpress' } });
  if (!parsed.ok) throw new Error(`bench input invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index] as T, index);
      }
    }),
  );
  return results;
}

export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
}

/** The temporal CLI version the dev server runs. */
export function temporalVersion(stack: BenchStack): string {
  return stack.server.cli.version;
}

export const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A worker in this process, built as `createWorker` builds it (same data converter, activities and defaults), plus
 * the bench's extra activities (the baseline's `noop`) when given.
 */
export async function startInProcessWorker(
  stack: BenchStack,
  options: { bundlePath: string; extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>; tuning?: Partial<WorkerOptions>; taskQueue?: string },
): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  installTemporalRuntimeLogger(stack.logger);
  const connection = await NativeConnection.connect({ address: stack.server.address });
  const identity = `bench-worker@${process.pid}-${randomUUID().slice(0, 4)}`;
  const worker = await Worker.create({
    connection,
    namespace: stack.server.namespace,
    taskQueue: options.taskQueue ?? stack.taskQueue,
    identity,
    dataConverter: encryptedDataConverter(stack.keyring),
    activities: {
      ...createActivities({ workerIdentity: identity, ovh: stack.ovhClient(), passwords: createPasswordDeriver(stack.keyring), inputParsers: runInputParsers() }),
      ...options.extraActivities,
    },
    workflowBundle: { codePath: options.bundlePath },
    ...options.tuning,
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** How many activities and local activities a closed run executed, from its history. */
export async function historyShape(stack: BenchStack, workflowId: string): Promise<{ events: number; activities: number; localActivities: number; activityAttempts: number }> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  let activities = 0;
  let localActivities = 0;
  let activityAttempts = 0;
  for (const event of events) {
    if (event.activityTaskScheduledEventAttributes) activities += 1;
    if (event.activityTaskStartedEventAttributes) activityAttempts += event.activityTaskStartedEventAttributes.attempt ?? 1;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities += 1;
  }
  return { events: events.length, activities, localActivities, activityAttempts };
}

/** CPU seconds (user + system) a process and its descendants have used so far (/proc/<pid>/stat, children reaped or not). */
export function cpuSecondsOf(pid: number): number {
  const ticksPerSecond = 100;
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command name).
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      // gone
    }
  }
  return total;
}

function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parentOf) {
      if (parent !== current) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** CPU used by each part of the stack between two calls: `const cpu = cpuMeter(stack); ...; cpu()`. */
export function cpuMeter(stack: BenchStack, extra: Record<string, number> = {}): () => Record<string, number> {
  // On a cluster, each Temporal service and PostgreSQL (its guard and everything below it: the postmaster's backends).
  const temporalPids = (): Record<string, number> =>
    stack.cluster
      ? Object.fromEntries([...TEMPORAL_SERVICES, 'postgresql' as const].map((name) => [name, (stack.cluster as Cluster).components[name].guardPid]))
      : { temporal: stack.server.pid };
  const pids = () => ({ ...temporalPids(), simulator: stack.sim.pid, bench: process.pid, ...extra });
  const before = Object.fromEntries(Object.entries(pids()).map(([name, pid]) => [name, name === 'bench' ? process.cpuUsage() : cpuSecondsOf(pid)]));
  return () =>
    Object.fromEntries(
      Object.entries(pids()).map(([name, pid]) => {
        if (name === 'bench') {
          const used = process.cpuUsage(before[name] as NodeJS.CpuUsage);
          return [name, round((used.user + used.system) / 1e6)];
        }
        return [name, round(cpuSecondsOf(pid) - (before[name] as number))];
      }),
    );
}
