// One OVH account's rate limit, shared out among the worker processes that call it. OVH counts an account's calls
// whatever process makes them, so each process's token bucket (src/ovh/rate-limiter.ts) must run at a share of the
// limit, and the shares must never add up to more than the limit — also while processes join, leave or die. One
// workflow per account (workflows/account-rate-shares.ts) is the only place shares are handed out: a process asks
// for its share with an Update, holds it for a short lease, and renews it while it has calls to make. A dead process
// stops renewing; its lease runs out and its share goes to the others.
//
// Why a lease and not a count of live workers (DescribeTaskQueue pollers): a worker whose activity slots are full
// stops polling while it is alive and calling, and a dead worker stays listed for a minute; a lease says exactly
// who may call, at what rate, until when. Why not the task queue's activity rate limit: an activity makes any
// number of calls (a wait polls until OVH's task is done), so activities per second do not bound calls per second.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface RateShareRequest {
  /** The process asking (its worker identity plus a per-start nonce: a restarted pid is a new holder). */
  holder: string;
  /** The account's limit as this process is configured; the smallest of the live holders' counts. */
  limitPerSecond: number;
  /** The rate this process calls at right now, until the answer reaches it (its previous share, or 0). */
  usingPerSecond: number;
  /** Give the share back (graceful shutdown, no calls for a while). */
  release?: boolean;
  /**
   * The rate this process could use now: the calls it made lately (with headroom), or the whole limit when callers
   * had to wait for a token. Absent (older workers): the whole limit, an equal share.
   */
  demandPerSecond?: number;
  /**
   * Holders the requester knows are dead: processes of its own host that no longer run (a worker restarted after a
   * crash names its dead predecessor). Their shares are free at once instead of when their leases run out.
   */
  gone?: string[];
}

export interface RateShareGrant {
  /** The rate this process may call at until its lease ends. */
  perSecond: number;
  /** What its share will be once the others have handed back theirs: ask again soon when `perSecond` is below it. */
  targetPerSecond: number;
  /** How long the share holds, counted by the process from the moment it sent the request. */
  leaseMs: number;
  /** Live holders, this one included. */
  holders: number;
  /** The other live holders' names (a newcomer checks whether any of them is a dead process of its own host). */
  others?: string[];
}

export interface RateShareHolder {
  holder: string;
  /** The share granted. */
  perSecond: number;
  /** What it may still be calling at until its next request: the larger of the share granted and the one it had. */
  heldPerSecond: number;
  limitPerSecond: number;
  /** What it said it could use at its last request (absent: the whole limit). */
  demandPerSecond?: number;
  /** Workflow time (ms since the epoch) when the lease ends. */
  expiresAt: number;
}

export interface AccountRateSharesInput {
  /** The account's name, for people reading the workflow list (its id is a hash of the credentials). */
  account: string;
  leaseMs: number;
  /** Carried over a continue-as-new. */
  holders?: RateShareHolder[];
  /** Continue as new after this many history events (default 2,000); small in the captured replay history. */
  maxHistoryEvents?: number;
}

export interface AccountRateSharesState {
  account: string;
  limitPerSecond: number | null;
  holders: RateShareHolder[];
}

export const claimRateShare = defineUpdate<RateShareGrant, [RateShareRequest]>('claimRateShare');
export const rateSharesQuery = defineQuery<AccountRateSharesState>('rateShares');

export const RATE_SHARES_WORKFLOW_TYPE = 'accountRateShares';

