// Starts the Temporal dev server (from the project-installed Temporal CLI) under a process guard, registers
// ovhflow's search attributes, and waits until it answers. Used by `ovhflow dev` and by the test suite.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli, type TemporalCli } from './temporal-cli.mjs';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes.js';
import { freePort } from './ports.js';

export interface DevServerOptions {
  ip?: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port, or `null` for a headless server. */
  uiPort?: number | null;
  /** SQLite file to keep data across restarts; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own output goes; discarded when omitted. */
  logFile?: string;
  /** UI codec endpoint, so the Temporal UI can decode encrypted payloads. */
  uiCodecEndpoint?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  cli: TemporalCli;
  pid: number;
  stop(): Promise<void>;
}

const guardScript = fileURLToPath(new URL('./process-guard.mjs', import.meta.url));

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? (() => undefined);
  const cli = await ensureTemporalCli({ log });
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort(ip));
  const namespace = options.namespace ?? 'default';
  const uiPort = options.uiPort === undefined ? await freePort(ip) : options.uiPort;
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--http-port',
    String(await freePort(ip)),
    '--metrics-port',
    String(await freePort(ip)),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    '--log-format',
    'json',
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
  if (uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }

  let out: number | 'ignore' = 'ignore';
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    out = openSync(options.logFile, 'a');
  }
  const child = spawn(process.execPath, [guardScript, cli.path, ...args], { stdio: ['pipe', out, out] });
  if (typeof out === 'number') closeSync(out);
  const address = `${ip}:${port}`;
  log(`temporal dev server starting on ${address} (${cli.source}, temporal ${cli.version}, pid ${child.pid})`);

  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`temporal dev server exited during start (code ${code}, signal ${signal})${options.logFile ? `; see ${options.logFile}` : ''}`)),
    );
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitUntilReady(address, namespace, options.startTimeoutMs ?? 60_000), exited]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    address,
    namespace,
    uiUrl: uiPort === null ? null : `http://${['0.0.0.0', '127.0.0.1'].includes(ip) ? 'localhost' : ip}:${uiPort}`,
    cli,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wanted = SEARCH_ATTRIBUTES.map((key) => key.name);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = wanted.filter((name) => !(customAttributes && name in customAttributes));
        if (missing.length === 0) return;
        lastError = new Error(`search attributes not registered yet: ${missing.join(', ')}`);
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`temporal dev server on ${address} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // Closing the guard's stdin is the one stop signal it always understands.
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}
