// The simulator's run-time settings: what `startSimulator` options set and `PUT /_sim/config` changes.

export interface RateLimitConfig {
  /** Tokens added per second to each application key's bucket. */
  perSecond: number;
  /** The bucket's size: how many calls may arrive at once. */
  burst: number;
}

export interface SimulatorConfig {
  /** How long each task function takes, in ms; `default` for every function not listed. */
  taskDurationMs: { default: number } & Record<string, number>;
  /** How long a finished task can still be read before it answers 404. */
  taskRetentionMs: number;
  /** Token bucket per application key; `null` = no rate limit. */
  rateLimit: RateLimitConfig | null;
  /** How many times longer a task runs when a `slow` fault hits it. */
  slowFactor: number;
  /** How far (in seconds) a request's X-Ovh-Timestamp may be from the simulator's clock. */
  timestampToleranceSec: number;
  /** How long a zone refresh (or OVH's automatic DNS configuration) takes to reach the public resolver. */
  dnsPropagationMs: number;
  /** Whether a domain whose DNS is not modelled (no served zone, no admin resolver entry) points at the hosting it
   * is attached to. True by default so setups that never modelled DNS behave as before; tests opt out. */
  unmodelledDomainsPointAtHosting: boolean;
  /** Lifetime of an OAuth2 access token issued to a service account (`expires_in`). */
  oauth2TokenTtlSec: number;
  /** Operations (`"POST /hosting/web/{serviceName}/ssl"`) left out of the schema documents served at `/1.0/*.json`,
   * as if OVH had removed them: what `ovhflow doctor` must notice. The API itself still answers them. */
  schemaWithout: string[];
}

/** Durations that feel like OVH for a person watching `ovhflow sim`: seconds, not minutes. */
export const DEFAULT_TASK_DURATIONS: SimulatorConfig['taskDurationMs'] = {
  default: 2_000,
  'attachedDomain/create': 3_000,
  'database/create': 4_000,
  'dump/create': 3_000,
  'database/restore': 4_000,
  'module/install': 6_000,
  'hostedssl/create': 5_000,
  'hostedssl/regenerate': 5_000,
  'attachedDomain/update': 3_000,
};

export const DEFAULT_CONFIG: SimulatorConfig = {
  taskDurationMs: DEFAULT_TASK_DURATIONS,
  taskRetentionMs: 10 * 60_000,
  rateLimit: null,
  slowFactor: 10,
  timestampToleranceSec: 180,
  dnsPropagationMs: 0,
  unmodelledDomainsPointAtHosting: true,
  oauth2TokenTtlSec: 3600,
  schemaWithout: [],
};

export function taskDurationFor(config: SimulatorConfig, taskFunction: string): number {
  return config.taskDurationMs[taskFunction] ?? config.taskDurationMs.default;
}
