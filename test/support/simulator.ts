// A real OVH API simulator for a test file: HTTPS on a free port, its own CA in a temporary data directory, the
// demo credentials, and typed helpers over the admin API (state, requests, reset, faults, config, credentials,
// services). Nothing here is a mock: every helper goes over HTTPS like any client would.
//
//   const sim = await startTestSimulator();
//   const client = sim.ovhClient();                       // the official `ovh` package, pointed at the simulator
//   await client.requestPromised('GET', '/hosting/web');
//   expect((await sim.state()).services['demo-agency.ovh'].databases).toHaveLength(0);
//   await sim.stop();
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustCaForEndpoint } from '../../src/ovh/endpoint.js';
import {
  signRequest,
  startSimulator,
  type FaultRuleInput,
  type RecordedRequest,
  type RunningSimulator,
  type SimulatorConfig,
  type SimulatorCredentials,
  type SimulatorOptions,
} from '../../src/simulator/index.js';

const require = createRequire(import.meta.url);

/** A parsed JSON answer, as loosely typed as JSON.parse's own result: tests assert on its shape. */
export type Json = ReturnType<typeof JSON.parse>;

/** The official Node client (`ovh` on npm), typed for what tests use. */
export interface OfficialOvhClient {
  requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<Json>;
}
export const createOfficialOvhClient = require('ovh') as (params: Record<string, unknown>) => OfficialOvhClient;

/** What the official client rejects with. */
export interface OvhRejection {
  /** The HTTP status, or the network error (e.g. ECONNRESET). */
  error: number | string | NodeJS.ErrnoException;
  message: string | null | undefined;
}

export type SimState = {
  services: Record<string, ServiceState>;
  /** `domain.ZoneWithIAM` plus the owning account and the zone's records (`domain.zone.Record`). */
  zones: Record<string, Record<string, Json> & { account: string; records: Array<Record<string, Json>> }>;
  accounts: Array<{ name: string; rateLimit: { perSecond: number; burst: number } | null; services: string[]; zones: string[] }>;
};
export interface ServiceState {
  account: string;
  service: Record<string, Json>;
  runtimes: Array<Record<string, Json>>;
  ovhConfigs: Array<Record<string, Json>>;
  /** Git website links (2026), each with its deployments (log lines as text). */
  websites: Array<Record<string, Json> & { deployments: Array<Record<string, Json> & { logs: string[] }> }>;
  /** Folders holding files OVH did not deploy (FTP uploads, files a deleted link left). */
  filledFolders: string[];
  /** Scheduled tasks (`hosting.web.Cron`). */
  crons: Array<Record<string, Json>>;
  passwordChanges: Array<{ kind: 'database' | 'module' | 'user'; name: string; at: string }>;
  /** Whether each module's CMS still reaches its database (and its domain is still attached). */
  moduleHealth: Array<{ id: number; healthy: boolean; problems: string[] }>;
  attachedDomains: Array<Record<string, Json>>;
  databases: Array<Record<string, Json>>;
  dumps: Array<Record<string, Json>>;
  modules: Array<Record<string, Json>>;
  users: Array<Record<string, Json>>;
  ssl: (Record<string, Json> & { domains: string[] }) | null;
  /** Each attached domain's own certificate (2026), with what its last validation found. */
  domainSsl: Record<string, Record<string, Json> & { validation: 'pending' | 'passed' | 'dns' | 'caa' }>;
  tasks: Array<Record<string, Json>>;
  /** The hosting's environment variables (`hosting.web.EnvVar`), values included: OVH's side. */
  envVars: Array<{ key: string; type: 'integer' | 'password' | 'string'; value: string; status: string; taskId: number | null }>;
}

export interface MintedCredential {
  applicationKey: string;
  consumerKey: string;
  credentialId: number;
  rules: Array<{ method: string; path: string }>;
  status: string;
  expiration: string | null;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
  text: string;
}

