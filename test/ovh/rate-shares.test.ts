// The sharing rule on its own, fast: whatever order workers join, renew, die or leave in, what they may be calling
// at adds up to no more than the limit at any moment, and live workers end with equal shares. The bucket a share
// is applied to: a share of 0 stops calls until one is granted. (The same, for real worker processes against the
// simulator: rate-limit-across-workers.test.ts.)
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { NoRateShareError, TokenBucket } from '../../src/ovh/rate-limiter.js';
import { grantRateShare, rateShareRequestProblem, rateShareTargets, type RateShareHolder } from '../../src/shared/rate-shares.js';
import { isDeadLocalHolder } from '../../src/ovh/rate-share-keeper.js';

const LIMIT = 12;
const LEASE_MS = 3000;

/** A worker as rate-share-keeper.ts runs one: the rate it calls at, until its lease would end unrenewed. */
interface ModelWorker {
  name: string;
  alive: boolean;
  perSecond: number;
  leaseEndsAt: number;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('sharing one account limit among workers', () => {
  it('never lets the workers together call above the limit, through joins, deaths and releases in any order', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const random = seeded(seed);
      let holders: RateShareHolder[] = [];
      const workers: ModelWorker[] = [];
      let now = 0;
      for (let step = 0; step < 400; step += 1) {
        now += Math.floor(random() * 400);
        const roll = random();
        if (roll < 0.08 || workers.length === 0) {
          workers.push({ name: `w${workers.length}`, alive: true, perSecond: 0, leaseEndsAt: 0 });
        } else {
          const worker = workers[Math.floor(random() * workers.length)] as ModelWorker;
          if (!worker.alive) continue;
          if (roll < 0.12) {
            worker.alive = false; // SIGKILL: it calls at its rate until its lease ends, and never asks again
          } else if (roll < 0.15) {
            // A release: it stops calling first, then says so.
            worker.perSecond = 0;
            holders = grantRateShare(holders, { holder: worker.name, limitPerSecond: LIMIT, usingPerSecond: 0, release: true }, now, LEASE_MS).holders;
          } else {
            const using = now < worker.leaseEndsAt ? worker.perSecond : 0;
            const next = grantRateShare(holders, { holder: worker.name, limitPerSecond: LIMIT, usingPerSecond: using }, now, LEASE_MS);
            holders = next.holders;
            // The answer arrives a little later; the lease counts from when the request was sent.
            worker.perSecond = next.grant.perSecond;
            worker.leaseEndsAt = now + LEASE_MS;
          }
        }
        const calling = workers.reduce((sum, w) => sum + (now < w.leaseEndsAt ? w.perSecond : 0), 0);
        expect(calling, `seed ${seed}, step ${step}`).toBeLessThanOrEqual(LIMIT + 1e-9);
      }
    }
  });

  it('gives live workers equal shares of the whole limit once each has renewed twice', () => {
    let holders: RateShareHolder[] = [];
    const using = new Map<string, number>();
    const renew = (name: string, now: number) => {
      const next = grantRateShare(holders, { holder: name, limitPerSecond: LIMIT, usingPerSecond: using.get(name) ?? 0 }, now, LEASE_MS);
      holders = next.holders;
      using.set(name, next.grant.perSecond);
      return next.grant;
    };
    expect(renew('a', 0).perSecond).toBe(LIMIT); // alone: the whole limit
    const newcomer = renew('b', 100);
    expect(newcomer.perSecond).toBe(0); // a holds it all until it renews
    expect(newcomer.targetPerSecond).toBe(LIMIT / 2);
    for (const t of [1000, 1100, 2000, 2100]) renew(t % 1000 === 0 ? 'a' : 'b', t);
    expect(using.get('a')).toBe(LIMIT / 2);
    expect(using.get('b')).toBe(LIMIT / 2);
    // b dies; once its lease has run out, a's next renewal takes the whole limit.
    expect(renew('a', 3000).perSecond).toBe(LIMIT / 2);
    expect(renew('a', 2100 + LEASE_MS + 1).perSecond).toBe(LIMIT);
  });

