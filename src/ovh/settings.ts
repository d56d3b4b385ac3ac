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