/** Why a request cannot be served, or `undefined`: rejected in the Update's validator, so it leaves no history. */
export function rateShareRequestProblem(request: RateShareRequest): string | undefined {
  if (typeof request?.holder !== 'string' || request.holder.length === 0 || request.holder.length > 300) return 'holder must be a non-empty string of at most 300 characters';
  if (!Number.isFinite(request.limitPerSecond) || request.limitPerSecond <= 0) return 'limitPerSecond must be a positive number';
  if (!Number.isFinite(request.usingPerSecond) || request.usingPerSecond < 0) return 'usingPerSecond must be a number >= 0';
  if (request.demandPerSecond !== undefined && (!Number.isFinite(request.demandPerSecond) || request.demandPerSecond < 0)) return 'demandPerSecond must be a number >= 0';
  if (request.gone !== undefined && (!Array.isArray(request.gone) || request.gone.length > 100 || request.gone.some((h) => typeof h !== 'string' || h.length > 300))) {
    return 'gone must be a list of at most 100 holder names';
  }
  return undefined;
}

/**
 * Each holder's target, work-conserving: the limit is filled from the smallest demand up, each holder getting at
 * most its demand and at most an equal part of what is left (water-filling). With every demand at the limit (busy
 * workers, or older ones that do not say), every target is an equal part.
 */
export function rateShareTargets(demands: ReadonlyArray<{ holder: string; demandPerSecond: number }>, limitPerSecond: number): Map<string, number> {
  const sorted = [...demands].sort((a, b) => a.demandPerSecond - b.demandPerSecond || (a.holder < b.holder ? -1 : 1));
  const targets = new Map<string, number>();
  let left = limitPerSecond;
  sorted.forEach(({ holder, demandPerSecond }, i) => {
    const target = Math.max(0, Math.min(demandPerSecond, left / (sorted.length - i)));
    targets.set(holder, target);
    left -= target;
  });
  // What nobody asked for goes to everyone alike: a holder whose demand grows finds room at once.
  if (left > 1e-9 && sorted.length > 0) for (const [holder, target] of targets) targets.set(holder, target + left / sorted.length);
  return targets;
}

/**
 * The share of one holder, and the holders after it (pure: the workflow calls it with workflow time). Each live
 * holder's target is an equal part of the limit; what it gets now is at most what the others do not hold, so the sum
 * of what every holder may be calling at stays within the limit at every moment — a newcomer starts below its target
 * and reaches it as the others renew at their smaller size.
 */
export function grantRateShare(
  holders: readonly RateShareHolder[],
  request: RateShareRequest,
  now: number,
  leaseMs: number,
): { grant: RateShareGrant; holders: RateShareHolder[]; limitPerSecond: number } {
  const gone = new Set(request.gone ?? []);
  const others = holders.filter((h) => h.expiresAt > now && h.holder !== request.holder && !gone.has(h.holder));
  const limitPerSecond = Math.min(request.limitPerSecond, ...others.map((h) => h.limitPerSecond));
  if (request.release) {
    return { grant: { perSecond: 0, targetPerSecond: 0, leaseMs, holders: others.length }, holders: others, limitPerSecond };
  }
  const demandOf = (demand: number | undefined) => Math.min(limitPerSecond, demand ?? limitPerSecond);
  const targets = rateShareTargets(
    [...others.map((h) => ({ holder: h.holder, demandPerSecond: demandOf(h.demandPerSecond) })), { holder: request.holder, demandPerSecond: demandOf(request.demandPerSecond) }],
    limitPerSecond,
  );
  const targetPerSecond = targets.get(request.holder) ?? 0;
  const heldByOthers = others.reduce((sum, h) => sum + h.heldPerSecond, 0);
  const perSecond = Math.max(0, Math.min(targetPerSecond, limitPerSecond - heldByOthers));
  const mine: RateShareHolder = {
    holder: request.holder,
    perSecond,
    heldPerSecond: Math.max(perSecond, request.usingPerSecond),
    limitPerSecond: request.limitPerSecond,
    ...(request.demandPerSecond !== undefined ? { demandPerSecond: request.demandPerSecond } : {}),
    expiresAt: now + leaseMs,
  };
  return {
    grant: { perSecond, targetPerSecond, leaseMs, holders: others.length + 1, others: others.map((h) => h.holder) },
    holders: [...others, mine],
    limitPerSecond,
  };
}