  it('gives a busy worker what an idle one does not use, and never more than the limit in all (water-filling)', () => {
    const targets = rateShareTargets([{ holder: 'busy', demandPerSecond: 10 }, { holder: 'idle', demandPerSecond: 1.5 }, { holder: 'also-busy', demandPerSecond: 10 }], 10);
    expect(targets.get('idle')).toBeCloseTo(1.5);
    expect(targets.get('busy')).toBeCloseTo(4.25);
    expect(targets.get('also-busy')).toBeCloseTo(4.25);
    // Nobody wants it all: what is left goes to everyone alike, so a growing load finds room at once.
    const quiet = rateShareTargets([{ holder: 'a', demandPerSecond: 1 }, { holder: 'b', demandPerSecond: 3 }], 10);
    expect(quiet.get('a')).toBeCloseTo(4);
    expect(quiet.get('b')).toBeCloseTo(6);
    // Every demand at the limit (or unsaid, as from an older worker): equal parts, as before.
    const equal = rateShareTargets([{ holder: 'a', demandPerSecond: 10 }, { holder: 'b', demandPerSecond: 10 }], 10);
    expect([equal.get('a'), equal.get('b')]).toEqual([5, 5]);

    // Through the grants, each worker renewing once a second and saying what it calls at (its last grant): the one
    // that turns idle shrinks, and the busy one gets what it leaves — never more than the limit held in all.
    let holders: RateShareHolder[] = [];
    const using = new Map<string, number>();
    const demand = { busy: 10, idle: 10 };
    const renew = (holder: 'busy' | 'idle', now: number) => {
      const next = grantRateShare(holders, { holder, limitPerSecond: 10, usingPerSecond: using.get(holder) ?? 0, demandPerSecond: demand[holder] }, now, LEASE_MS);
      holders = next.holders;
      using.set(holder, next.grant.perSecond);
      expect(holders.reduce((total, h) => total + h.heldPerSecond, 0)).toBeLessThanOrEqual(10 + 1e-9);
      return next.grant.perSecond;
    };
    for (let second = 0; second < 3; second += 1) {
      renew('busy', second * 1000);
      renew('idle', second * 1000 + 500);
    }
    expect(using.get('busy')).toBeCloseTo(5);
    demand.idle = 1; // its calls stopped
    for (let second = 3; second < 6; second += 1) {
      renew('busy', second * 1000);
      renew('idle', second * 1000 + 500);
    }
    expect(using.get('idle')).toBeCloseTo(1);
    expect(using.get('busy')).toBeCloseTo(9);
  });

  it('takes the smallest limit the live workers are configured with', () => {
    const first = grantRateShare([], { holder: 'a', limitPerSecond: 20, usingPerSecond: 0 }, 0, LEASE_MS);
    const second = grantRateShare(first.holders, { holder: 'b', limitPerSecond: 8, usingPerSecond: 0 }, 10, LEASE_MS);
    expect(second.limitPerSecond).toBe(8);
    expect(second.grant.targetPerSecond).toBe(4);
  });

  it('frees at once the share of a holder the requester names as gone (its dead predecessor), not when its lease ends', () => {
    const dead = grantRateShare([], { holder: 'ovhflow-worker@h:100#aaaa', limitPerSecond: LIMIT, usingPerSecond: 0 }, 0, LEASE_MS);
    const newcomer = grantRateShare(dead.holders, { holder: 'ovhflow-worker@h:200#bbbb', limitPerSecond: LIMIT, usingPerSecond: 0 }, 100, LEASE_MS);
    expect(newcomer.grant.perSecond).toBe(0); // the dead one still holds the whole limit by its lease
    expect(newcomer.grant.others).toEqual(['ovhflow-worker@h:100#aaaa']);
    const freed = grantRateShare(newcomer.holders, { holder: 'ovhflow-worker@h:200#bbbb', limitPerSecond: LIMIT, usingPerSecond: 0, gone: ['ovhflow-worker@h:100#aaaa'] }, 200, LEASE_MS);
    expect(freed.grant).toMatchObject({ perSecond: LIMIT, targetPerSecond: LIMIT, holders: 1, others: [] });
    expect(rateShareRequestProblem({ holder: 'a', limitPerSecond: 5, usingPerSecond: 0, gone: 'b' as unknown as string[] })).toMatch(/gone/);
  });