export interface SignedCallOptions {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Sent as is, instead of JSON.stringify(body). */
  rawBody?: string;
  credentials?: Partial<SimulatorCredentials>;
  /** Seconds added to the simulator's clock for X-Ovh-Timestamp. */
  timeSkew?: number;
  /** Which URL form to sign: the host without port (Node client) or with it (Python client). Default without. */
  signWithPort?: boolean;
  /** Send no X-Ovh-Consumer / timestamp / signature, only the application key. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

export interface TestSimulator {
  url: string;
  host: string;
  port: number;
  caFile: string;
  caPem: string;
  credentials: SimulatorCredentials;
  services: string[];
  dataDir: string;
  /** The official Node client, signed with the demo keys unless others are given. */
  ovhClient(overrides?: Partial<SimulatorCredentials> & { apiTimeDiff?: number; timeout?: number }): OfficialOvhClient;
  /** A hand-signed call, for what the official client cannot send (unknown fields, bad JSON, odd headers). */
  call(method: string, path: string, options?: SignedCallOptions): Promise<RawAnswer>;
  /** Any request to the simulator, unsigned (`/_sim/...`, `/auth/...`, `/1.0/...`). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawAnswer>;
  state(): Promise<SimState>;
  requests(): Promise<RecordedRequest[]>;
  reset(seed?: number): Promise<void>;
  faults(rules: FaultRuleInput[]): Promise<Array<FaultRuleInput & { id: number; fired: number }>>;
  clearFaults(): Promise<void>;
  config(patch?: Partial<Omit<SimulatorConfig, 'taskDurationMs'>> & { taskDurationMs?: Record<string, number> }): Promise<SimulatorConfig>;
  mintCredential(accessRules: Array<{ method: string; path: string }>, options?: { applicationKey?: string; validitySeconds?: number; allowedIPs?: string[] }): Promise<MintedCredential>;
  createApplication(name?: string): Promise<{ applicationId: number; applicationKey: string; applicationSecret: string }>;
  setService(
    serviceName: string,
    patch: { state?: string; offer?: string; primaryLogin?: string; displayName?: string | null; account?: string; multipleSsl?: boolean; freeSslProvider?: 'LETSENCRYPT' | 'SECTIGO' },
  ): Promise<Record<string, Json>>;
  /** Any admin call (`/_sim<path>`); throws unless it answers 200. */
  admin(method: string, path: string, body?: unknown): Promise<Json>;
  /** Polls `GET /tasks/{id}` with the official client until the task is done or cancelled. */
  waitForTask(serviceName: string, taskId: number, options?: { timeoutMs?: number; client?: OfficialOvhClient }): Promise<Record<string, Json>>;
  stop(): Promise<void>;
}

/**
 * Makes this process's HTTPS calls to the simulator trust its CA, by every name its certificate has: the official
 * client only uses `https.globalAgent` (it takes no CA option), whose trust is per endpoint (src/ovh/endpoint.ts).
 */
export function trustSimulatorCa(caPem: string, host: string, port: number): void {
  for (const name of new Set([host, 'localhost', '127.0.0.1', '::1'])) trustCaForEndpoint(name, port, caPem);
}

export type TestSimulatorOptions = SimulatorOptions & {
  /** Replace https.globalAgent so the official client trusts this simulator (default true). */
  trustCa?: boolean;
};

