// One typed loader for every setting. Read only when a process starts (never at import), validated with clear
// messages: a missing or malformed setting is a startup error that names the variable.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { loadClientConfigProfile } from '@temporalio/envconfig';
import { z } from 'zod';
import { parseKeyring, type Keyring } from './codec/keyring.js';
import { CA_FILE_ONLY_FOR_URLS, loadAccounts, type AccountsSettings } from './ovh/accounts-file.js';
import { DEFAULT_RATE_SHARE_SETTINGS, type OvhSettings, type RateShareSettings } from './ovh/settings.js';

export type { OvhSettings };
import { parseNotifySettings, type NotifySettings } from './notify/settings.js';
import { DEFAULT_TASK_QUEUE } from './shared/task-queue.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233');

const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
const DEFAULT_TEMPORAL_NAMESPACE = 'default';

const flag = z.enum(['true', 'false', '1', '0'], 'expected true or false').transform((v) => v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().min(1);

const schema = z.object({
  // No defaults here: a Temporal client config profile (TEMPORAL_PROFILE) may supply them.
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits, . _ - / only').default(DEFAULT_TASK_QUEUE),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  OVH_ENDPOINT: z.string().optional(),
  OVH_APPLICATION_KEY: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_APPLICATION_SECRET: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_CONSUMER_KEY: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_CA_FILE: z.string().optional(),
  OVH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  OVH_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1000).default(15),
  // Named OVH accounts (src/ovh/accounts-file.ts); the OVH_* variables above are the account `default`.
  OVHFLOW_ACCOUNTS_FILE: z.string().optional(),
  OVHFLOW_ENCRYPTION_KEY: z.string().optional(),
  OVHFLOW_ENCRYPTION_KEY_FILE: z.string().optional(),
  // Remote Temporal (a self-hosted cluster with TLS / mTLS, or Temporal Cloud); see src/temporal/connection-options.ts.
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_PROFILE: z.string().optional(),
  TEMPORAL_CONFIG_FILE: z.string().optional(),
  // The production worker (`ovhflow worker`).
  OVHFLOW_MAX_CONCURRENT_ACTIVITIES: positiveInt.optional(),
  OVHFLOW_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2, 'must be at least 2').optional(),
  OVHFLOW_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  OVHFLOW_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
  OVHFLOW_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  OVHFLOW_STICKY_QUEUE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).optional(),
  // How each account's OVH rate limit holds (src/ovh/rate-share-keeper.ts): shared by all workers, or per process.
  OVHFLOW_RATE_LIMIT_SCOPE: z.enum(['account', 'process']).default('process'),
  OVHFLOW_RATE_SHARE_LEASE_SECONDS: z.coerce.number().min(1).max(60).default(3),
  OVHFLOW_WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  OVHFLOW_WORKER_HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
  OVHFLOW_WORKFLOW_BUNDLE: z.string().optional(),
  // The metrics endpoint of `ovhflow worker` / `ovhflow api` (src/metrics/server.ts); none when unset.
  OVHFLOW_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  OVHFLOW_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  // Webhooks (src/notify/settings.ts): receivers and their events, the signing secret, the console's base URL.
  OVHFLOW_NOTIFY_URL: z.string().optional(),
  OVHFLOW_NOTIFY_SECRET: z.string().optional(),
  OVHFLOW_CONSOLE_URL: z.string().optional(),
  // `ovhflow worker` keeps the certificate watch's schedule (src/schedules/certificate-watch.ts) at this cron; unset: none.
  OVHFLOW_CERTIFICATE_WATCH_CRON: z.string().regex(/^\S+( \S+){4}$/, 'expected a 5-field cron expression, e.g. "0 6 * * *"').optional(),
  OVHFLOW_ALLOW_RUNTIME_BUNDLE: flag.default(false),
  // The HTTP API (`ovhflow api`): its bearer token (its length is checked where the API starts, which knows whether it
  // runs in dev mode), its port, and the Temporal UI origin(s) allowed to call the codec endpoint (comma-separated).
  OVHFLOW_API_TOKEN: z.string().optional(),
  OVHFLOW_API_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  OVHFLOW_UI_ORIGIN: z
    .string()
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.\-[\]]+(:\d{1,5})?$/, 'expected origins such as http://localhost:8233 (scheme, host, port; no path)')).min(1))
    .default(['http://localhost:8233']),
  // The address people open the API and console at, when it is not what the API sees (a TLS-terminating proxy).
  OVHFLOW_PUBLIC_URL: z
    .string()
    .transform((text, ctx) => {
      const parsed = parsePublicUrl(text.trim());
      if ('origin' in parsed) return parsed.origin;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    })
    .optional(),
});

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** TLS / mTLS / API key for a remote cluster or Temporal Cloud; absent for a plain local server. */
  connection?: TemporalConnectionSettings;
}

