// One typed loader for every setting. Read only when a process starts (never at import), validated with clear
// messages: a missing or malformed setting is a startup error that names the variable.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { parseKeyring, type Keyring } from './codec/keyring.js';
import { DEFAULT_TASK_QUEUE } from './shared/task-queue.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233');

const schema = z.object({
  TEMPORAL_ADDRESS: hostPort.default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits, . _ - / only').default(DEFAULT_TASK_QUEUE),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  OVH_ENDPOINT: z.string().optional(),
  OVH_APPLICATION_KEY: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_APPLICATION_SECRET: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_CONSUMER_KEY: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
  OVH_CA_FILE: z.string().optional(),
  OVH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  OVH_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1000).default(15),
  OVHFLOW_ENCRYPTION_KEY: z.string().optional(),
  OVHFLOW_ENCRYPTION_KEY_FILE: z.string().optional(),
});

export interface OvhSettings {
  endpoint: string;
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
  caFile?: string;
  timeoutMs: number;
  rateLimitPerSecond: number;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export interface Config {
  temporal: TemporalConfig;
  logLevel: LogLevel;
  /** `null` when no OVH credentials are configured: the embedded default then targets the simulator. */
  ovh: OvhSettings | null;
  /** The secret keys (payload encryption, password derivation); `null` when not configured. */
  keyring: Keyring | null;
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
    const missing = Object.entries({ OVH_ENDPOINT: e.OVH_ENDPOINT, ...ovhKeys }).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: missing (OVH settings are all or nothing)`);
    else if (e.OVH_ENDPOINT && !/^(ovh-eu|ovh-ca|ovh-us|https:\/\/.+)$/.test(e.OVH_ENDPOINT)) {
      problems.push(`OVH_ENDPOINT: "${e.OVH_ENDPOINT}" must be ovh-eu, ovh-ca, ovh-us or an https:// URL`);
    } else {
      if (e.OVH_CA_FILE && !existsSync(e.OVH_CA_FILE)) problems.push(`OVH_CA_FILE: ${e.OVH_CA_FILE} does not exist`);
      ovh = {
        endpoint: e.OVH_ENDPOINT as string,
        applicationKey: e.OVH_APPLICATION_KEY as string,
        applicationSecret: e.OVH_APPLICATION_SECRET as string,
        consumerKey: e.OVH_CONSUMER_KEY as string,
        ...(e.OVH_CA_FILE ? { caFile: e.OVH_CA_FILE } : {}),
        timeoutMs: e.OVH_TIMEOUT_MS,
        rateLimitPerSecond: e.OVH_RATE_LIMIT_PER_SECOND,
      };
    }
  }
  let keyring: Keyring | null = null;
  const keyText = e.OVHFLOW_ENCRYPTION_KEY ?? (e.OVHFLOW_ENCRYPTION_KEY_FILE ? readKeyFile(e.OVHFLOW_ENCRYPTION_KEY_FILE, problems) : undefined);
  if (keyText !== undefined) {
    try {
      keyring = parseKeyring(keyText);
    } catch (error) {
      problems.push(`OVHFLOW_ENCRYPTION_KEY: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    logLevel: e.LOG_LEVEL,
    ovh,
    keyring,
  };
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
