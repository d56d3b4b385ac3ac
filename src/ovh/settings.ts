// One OVH account's connection settings, as the classic OVH_* variables or an accounts-file entry give them. Here,
// below both config.ts and accounts-file.ts, so neither has to import the other's module for it.
export interface OvhSettings {
  endpoint: string;
  applicationKey: string;
  applicationSecret: string;
  /** Absent until `ovhflow credentials request` got one. */
  consumerKey?: string;
  caFile?: string;
  timeoutMs: number;
  rateLimitPerSecond: number;
}

/** How the workers of one task queue share each account's rate limit (rate-share-keeper.ts). */
export interface RateShareSettings {
  /** How long a granted share holds without renewal: a dead worker's share goes to the others after at most this. */
  leaseMs: number;
  /** A process that made no call to an account for this long gives its share back. */
  idleAfterMs: number;
}

export const DEFAULT_RATE_SHARE_SETTINGS: RateShareSettings = { leaseMs: 3_000, idleAfterMs: 30_000 };