/** Where a PEM comes from: a file (checked when connecting) or inline data from a client config profile. */
export type PemSource = { path: string; setting: string } | { data: string; setting: string };

export interface TemporalConnectionSettings {
  /** TEMPORAL_TLS (or the profile's `tls.disabled`); unset = TLS on as soon as a certificate, CA or API key is given. */
  tls?: boolean;
  clientCert?: PemSource;
  clientKey?: PemSource;
  serverCa?: PemSource;
  serverName?: string;
  apiKey?: string;
  /** gRPC metadata sent with every call (a profile's `grpc_meta`). */
  metadata?: Record<string, string>;
  /** The client config profile these settings were completed from, for messages. */
  profile?: string;
}

/** How `ovhflow worker` runs: the pre-built bundle, shutdown, health endpoint and tuning. */
export interface WorkerSettings {
  /** OVHFLOW_WORKFLOW_BUNDLE: a pre-built bundle elsewhere than dist/workflow-bundle.js. */
  workflowBundlePath?: string;
  /** OVHFLOW_ALLOW_RUNTIME_BUNDLE=1: let `ovhflow worker` bundle the workflows at start when no bundle exists. */
  allowRuntimeBundle: boolean;
  /** OVHFLOW_WORKER_HEALTH_PORT: `GET /healthz` and `GET /readyz`; no endpoint when unset. */
  health?: { port: number; host: string };
  /** Each account's limit shared by all workers (OVHFLOW_RATE_LIMIT_SCOPE=account); `null` (process, the default for now): per process. */
  rateShares: RateShareSettings | null;
  tuning: WorkerTuning;
}

export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxCachedWorkflows?: number;
  /** Activities per second for all workers of the task queue together (Temporal server); activities, not OVH calls. */
  maxTaskQueueActivitiesPerSecond?: number;
  /**
   * How long a run's next workflow task waits for the worker that has it cached before any worker takes it (default
   * STICKY_QUEUE_TIMEOUT_MS in worker.ts): after a worker dies, this is how long its runs wait.
   */
  stickyQueueScheduleToStartTimeout?: number;
  /** How long in-flight activities may run on after SIGTERM before they are cancelled and handed back. */
  shutdownGraceTime: number;
}

export interface Config {
  temporal: TemporalConfig;
  logLevel: LogLevel;
  /** `null` when no OVH credentials are configured: the embedded default then targets the simulator. */
  ovh: OvhSettings | null;
  /** The named OVH accounts (the accounts file, plus `ovh` above as the account `default`); names only are read here. */
  accounts: AccountsSettings;
  /** The secret keys (payload encryption, password derivation); `null` when not configured. */
  keyring: Keyring | null;
  worker: WorkerSettings;
  api: ApiSettings;
  /** OVHFLOW_METRICS_PORT / OVHFLOW_METRICS_HOST: `GET /metrics`; `null` when no port is set. */
  metrics: { port: number; host: string } | null;
  /** OVHFLOW_NOTIFY_URL and co.: where runs send their notifications; `null` when no receiver is set. */
  notify: NotifySettings | null;
  /** OVHFLOW_CERTIFICATE_WATCH_CRON: the certificate watch's schedule, kept by `ovhflow worker`; `null` when unset. */
  certificateWatch: { cron: string } | null;
}

