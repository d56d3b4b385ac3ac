// A real Temporal cluster on this machine: PostgreSQL, then Temporal's four services — frontend, history, matching,
// worker — each in its own process, configured as the compose file's `temporal` container is
// (deploy/temporal/cluster/temporal.yaml), with the schema set up and ovhflow's namespace and search attributes
// registered by the same scripts the compose file's one-shot containers run (deploy/temporal/*.sh).
//
//   npm run cluster [-- --port 7233] [--data-dir .data/cluster] [--namespace default] [--fresh]
//
// What is missing is installed first: the Temporal server and its schema tool, built from the Go module proxy into
// .tools/ (and kept in a cache outside the project, so another clone does not build again), and PostgreSQL from the
// distribution (apt-get). Every process runs under src/temporal/process-guard.mjs: Ctrl-C, a crash or a SIGKILL of this
// script stops them all. test/cluster/kill-test.ts and bench/scale-out.ts --cluster start the same cluster in code
// (`startCluster`) on a throw-away data directory.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes.js';
import { freePort } from '../src/temporal/ports.js';
import { ensureTemporalCli } from '../src/temporal/temporal-cli.mjs';

/** The Temporal server release this cluster runs; docker-compose.yml pins the same (TEMPORAL_VERSION). */
export const TEMPORAL_SERVER_VERSION = '1.30.9';
/** The Go toolchain the server is built with (fetched through the module proxy by `go` itself when older). */
export const GO_TOOLCHAIN = 'go1.27.3';
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];
export type ClusterComponent = TemporalService | 'postgresql';

const sourceRoot = fileURLToPath(new URL('../', import.meta.url));
// Compiled copies live in dist/scripts; deploy/ and the guard always belong to the project root.
const root = existsSync(join(sourceRoot, 'package.json')) ? sourceRoot : resolve(sourceRoot, '..');
const guardScript = join(root, 'src', 'temporal', 'process-guard.mjs');
const configFile = join(root, 'deploy', 'temporal', 'cluster', 'temporal.yaml');
const dynamicConfigFile = join(root, 'deploy', 'temporal', 'dynamicconfig', 'production-sql.yaml');
const setupPostgresScript = join(root, 'deploy', 'temporal', 'setup-postgres.sh');
const setupNamespaceScript = join(root, 'deploy', 'temporal', 'setup-namespace.sh');
const POSTGRES_USER = 'temporal';

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

// ---------------------------------------------------------------------------------------------------------------
// Installing: the Temporal server and schema tool (Go module proxy), PostgreSQL (the distribution).

export interface TemporalServerInstall {
  dir: string;
  server: string;
  sqlTool: string;
  schemaRoot: string;
  version: string;
  go: string;
  /** Where it came from this time: already in .tools, copied from the cache, or built now. */
  source: 'tools' | 'cache' | 'built';
  /** Wall time of the `go install`, when it was built now. */
  buildSeconds?: number;
}

interface InstallRecord {
  version: string;
  go: string;
  builtAt: string;
  buildSeconds: number;
}

function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'ovhflow');
}

function installName(): string {
  return `temporal-server-${TEMPORAL_SERVER_VERSION}-${GO_TOOLCHAIN}-${process.platform}-${process.arch}`;
}

function readInstall(dir: string, source: TemporalServerInstall['source']): TemporalServerInstall | undefined {
  try {
    const record = JSON.parse(readFileSync(join(dir, 'install.json'), 'utf8')) as InstallRecord;
    const install = {
      dir,
      server: join(dir, 'bin', 'temporal-server'),
      sqlTool: join(dir, 'bin', 'temporal-sql-tool'),
      schemaRoot: join(dir, 'schema', 'postgresql', 'v12'),
      version: record.version,
      go: record.go,
      source,
    };
    if (record.version !== TEMPORAL_SERVER_VERSION) return undefined;
    for (const path of [install.server, install.sqlTool, join(install.schemaRoot, 'temporal', 'versioned')]) if (!existsSync(path)) return undefined;
    return install;
  } catch {
    return undefined;
  }
}

