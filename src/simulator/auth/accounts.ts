// OVH accounts (NIC handles). Each owns its hosting services, DNS zones, applications' consumer keys and service
// accounts, and may have its own rate limit (OVH meters each account separately). The default account holds the
// demo world, so a simulator that never heard of accounts behaves as a single-account one.
import type { RateLimitConfig } from '../config.js';
import { DEFAULT_ACCOUNT } from '../state/records.js';

export interface AccountRecord {
  name: string;
  /** This account's own rate limit (one bucket for the whole account); `null` = the global per-application-key limit. */
  rateLimit: RateLimitConfig | null;
  createdAt: number;
}

export class AccountBook {
  readonly accounts = new Map<string, AccountRecord>();

  constructor(now: number) {
    this.ensure(DEFAULT_ACCOUNT, now);
  }

  ensure(name: string, now: number): AccountRecord {
    let account = this.accounts.get(name);
    if (!account) {
      account = { name, rateLimit: null, createdAt: now };
      this.accounts.set(name, account);
    }
    return account;
  }

  snapshot(): AccountRecord[] {
    return [...this.accounts.values()];
  }

  restore(accounts: AccountRecord[] | undefined, now: number): void {
    for (const account of accounts ?? []) this.accounts.set(account.name, account);
    this.ensure(DEFAULT_ACCOUNT, now);
  }
}