/** The HTTP API's settings (`ovhflow api`). */
export interface ApiSettings {
  /** OVHFLOW_API_TOKEN: the bearer token every API call presents; `null` when unset (see src/api/token.ts). */
  token: string | null;
  /** OVHFLOW_API_PORT (default 8080). */
  port: number;
  /** OVHFLOW_UI_ORIGIN: browser origins (the Temporal UI) allowed to call the codec endpoint. */
  uiOrigins: string[];
  /** OVHFLOW_PUBLIC_URL, as an origin: where browsers reach the API (src/api/public-origin.ts). */
  publicUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from `env` (by default the process environment, completed by a `.env` file in the
 * working directory when one exists; real environment variables win).
 */
export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const parsed = schema.safeParse(emptyToUndefined(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const ovhKeys = { OVH_APPLICATION_KEY: e.OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET: e.OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY: e.OVH_CONSUMER_KEY };
  const given = Object.entries(ovhKeys).filter(([, v]) => v !== undefined);
  let ovh: OvhSettings | null = null;
  if (given.length > 0 || e.OVH_ENDPOINT) {
    // The consumer key may be missing: that is how `ovhflow credentials request` gets one.
    const { OVH_CONSUMER_KEY: _consumerKey, ...required } = ovhKeys;
    const missing = Object.entries({ OVH_ENDPOINT: e.OVH_ENDPOINT, ...required }).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: missing (OVH_ENDPOINT, OVH_APPLICATION_KEY and OVH_APPLICATION_SECRET go together)`);
    else if (e.OVH_ENDPOINT && !/^(ovh-eu|ovh-ca|ovh-us|https:\/\/.+)$/.test(e.OVH_ENDPOINT)) {
      problems.push(`OVH_ENDPOINT: "${e.OVH_ENDPOINT}" must be ovh-eu, ovh-ca, ovh-us or an https:// URL`);
    } else {
      if (e.OVH_CA_FILE && !e.OVH_ENDPOINT?.startsWith('https://')) problems.push(`OVH_CA_FILE: ${CA_FILE_ONLY_FOR_URLS(e.OVH_ENDPOINT ?? '')}`);
      else if (e.OVH_CA_FILE && !existsSync(e.OVH_CA_FILE)) problems.push(`OVH_CA_FILE: ${e.OVH_CA_FILE} does not exist`);
      ovh = {
        endpoint: e.OVH_ENDPOINT as string,
        applicationKey: e.OVH_APPLICATION_KEY as string,
        applicationSecret: e.OVH_APPLICATION_SECRET as string,
        ...(e.OVH_CONSUMER_KEY ? { consumerKey: e.OVH_CONSUMER_KEY } : {}),
        ...(e.OVH_CA_FILE ? { caFile: e.OVH_CA_FILE } : {}),
        timeoutMs: e.OVH_TIMEOUT_MS,
        rateLimitPerSecond: e.OVH_RATE_LIMIT_PER_SECOND,
      };
    }
  }
  const accounts = loadAccounts(
    e.OVHFLOW_ACCOUNTS_FILE === undefined ? undefined : resolve(e.OVHFLOW_ACCOUNTS_FILE),
    ovh,
    { timeoutMs: e.OVH_TIMEOUT_MS, rateLimitPerSecond: e.OVH_RATE_LIMIT_PER_SECOND },
    problems,
  );
  let keyring: Keyring | null = null;
  const keyText = e.OVHFLOW_ENCRYPTION_KEY ?? (e.OVHFLOW_ENCRYPTION_KEY_FILE ? readKeyFile(e.OVHFLOW_ENCRYPTION_KEY_FILE, problems) : undefined);
  if (keyText !== undefined) {
    try {
      keyring = parseKeyring(keyText);
    } catch (error) {
      problems.push(`OVHFLOW_ENCRYPTION_KEY: ${(error as Error).message}`);
    }
  }
  const remote = temporalConnectionFrom(e, env, problems);
  const notify = parseNotifySettings(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? remote.profileAddress ?? DEFAULT_TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE ?? remote.profileNamespace ?? DEFAULT_TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      ...(remote.connection ? { connection: remote.connection } : {}),
    },
    logLevel: e.LOG_LEVEL,
    ovh,
    accounts,
    keyring,
    worker: {
      ...(e.OVHFLOW_WORKFLOW_BUNDLE ? { workflowBundlePath: resolve(e.OVHFLOW_WORKFLOW_BUNDLE) } : {}),
      allowRuntimeBundle: e.OVHFLOW_ALLOW_RUNTIME_BUNDLE,
      ...(e.OVHFLOW_WORKER_HEALTH_PORT === undefined ? {} : { health: { port: e.OVHFLOW_WORKER_HEALTH_PORT, host: e.OVHFLOW_WORKER_HEALTH_HOST } }),
      rateShares: e.OVHFLOW_RATE_LIMIT_SCOPE === 'account' ? { ...DEFAULT_RATE_SHARE_SETTINGS, leaseMs: Math.round(e.OVHFLOW_RATE_SHARE_LEASE_SECONDS * 1000) } : null,
      tuning: {
        ...(e.OVHFLOW_MAX_CONCURRENT_ACTIVITIES === undefined ? {} : { maxConcurrentActivityTaskExecutions: e.OVHFLOW_MAX_CONCURRENT_ACTIVITIES }),
        ...(e.OVHFLOW_MAX_CONCURRENT_WORKFLOW_TASKS === undefined ? {} : { maxConcurrentWorkflowTaskExecutions: e.OVHFLOW_MAX_CONCURRENT_WORKFLOW_TASKS }),
        ...(e.OVHFLOW_MAX_CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: e.OVHFLOW_MAX_CACHED_WORKFLOWS }),
        ...(e.OVHFLOW_TASK_QUEUE_ACTIVITIES_PER_SECOND === undefined ? {} : { maxTaskQueueActivitiesPerSecond: e.OVHFLOW_TASK_QUEUE_ACTIVITIES_PER_SECOND }),
        ...(e.OVHFLOW_STICKY_QUEUE_TIMEOUT_SECONDS === undefined ? {} : { stickyQueueScheduleToStartTimeout: Math.round(e.OVHFLOW_STICKY_QUEUE_TIMEOUT_SECONDS * 1000) }),
        shutdownGraceTime: Math.round(e.OVHFLOW_SHUTDOWN_GRACE_SECONDS * 1000),
      },
    },
    api: { token: e.OVHFLOW_API_TOKEN ?? null, port: e.OVHFLOW_API_PORT, uiOrigins: e.OVHFLOW_UI_ORIGIN, ...(e.OVHFLOW_PUBLIC_URL ? { publicUrl: e.OVHFLOW_PUBLIC_URL } : {}) },
    metrics: e.OVHFLOW_METRICS_PORT === undefined ? null : { port: e.OVHFLOW_METRICS_PORT, host: e.OVHFLOW_METRICS_HOST },
    notify,
    certificateWatch: e.OVHFLOW_CERTIFICATE_WATCH_CRON ? { cron: e.OVHFLOW_CERTIFICATE_WATCH_CRON } : null,
  };
}