/**
 * The Temporal server and `temporal-sql-tool` of TEMPORAL_SERVER_VERSION, with that release's PostgreSQL schema
 * files: from .tools/ when there, else from the cache (~/.cache/ovhflow or $XDG_CACHE_HOME/ovhflow), else built with
 * `go install` from the Go module proxy into the cache (about 4 minutes on two cores with nothing cached).
 */
export function ensureTemporalServer(log: Log = defaultLog): TemporalServerInstall {
  const toolsDir = join(process.env.OVHFLOW_TOOLS_DIR ? resolve(process.env.OVHFLOW_TOOLS_DIR) : join(root, '.tools'), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const inTools = readInstall(toolsDir, 'tools');
  if (inTools) return inTools;

  const cacheDir = join(cacheRoot(), installName());
  let cached = readInstall(cacheDir, 'cache');
  let buildSeconds: number | undefined;
  if (!cached) {
    buildSeconds = buildTemporalServer(cacheDir, log);
    cached = readInstall(cacheDir, 'cache');
    if (!cached) throw new Error(`the Temporal server build in ${cacheDir} is incomplete`);
  } else {
    log(`temporal server ${TEMPORAL_SERVER_VERSION}: found in the cache ${cacheDir}`);
  }
  rmSync(toolsDir, { recursive: true, force: true });
  mkdirSync(dirname(toolsDir), { recursive: true });
  cpSync(cacheDir, `${toolsDir}.partial`, { recursive: true });
  rmSync(toolsDir, { recursive: true, force: true });
  renameSync(`${toolsDir}.partial`, toolsDir);
  const install = readInstall(toolsDir, 'tools');
  if (!install) throw new Error(`copying ${cacheDir} to ${toolsDir} failed`);
  return { ...install, source: buildSeconds === undefined ? 'cache' : 'built', ...(buildSeconds === undefined ? {} : { buildSeconds }) };
}

function buildTemporalServer(cacheDir: string, log: Log): number {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error('building the Temporal server needs Go (any version from 1.21: it fetches ' + `${GO_TOOLCHAIN} itself); install it (e.g. apt-get install golang-go) and run again`);
  }
  const partial = `${cacheDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOFLAGS: '-mod=mod', GOBIN: join(partial, 'bin'), CGO_ENABLED: '0' };
  const packages = ['go.temporal.io/server/cmd/server', 'go.temporal.io/server/cmd/tools/sql'].map((p) => `${p}@v${TEMPORAL_SERVER_VERSION}`);
  log(`temporal server ${TEMPORAL_SERVER_VERSION}: building with ${GO_TOOLCHAIN} from the Go module proxy (a few minutes the first time)...`);
  const started = performance.now();
  const build = spawnSync('go', ['install', ...packages], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`go install ${packages.join(' ')} failed (exit ${build.status})`);
  }
  const buildSeconds = seconds(performance.now() - started);
  renameSync(join(partial, 'bin', 'server'), join(partial, 'bin', 'temporal-server'));
  renameSync(join(partial, 'bin', 'sql'), join(partial, 'bin', 'temporal-sql-tool'));
  // The schema files travel with the binaries: the module cache may be cleaned, the cache entry must stay whole.
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
  const schema = join(modCache, `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  cpSync(schema, join(partial, 'schema', 'postgresql', 'v12'), { recursive: true });
  chmodRecursive(join(partial, 'schema'));
  const goVersion = /\bgo\d+\.\d+(\.\d+)?/.exec(execFileSync('go', ['version', join(partial, 'bin', 'temporal-server')], { encoding: 'utf8' }))?.[0] ?? GO_TOOLCHAIN;
  const record: InstallRecord = { version: TEMPORAL_SERVER_VERSION, go: goVersion, builtAt: new Date().toISOString(), buildSeconds };
  writeFileSync(join(partial, 'install.json'), `${JSON.stringify(record, null, 2)}\n`);
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(dirname(cacheDir), { recursive: true });
  renameSync(partial, cacheDir);
  log(`temporal server ${TEMPORAL_SERVER_VERSION}: built in ${buildSeconds} s (${goVersion}), cached in ${cacheDir}`);
  return buildSeconds;
}

