// OVH rate-limits per application key. A token bucket per key: `burst` calls at once, refilled at `perSecond`;
// an empty bucket answers 429 with a Retry-After (whole seconds until the next token).
import type { RateLimitConfig } from '../config.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(private readonly config: () => RateLimitConfig | null) {}

  /** 0 when the call may go ahead (and a token is spent), otherwise the seconds to wait. `override` is an account's
   * own limit, which replaces the global one for that bucket. */
  take(key: string, now: number, override?: RateLimitConfig | null): number {
    const limit = override ?? this.config();
    if (!limit) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
  }

  clear(): void {
    this.buckets.clear();
  }
}