type ParsedEnv = z.infer<typeof schema>;

/**
 * The remote-Temporal settings: a client config profile (only when TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE asks for
 * one, so a stray ~/.config/temporalio/temporal.toml never redirects ovhflow), overridden by ovhflow's variables.
 * Files are only named here; src/temporal/connection-options.ts reads and checks them when connecting.
 */
function temporalConnectionFrom(
  e: ParsedEnv,
  env: NodeJS.ProcessEnv,
  problems: string[],
): { connection?: TemporalConnectionSettings; profileAddress?: string; profileNamespace?: string } {
  let profile: ReturnType<typeof loadClientConfigProfile> = {};
  const profileName = e.TEMPORAL_PROFILE;
  if (profileName !== undefined || e.TEMPORAL_CONFIG_FILE !== undefined) {
    const file = e.TEMPORAL_CONFIG_FILE ?? defaultTemporalConfigFile(env);
    try {
      if (!file) throw new Error('no config file: set TEMPORAL_CONFIG_FILE');
      // The SDK reads a missing file as an empty one; asked for explicitly, a missing file is a mistake to report.
      if (!existsSync(file)) throw Object.assign(new Error(`${file} does not exist`), { code: 'ENOENT' });
      profile = loadClientConfigProfile({ configSource: { path: file }, disableEnv: true, configFileStrict: true, ...(profileName ? { profile: profileName } : {}) });
    } catch (error) {
      const cause = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} does not exist` : (error as Error).message;
      problems.push(`TEMPORAL_PROFILE${profileName ? ` "${profileName}"` : ''}: cannot load it from ${file ?? 'the Temporal config file'} (${cause})`);
      return {};
    }
  }
  const fromProfile = (source: { path: string } | { data: string | Uint8Array } | undefined, key: string): PemSource | undefined => {
    if (!source) return undefined;
    const setting = `profile ${profileName ?? 'default'} tls.${key}`;
    return 'path' in source ? { path: source.path, setting: `${setting}_path` } : { data: typeof source.data === 'string' ? source.data : Buffer.from(source.data).toString('utf8'), setting: `${setting}_data` };
  };
  const fromEnv = (path: string | undefined, setting: string): PemSource | undefined => (path === undefined ? undefined : { path: resolve(path), setting });
  const metadata = { ...profile.grpcMeta };
  const connection: TemporalConnectionSettings = {
    ...(e.TEMPORAL_TLS !== undefined ? { tls: e.TEMPORAL_TLS } : profile.tls?.disabled !== undefined ? { tls: !profile.tls.disabled } : {}),
    ...optional('clientCert', fromEnv(e.TEMPORAL_TLS_CERT, 'TEMPORAL_TLS_CERT') ?? fromProfile(profile.tls?.clientCert, 'client_cert')),
    ...optional('clientKey', fromEnv(e.TEMPORAL_TLS_KEY, 'TEMPORAL_TLS_KEY') ?? fromProfile(profile.tls?.clientKey, 'client_key')),
    ...optional('serverCa', fromEnv(e.TEMPORAL_TLS_CA, 'TEMPORAL_TLS_CA') ?? fromProfile(profile.tls?.serverCACert, 'server_ca_cert')),
    ...optional('serverName', e.TEMPORAL_TLS_SERVER_NAME ?? profile.tls?.serverName),
    ...optional('apiKey', e.TEMPORAL_API_KEY ?? profile.apiKey),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(profileName !== undefined || e.TEMPORAL_CONFIG_FILE !== undefined ? { profile: profileName ?? 'default' } : {}),
  };
  return {
    ...(Object.keys(connection).length > 0 ? { connection } : {}),
    ...optional('profileAddress', profile.address),
    ...optional('profileNamespace', profile.namespace),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Where the Temporal CLI and SDKs keep their client config: $XDG_CONFIG_HOME or ~/.config, temporalio/temporal.toml. */
function defaultTemporalConfigFile(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? resolve(env.HOME, '.config') : undefined);
  return base ? resolve(base, 'temporalio', 'temporal.toml') : undefined;
}

/** OVHFLOW_PUBLIC_URL as an origin, or why it cannot be used (src/api/public-origin.ts says what it changes). */
export function parsePublicUrl(text: string): { origin: string } | { problem: string } {
  const expected = 'expected the address people open, such as https://ovhflow.example.com (scheme, host and optional port; no path, query or credentials)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `"${text.slice(0, 100)}" is not a URL: ${expected}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `"${url.protocol}" is not http: or https: (${expected})` };
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return { problem: expected };
  return { origin: url.origin };
}

function readKeyFile(path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`OVHFLOW_ENCRYPTION_KEY_FILE: cannot read ${path} (${(error as Error).message})`);
    return undefined;
  }
}

function readEnvironment(): NodeJS.ProcessEnv {
  const file = resolve(process.cwd(), '.env');
  if (!existsSync(file)) return process.env;
  const fromFile = loadDotenv({ path: file, processEnv: {}, quiet: true }).parsed ?? {};
  return { ...fromFile, ...process.env };
}

// An exported-but-empty variable means "not set", as most shells and compose files intend.
function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