/** Files copied out of the Go module cache are read-only; make them ours so a cache entry can be replaced. */
function chmodRecursive(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) chmodRecursive(path);
  }
  chmodSync(dir, 0o755);
}

export interface PostgresInstall {
  binDir: string;
  version: string;
  /** Installed by this run (apt-get). */
  installed: boolean;
}

function findPostgres(): PostgresInstall | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'postgres')) && existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const major = majors[0];
  if (!major) return undefined;
  const binDir = join(base, major, 'bin');
  const version = /\d+(\.\d+)+/.exec(execFileSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }))?.[0] ?? major;
  return { binDir, version, installed: false };
}

/** PostgreSQL from the distribution: already there, or `apt-get install postgresql` (as root). */
export function ensurePostgres(log: Log = defaultLog): PostgresInstall {
  const found = findPostgres();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('PostgreSQL is not installed; install it (e.g. `sudo apt-get install -y postgresql`) and run again');
  }
  log('postgresql: not installed; installing it from the distribution (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
  let install = apt(['install', '-y', '-q', 'postgresql']);
  if (install.status !== 0) {
    const update = apt(['update', '-q']);
    if (update.status !== 0) throw new Error('apt-get update failed');
    install = apt(['install', '-y', '-q', 'postgresql']);
  }
  if (install.status !== 0) throw new Error('apt-get install postgresql failed');
  const now = findPostgres();
  if (!now) throw new Error('apt-get installed postgresql, but no /usr/lib/postgresql/<version>/bin/postgres was found');
  log(`postgresql: installed ${now.version}`);
  return { ...now, installed: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Running: one guarded process per component.

/** A program run under src/temporal/process-guard.mjs: it never outlives this process, however this process ends. */
export class GuardedProcess {
  private guard: ChildProcess | undefined;
  private gone: Promise<void> = Promise.resolve();
  private expectExit = false;
  /** Called when the process ends without being asked to (not stop(), not kill()). */
  onUnexpectedExit: ((code: number | null) => void) | undefined;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly command: () => { cmd: string; args: string[]; env: NodeJS.ProcessEnv },
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.guard !== undefined && this.guard.exitCode === null && this.guard.signalCode === null;
  }

  /** The guard's pid (the program itself is its child). */
  get guardPid(): number {
    return this.guard?.pid ?? -1;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const { cmd, args, env } = this.command();
    mkdirSync(dirname(this.logFile), { recursive: true });
    const out = openSync(this.logFile, 'a');
    const guard = spawn(process.execPath, [guardScript, cmd, ...args], { stdio: ['pipe', out, out], env });
    closeSync(out);
    this.guard = guard;
    this.expectExit = false;
    this.starts += 1;
    this.gone = new Promise((resolveGone) =>
      guard.once('exit', (code) => {
        if (!this.expectExit) this.onUnexpectedExit?.(code);
        resolveGone();
      }),
    );
  }

  /** The program's own pid: the guard's child. */
  programPid(): number | undefined {
    const guardPid = this.guard?.pid;
    if (!guardPid || !this.running) return undefined;
    try {
      const children = readFileSync(`/proc/${guardPid}/task/${guardPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      if (children[0]) return Number(children[0]);
    } catch {
      // no /proc children file: scan
    }
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === guardPid) return Number(entry);
      } catch {
        // gone
      }
    }
    return undefined;
  }

  /** Sends `signal` to the program itself (not the guard) and waits until it and its guard are gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.programPid();
    if (pid === undefined) return;
    this.expectExit = true;
    process.kill(pid, signal);
    await this.gone;
  }

  /** Asks the guard to stop the program (SIGTERM, SIGKILL after its grace time) and waits. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.expectExit = true;
    this.guard?.stdin?.end();
    await this.gone;
  }
}

export interface ClusterOptions {
  /** PostgreSQL data, logs, the generated password; kept across runs. */
  dataDir: string;
  /** The frontend's gRPC port (clients' TEMPORAL_ADDRESS); a free one when 0. */
  port?: number;
  namespace?: string;
  /** Temporal's log level (its logs go to <dataDir>/logs/<service>.log). */
  logLevel?: string;
  log?: Log;
  /** Called when a component dies without being asked to. */
  onUnexpectedExit?: (component: ClusterComponent, code: number | null) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  dataDir: string;
  temporal: TemporalServerInstall;
  postgres: PostgresInstall & { port: number };
  components: Record<ClusterComponent, GuardedProcess>;
  /** Seconds spent in each phase of the bring-up. */
  timings: Record<string, number>;
  /** SIGKILL (or `signal`) a Temporal service and start it again once it is gone. */
  restartService(service: TemporalService, options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  /** Restart PostgreSQL: a fast shutdown (SIGINT: sessions cut, clean checkpoint), or SIGKILL; then start it again. */
  restartPostgres(options?: { signal?: 'SIGINT' | 'SIGKILL'; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function postgresRunUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // initdb and postgres refuse to run as root: run them as the distribution's `postgres` user.
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  if (!passwd) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
  const [, , uid, gid] = passwd.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

/** `cmd args` as the PostgreSQL run user: setpriv replaces itself with the program, so the guard's child is postgres. */
function asPostgresUser(cmd: string, args: string[]): { cmd: string; args: string[] } {
  const user = postgresRunUser();
  if (!user) return { cmd, args };
  return { cmd: 'setpriv', args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', cmd, ...args] };
}

function ownForPostgres(path: string): void {
  const user = postgresRunUser();
  if (user) chownSync(path, user.uid, user.gid);
}

function waitForPort(port: number, timeoutMs: number, alive: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolveWait, reject) => {
    const attempt = () => {
      if (!alive()) return reject(new Error(`${what} exited during start`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolveWait();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${what} not listening on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function runScript(script: string, env: NodeJS.ProcessEnv, logFile: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      writeFileSync(logFile, output, { flag: 'a' });
      if (code === 0) resolveRun(output);
      else reject(new Error(`${script} failed (exit ${code}); see ${logFile}:\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
}

/**
 * Starts (and, the first time, creates) the cluster. The data directory keeps PostgreSQL's data, so a second start
 * finds every run of the first; the schema scripts leave an up-to-date database as it is.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? defaultLog;
  const namespace = options.namespace ?? 'default';
  const dataDir = resolve(options.dataDir);
  const logs = join(dataDir, 'logs');
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    timings[name] = seconds(now - mark);
    mark = now;
  };

  const temporal = ensureTemporalServer(log);
  const pg = ensurePostgres(log);
  phase('install');

  mkdirSync(logs, { recursive: true });
  ownForPostgres(dataDir);
  const user = postgresRunUser();
  if (user) {
    const reachable = spawnSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', 'test', '-w', dataDir]);
    if (reachable.status !== 0) {
      throw new Error(
        `PostgreSQL runs as the \`postgres\` user, which cannot reach ${dataDir} (a parent directory is closed to other users); ` +
          'give --data-dir a directory it can reach, e.g. under /tmp or /var/tmp',
      );
    }
  }

  // The password of Temporal's database role: generated once, kept beside the data (0600), never printed.
  const passwordFile = join(dataDir, 'postgres-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  ownForPostgres(passwordFile);
  const password = readFileSync(passwordFile, 'utf8').trim();

  const pgData = join(dataDir, 'postgresql');
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    rmSync(pgData, { recursive: true, force: true });
    mkdirSync(pgData, { mode: 0o700 });
    ownForPostgres(pgData);
    // As the compose file's postgres:16 container: the `temporal` role is the superuser, with a password, and
    // TCP connections must give it (scram-sha-256).
    const initdb = asPostgresUser(join(pg.binDir, 'initdb'), [
      '-D',
      pgData,
      '-U',
      POSTGRES_USER,
      `--pwfile=${passwordFile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=peer',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    const result = spawnSync(initdb.cmd, initdb.args, { encoding: 'utf8' });
    writeFileSync(join(logs, 'initdb.log'), `${result.stdout}${result.stderr}`);
    if (result.status !== 0) throw new Error(`initdb failed; see ${join(logs, 'initdb.log')}`);
    log(`postgresql: created ${pgData}`);
  }
  phase('initdb');

  let pgPort = 0;
  try {
    const last = (JSON.parse(readFileSync(join(dataDir, 'ports.json'), 'utf8')) as Record<string, number>).POSTGRES_PORT;
    if (last && (await isFree(last))) pgPort = last;
  } catch {
    // first start
  }
  if (!pgPort) pgPort = await lowFreePort(new Set());
  const postgres = new GuardedProcess(
    'postgresql',
    () => {
      const command = asPostgresUser(join(pg.binDir, 'postgres'), [
        '-D',
        pgData,
        '-p',
        String(pgPort),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        // Four Temporal processes, each with its own pools (20 + 10 connections at most): more than the default 100.
        '-c',
        'max_connections=200',
      ]);
      return { ...command, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } };
    },
    join(logs, 'postgresql.log'),
  );
  postgres.start();
  try {
    await waitForPort(pgPort, 60_000, () => postgres.running, 'postgresql');
    await waitForPostgres(pg.binDir, pgPort, () => postgres.running);
  } catch (error) {
    await postgres.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}; see ${join(logs, 'postgresql.log')}`);
  }
  phase('postgresql');

  // The compose file's one-shot `temporal-schema` container, on the host: the same script, this release's tool.
  const toolBin = join(dataDir, 'bin');
  mkdirSync(toolBin, { recursive: true });
  const cli = await ensureTemporalCli({ log: () => undefined });
  for (const [name, target] of [
    ['temporal-sql-tool', temporal.sqlTool],
    ['temporal', cli.path],
  ] as const) {
    rmSync(join(toolBin, name), { force: true });
    symlinkSync(target, join(toolBin, name));
  }
  const scriptPath = `${toolBin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  try {
    await runScript(
      setupPostgresScript,
      { PATH: scriptPath, HOME: dataDir, POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(pgPort), POSTGRES_USER, SQL_PASSWORD: password, TEMPORAL_SCHEMA_ROOT: temporal.schemaRoot },
      join(logs, 'setup-postgres.log'),
    );
  } catch (error) {
    await postgres.kill('SIGINT');
    throw error;
  }
  phase('schema');

  const frontendPort = options.port || (await freePort());
  const ports: Record<string, number> = { FRONTEND_GRPC_PORT: frontendPort };
  // The same ports as last time when they are free: the services find each other through the membership records
  // they left in the database, and a record naming a port nobody listens on any more holds a starting service up
  // (ringpop retries its bootstrap for ~45 s before it gives up on the dead hosts).
  const portsFile = join(dataDir, 'ports.json');
  let previous: Record<string, number> = {};
  try {
    previous = JSON.parse(readFileSync(portsFile, 'utf8')) as Record<string, number>;
  } catch {
    // first start
  }
  const taken = new Set([frontendPort, pgPort]);
  for (const name of ['FRONTEND_HTTP_PORT', 'FRONTEND_MEMBERSHIP_PORT', 'HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT', 'MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT']) {
    const before = previous[name];
    ports[name] = before !== undefined && !taken.has(before) && (await isFree(before)) ? before : await lowFreePort(taken);
    taken.add(ports[name]);
  }
  writeFileSync(portsFile, `${JSON.stringify({ ...ports, POSTGRES_PORT: pgPort }, null, 2)}\n`);
  const serverEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(pgPort),
    POSTGRES_USER,
    POSTGRES_PWD: password,
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  const services = Object.fromEntries(
    TEMPORAL_SERVICES.map((service) => [
      service,
      new GuardedProcess(service, () => ({ cmd: temporal.server, args: ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service], env: serverEnv }), join(logs, `${service}.log`)),
    ]),
  ) as Record<TemporalService, GuardedProcess>;
  const components: Record<ClusterComponent, GuardedProcess> = { postgresql: postgres, ...services };
  for (const [name, component] of Object.entries(components)) component.onUnexpectedExit = (code) => options.onUnexpectedExit?.(name as ClusterComponent, code);

  const stop = async () => {
    await Promise.all(TEMPORAL_SERVICES.map((s) => services[s].stop()));
    // A fast shutdown: a smart one (SIGTERM) would wait for every client session to end.
    await postgres.kill('SIGINT');
    await postgres.stop();
  };

  const address = `127.0.0.1:${frontendPort}`;
  try {
    // The frontend first: on a new database, the first service to start writes the cluster metadata, and services
    // starting together race to write it (all but one exit with "version mismatch"). Once it listens, the others.
    services.frontend.start();
    await waitForPort(frontendPort, 120_000, () => services.frontend.running, 'the Temporal frontend');
    for (const service of TEMPORAL_SERVICES) if (service !== 'frontend') services[service].start();
    // The worker service serves no gRPC: its membership port says it is up.
    const servicePorts: Record<Exclude<TemporalService, 'frontend'>, number> = {
      history: ports.HISTORY_GRPC_PORT as number,
      matching: ports.MATCHING_GRPC_PORT as number,
      worker: ports.WORKER_MEMBERSHIP_PORT as number,
    };
    await Promise.all(
      (Object.entries(servicePorts) as Array<[Exclude<TemporalService, 'frontend'>, number]>).map(([service, port]) =>
        waitForPort(port, 120_000, () => services[service].running, `the Temporal ${service} service`),
      ),
    );
    phase('temporal');

    // The compose file's one-shot `temporal-init` container: the same script, the project's Temporal CLI.
    const output = await runScript(
      setupNamespaceScript,
      { PATH: scriptPath, HOME: dataDir, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_NAMESPACE_RETENTION: process.env.TEMPORAL_NAMESPACE_RETENTION ?? '30d' },
      join(logs, 'setup-namespace.log'),
    );
    for (const line of output.split('\n').filter((l) => /namespace .* (created|exists)/.test(l))) log(`temporal: ${line.trim()}`);
    phase('namespace');
    await waitUntilSearchAttributesAccepted(address, namespace);
    phase('searchAttributes');
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    address,
    namespace,
    dataDir,
    temporal,
    postgres: { ...pg, port: pgPort },
    components,
    timings,
    async restartService(service, { signal = 'SIGKILL', downMs = 0 } = {}) {
      await services[service].kill(signal);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      services[service].start();
      if (service === 'frontend') await waitForPort(frontendPort, 60_000, () => services.frontend.running, 'the Temporal frontend');
    },
    async restartPostgres({ signal = 'SIGINT', downMs = 0 } = {}) {
      await postgres.kill(signal);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      postgres.start();
      await waitForPostgres(pg.binDir, pgPort, () => postgres.running);
    },
    stop,
  };
}

/**
 * A free port below 32768: Temporal stores membership ports in a PostgreSQL smallint (cluster_membership.rpc_port),
 * so the kernel's ephemeral ports (32768 and up) are refused there. The other internal ports use the same range.
 */
async function lowFreePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    if (await isFree(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function isFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

async function waitForPostgres(binDir: string, port: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive()) throw new Error('postgresql exited during start');
    // pg_isready: "accepting connections" (0), not "starting up" (1).
    if (spawnSync(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0) return;
    if (Date.now() > deadline) throw new Error(`postgresql on 127.0.0.1:${port} not accepting connections after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A search attribute just registered is known at once to the frontend that registered it, but each service keeps
 * its own cache (refreshed every 60 s). Start — and at once terminate — a workflow that sets every ovhflow search
 * attribute, until the frontend and the history service both accept it: from then on runs can be started.
 */
async function waitUntilSearchAttributesAccepted(address: string, namespace: string, timeoutMs = 120_000): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const deadline = Date.now() + timeoutMs;
    const attributes = new TypedSearchAttributes(SEARCH_ATTRIBUTES.map((key) => ({ key, value: 'cluster-probe' })));
    for (;;) {
      const workflowId = `ovhflow-cluster-probe-${randomUUID()}`;
      try {
        const handle = await client.workflow.start('ovhflowClusterProbe', { taskQueue: 'ovhflow-cluster-probe', workflowId, typedSearchAttributes: attributes });
        await handle.terminate('search attribute probe');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the search attributes are still refused after ${timeoutMs} ms: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connection.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// npm run cluster

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7233' },
      'data-dir': { type: 'string', default: join(root, '.data', 'cluster') },
      namespace: { type: 'string', default: 'default' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run cluster -- [--port 7233] [--data-dir .data/cluster] [--namespace default] [--fresh]\n' +
        '  a Temporal cluster (frontend, history, matching, worker as separate processes) on PostgreSQL; Ctrl-C stops it\n',
    );
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write(`--port: not a port: ${values.port}\n`);
    return 2;
  }
  const dataDir = resolve(values['data-dir']);
  if (await portInUse(port)) {
    process.stderr.write(`port ${port} is in use (a dev server from \`npm start\`, or a cluster already running?); pick another with --port\n`);
    return 2;
  }
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });

  const started = performance.now();
  let stopping = false;
  const running: { cluster?: Cluster } = {};
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('stopping the cluster...\n');
    await running.cluster?.stop();
    process.stderr.write('stopped.\n');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  const cluster = await startCluster({
    dataDir,
    port,
    namespace: values.namespace,
    onUnexpectedExit: (component, code) => {
      if (stopping) return;
      process.stderr.write(`${component} exited unexpectedly (code ${code}); see ${join(dataDir, 'logs', `${component}.log`)}\n`);
      void shutdown(1);
    },
  });
  running.cluster = cluster;
  const total = seconds(performance.now() - started);
  const facts = {
    address: cluster.address,
    namespace: cluster.namespace,
    temporalServer: cluster.temporal.version,
    go: cluster.temporal.go,
    postgresql: cluster.postgres.version,
    postgresqlPort: cluster.postgres.port,
    dataDir,
    pid: process.pid,
    timings: { ...cluster.timings, total },
  };
  writeFileSync(join(dataDir, 'cluster.json'), `${JSON.stringify(facts, null, 2)}\n`);
  const t = cluster.timings;
  const rel = (p: string) => (p.startsWith(root) ? p.slice(root.length) : p);
  process.stdout.write(
    [
      '',
      `Temporal ${cluster.temporal.version} cluster up in ${total} s: frontend, history, matching and worker as separate processes, on PostgreSQL ${cluster.postgres.version}`,
      `  (install ${t.install} s${cluster.temporal.source === 'built' ? `, built in ${cluster.temporal.buildSeconds} s` : ` from ${cluster.temporal.source}`}, ` +
        `initdb ${t.initdb} s, PostgreSQL ${t.postgresql} s, schema ${t.schema} s, services ${t.temporal} s, namespace ${t.namespace} s, search attributes ${t.searchAttributes} s)`,
      '',
      `  TEMPORAL_ADDRESS=${cluster.address}   namespace ${cluster.namespace}`,
      `  data and logs: ${rel(dataDir)}/ (PostgreSQL on 127.0.0.1:${cluster.postgres.port}; ${rel(join(dataDir, 'cluster.json'))} has these facts)`,
      '',
      `  a worker against it:  TEMPORAL_ADDRESS=${cluster.address} npm run worker`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await new Promise(() => undefined);
  return 0;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck(true);
    });
    socket.once('error', () => resolveCheck(false));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
