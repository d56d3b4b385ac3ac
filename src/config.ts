// One typed loader for every setting. Read only when a process starts (never at import), validated with clear
// messages: a missing or malformed setting is a startup error that names the variable.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
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
});

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export interface Config {
  temporal: TemporalConfig;
  logLevel: LogLevel;
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
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    logLevel: e.LOG_LEVEL,
  };
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