export async function startTestSimulator(options: TestSimulatorOptions = {}): Promise<TestSimulator> {
  const { trustCa = true, ...simulatorOptions } = options;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ovhflow-sim-'));
  const running: RunningSimulator = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    seed: 1,
    taskDurationMs: { default: 60 },
    ...simulatorOptions,
    dataDir,
  });
  if (trustCa) trustSimulatorCa(running.caPem, running.host, running.port);
  const agent = new https.Agent({ keepAlive: true, ca: running.caPem });

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, rawBody?: string) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const req = https.request(
        {
          host: running.host,
          port: running.port,
          method,
          path,
          agent,
          headers: { ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }), ...headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              // not JSON (an HTML page, a dump)
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });

  const admin = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const answer = await request(method, `/_sim${path}`, body);
    if (answer.status !== 200) throw new Error(`${method} /_sim${path} answered ${answer.status}: ${answer.text}`);
    return answer.body;
  };

  // Like the official clients: ask the server's time once, then sign with the local clock plus that offset.
  let clockOffset: number | null = null;
  const serverTime = async () => {
    if (clockOffset === null) {
      const answer = await request('GET', '/1.0/auth/time');
      if (answer.status !== 200) throw new Error(`GET /1.0/auth/time answered ${answer.status}: ${answer.text}`);
      clockOffset = (answer.body as number) - Math.round(Date.now() / 1000);
    }
    return Math.round(Date.now() / 1000) + clockOffset;
  };

  const simulator: TestSimulator = {
    url: running.url,
    host: running.host,
    port: running.port,
    caFile: running.caFile,
    caPem: running.caPem,
    credentials: running.credentials,
    services: running.services,
    dataDir,
    ovhClient: (overrides = {}) =>
      createOfficialOvhClient({
        appKey: overrides.applicationKey ?? running.credentials.applicationKey,
        appSecret: overrides.applicationSecret ?? running.credentials.applicationSecret,
        consumerKey: overrides.consumerKey ?? running.credentials.consumerKey,
        host: running.host,
        port: running.port,
        ...(overrides.apiTimeDiff === undefined ? {} : { apiTimeDiff: overrides.apiTimeDiff }),
        ...(overrides.timeout === undefined ? {} : { timeout: overrides.timeout }),
      }),
    call: async (method, path, callOptions = {}) => {
      const keys = { ...running.credentials, ...callOptions.credentials };
      const query = callOptions.query ? `?${new URLSearchParams(Object.entries(callOptions.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
      const target = `/1.0${path}${query}`;
      const payload = callOptions.rawBody ?? (callOptions.body === undefined ? '' : JSON.stringify(callOptions.body));
      const headers: Record<string, string> = { 'X-Ovh-Application': keys.applicationKey };
      if (!callOptions.unsigned) {
        const timestamp = String((await serverTime()) + (callOptions.timeSkew ?? 0));
        const host = callOptions.signWithPort ? `${running.host}:${running.port}` : running.host;
        headers['X-Ovh-Consumer'] = keys.consumerKey;
        headers['X-Ovh-Timestamp'] = timestamp;
        headers['X-Ovh-Signature'] = signRequest({
          applicationSecret: keys.applicationSecret,
          consumerKey: keys.consumerKey,
          method,
          url: `https://${host}${target}`,
          body: payload,
          timestamp,
        });
      }
      return request(method, target, undefined, { ...headers, ...callOptions.headers }, payload === '' ? undefined : payload);
    },
    request: (method, path, body, headers) => request(method, path, body, headers),
    state: () => admin('GET', '/state') as Promise<SimState>,
    requests: () => admin('GET', '/requests') as Promise<RecordedRequest[]>,
    reset: async (seed) => {
      await admin('POST', '/reset', seed === undefined ? {} : { seed });
    },
    faults: async (rules) => ((await admin('POST', '/faults', { rules })) as { rules: Array<FaultRuleInput & { id: number; fired: number }> }).rules,
    clearFaults: async () => {
      await admin('DELETE', '/faults');
    },
    config: (patch) => (patch ? admin('PUT', '/config', patch) : admin('GET', '/config')) as Promise<SimulatorConfig>,
    mintCredential: (accessRules, mintOptions = {}) => admin('POST', '/credentials', { accessRules, ...mintOptions }) as Promise<MintedCredential>,
    createApplication: (name) => admin('POST', '/applications', name ? { name } : {}),
    setService: (serviceName, patch) => admin('POST', `/services/${encodeURIComponent(serviceName)}`, patch),
    admin,
    waitForTask: async (serviceName, taskId, waitOptions = {}) => {
      const client = waitOptions.client ?? simulator.ovhClient();
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 10_000);
      for (;;) {
        const task = (await client.requestPromised('GET', `/hosting/web/${serviceName}/tasks/${taskId}`)) as Record<string, Json>;
        if (task.status === 'done' || task.status === 'cancelled') return task;
        if (Date.now() > deadline) throw new Error(`task ${taskId} of ${serviceName} still ${String(task.status)} after ${waitOptions.timeoutMs ?? 10_000} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: async () => {
      await running.stop();
      agent.destroy();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return simulator;
}

/** The classic `OVH_*` variables of a worker pointed at this simulator (the `default` account), at 50 calls/s. */
export function simulatorOvhEnv(sim: Pick<TestSimulator, 'url' | 'credentials' | 'caFile'>): Record<string, string> {
  return {
    OVH_ENDPOINT: sim.url,
    OVH_APPLICATION_KEY: sim.credentials.applicationKey,
    OVH_APPLICATION_SECRET: sim.credentials.applicationSecret,
    OVH_CONSUMER_KEY: sim.credentials.consumerKey,
    OVH_CA_FILE: sim.caFile,
    OVH_RATE_LIMIT_PER_SECOND: '50',
  };
}

/** A folder for an operator's secret files (mode 600, as the accounts file expects them), and a writer into it. */
export function secretFilesIn(prefix: string): { dir: string; secretFile: (name: string, value: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    secretFile: (name, value) => {
      const path = join(dir, name);
      writeFileSync(path, `${value}\n`, { mode: 0o600 });
      return path;
    },
  };
}