  it('counts as dead only holders of its own host whose process is gone, or that had its own pid before a restart', () => {
    const me = `ovhflow-worker@box:${process.pid}#new1`;
    const alive = (pid: number) => pid === 4242;
    expect(isDeadLocalHolder('ovhflow-worker@box:999999#old1', me, 'box', alive)).toBe(true);
    expect(isDeadLocalHolder('ovhflow-worker@box:4242#old2', me, 'box', alive)).toBe(false);
    expect(isDeadLocalHolder(`ovhflow-worker@box:${process.pid}#old3`, me, 'box', alive)).toBe(true); // a container's pid 1, restarted
    expect(isDeadLocalHolder('ovhflow-worker@other:999999#x', me, 'box', alive)).toBe(false); // another host: its lease decides
    expect(isDeadLocalHolder('custom-identity#x', me, 'box', alive)).toBe(false);
    expect(isDeadLocalHolder(me, me, 'box', alive)).toBe(false);
  });

  it('refuses a request without a holder or with a limit that is not positive', () => {
    expect(rateShareRequestProblem({ holder: '', limitPerSecond: 1, usingPerSecond: 0 })).toMatch(/holder/);
    expect(rateShareRequestProblem({ holder: 'a', limitPerSecond: 0, usingPerSecond: 0 })).toMatch(/limitPerSecond/);
    expect(rateShareRequestProblem({ holder: 'a', limitPerSecond: 5, usingPerSecond: -1 })).toMatch(/usingPerSecond/);
    expect(rateShareRequestProblem({ holder: 'a', limitPerSecond: 5, usingPerSecond: 0 })).toBeUndefined();
  });
});

describe('a token bucket run at a share', () => {
  it('lets no call through at rate 0, and wakes the waiting caller as soon as a share is set', async () => {
    const bucket = new TokenBucket(10, 10, 0);
    bucket.setRate(0, 1);
    let through = false;
    const call = bucket.take().then(() => (through = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(through).toBe(false);
    expect(bucket.hasWaiters).toBe(true);
    const granted = Date.now();
    bucket.setRate(20, 20);
    await call;
    // One token at 20/s takes 50 ms to accrue from empty.
    expect(Date.now() - granted).toBeLessThan(250);
    expect(bucket.hasWaiters).toBe(false);
  });

  it('refuses a caller that waited its longest without any share, rather than hang (the last worker stopping)', async () => {
    const bucket = new TokenBucket(10, 10, 0);
    bucket.setRate(0, 1);
    bucket.maxWaitWithoutRateMs = 300;
    const started = Date.now();
    await expect(bucket.take()).rejects.toBeInstanceOf(NoRateShareError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // A share set meanwhile serves the next caller as usual.
    bucket.setRate(20, 20);
    await bucket.take();
  });

  it('keeps no more saved tokens than the smaller burst when its share shrinks', async () => {
    const bucket = new TokenBucket(10); // full: 10 tokens
    bucket.setRate(2, 2);
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) await bucket.take();
    // Two at once (the new burst), the third after half a second at 2/s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});

describe('the rate-share settings', () => {
  it('limit per process by default for now; share each account limit among all workers on request, with a 3 s lease', () => {
    expect(loadConfig({}).worker.rateShares).toBeNull();
    expect(loadConfig({ OVHFLOW_RATE_LIMIT_SCOPE: 'account' }).worker.rateShares).toEqual({ leaseMs: 3000, idleAfterMs: 30_000 });
    expect(loadConfig({ OVHFLOW_RATE_LIMIT_SCOPE: 'account', OVHFLOW_RATE_SHARE_LEASE_SECONDS: '5' }).worker.rateShares?.leaseMs).toBe(5000);
    expect(loadConfig({ OVHFLOW_RATE_LIMIT_SCOPE: 'process' }).worker.rateShares).toBeNull();
  });

  it('refuse an unknown scope or a lease out of range, naming the variable', () => {
    expect(() => loadConfig({ OVHFLOW_RATE_LIMIT_SCOPE: 'cluster' })).toThrow(ConfigError);
    expect(() => loadConfig({ OVHFLOW_RATE_LIMIT_SCOPE: 'cluster' })).toThrow(/OVHFLOW_RATE_LIMIT_SCOPE/);
    expect(() => loadConfig({ OVHFLOW_RATE_SHARE_LEASE_SECONDS: '0.1' })).toThrow(/OVHFLOW_RATE_SHARE_LEASE_SECONDS/);
  });
});
