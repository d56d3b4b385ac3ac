// What `startSimulator` accepts, and how options become the run-time configuration.
import type { Logger } from 'pino';
import { DEFAULT_CONFIG, type RateLimitConfig, type SimulatorConfig } from './config.js';

export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. Default 8443. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Where the CA, the server certificate and (with `persistState`) the state live. Default `.data/simulator`. */
  dataDir?: string;
  /** Seed of the fault-injection generator. Default 1. */
  seed?: number;
  /** A number for every task function, or `{ default, '<function>': ms }` (replaces the built-in table). */
  taskDurationMs?: number | ({ default?: number } & Record<string, number>);
  /** How long a finished task stays readable. Default 10 minutes. */
  taskRetentionMs?: number;
  /** Per application key; absent or null = off. */
  rateLimit?: RateLimitConfig | null;
  /** Lets a non-loopback caller use the admin API with `X-Sim-Admin-Token: <token>`. */
  adminToken?: string;
  /** Accepted distance between a request's X-Ovh-Timestamp and the clock. Default 180 s. */
  timestampToleranceSec?: number;
  /** How long a zone refresh takes to reach the public resolver. Default 0. */
  dnsPropagationMs?: number;
  /** Whether domains whose DNS is not modelled point at the hosting they are attached to. Default true. */
  unmodelledDomainsPointAtHosting?: boolean;
  /** Lifetime of service-account access tokens. Default 3600 s. */
  oauth2TokenTtlSec?: number;
  /** Keep the world in `<dataDir>/state.json` across restarts. Default false. */
  persistState?: boolean;
  /** How many requests `GET /_sim/requests` keeps. Default 50,000. */
  maxRecordedRequests?: number;
  logger?: Logger;
}

export function configFromOptions(options: SimulatorOptions): SimulatorConfig {
  const durations = options.taskDurationMs;
  return {
    ...structuredClone(DEFAULT_CONFIG),
    taskDurationMs:
      durations === undefined
        ? { ...DEFAULT_CONFIG.taskDurationMs }
        : typeof durations === 'number'
          ? { default: durations }
          : { ...durations, default: durations.default ?? DEFAULT_CONFIG.taskDurationMs.default },
    ...(options.taskRetentionMs === undefined ? {} : { taskRetentionMs: options.taskRetentionMs }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.timestampToleranceSec === undefined ? {} : { timestampToleranceSec: options.timestampToleranceSec }),
    ...(options.dnsPropagationMs === undefined ? {} : { dnsPropagationMs: options.dnsPropagationMs }),
    ...(options.unmodelledDomainsPointAtHosting === undefined ? {} : { unmodelledDomainsPointAtHosting: options.unmodelledDomainsPointAtHosting }),
    ...(options.oauth2TokenTtlSec === undefined ? {} : { oauth2TokenTtlSec: options.oauth2TokenTtlSec }),
  };
}
