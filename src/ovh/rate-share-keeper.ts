// The worker's side of the shared rate limit (src/shared/rate-shares.ts): for each OVH account it calls, it holds a
// share of the account's limit while it has calls to make, and sets its token bucket to that share. Strict by
// construction: the bucket runs at 0 until a share is granted, and falls back to 0 the moment a lease would end
// unrenewed (counted from when the request was sent, so it ends here before it ends in the workflow). An account
// this process has not called for `idleAfterMs` is given back, so idle processes neither hold a share nor add
// history; the next call asks again (one Update round trip).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Logger } from '../logging/logger.js';
import { claimRateShare, RATE_SHARES_WORKFLOW_TYPE, type RateShareGrant } from '../shared/rate-shares.js';
import type { accountRateShares } from '../workflows/account-rate-shares.js';
import type { OvhClient } from './client.js';
import type { RateShareSettings } from './settings.js';
import type { TokenBucket } from './rate-limiter.js';

/** How soon to ask again while below the target share (a newcomer, or a holder's share freed). */
const CATCH_UP_MS = 250;
/** A release at shutdown is a courtesy (the lease runs out anyway): never wait on it for long. */
const RELEASE_DEADLINE_MS = 2_000;
/**
 * The share workflow's task timeout (Temporal's default is 10 s; its continue-as-new runs inherit it). A task is one
 * request to grant: when the worker that took it dies, every worker's renewal waits this long before another worker
 * takes the task again — longer than a lease, the shares would all lapse. Measured in
 * test/ovh/rate-limit-across-workers.test.ts, which kills the worker running the workflow.
 */
export const RATE_SHARES_WORKFLOW_TASK_TIMEOUT_MS = 2_000;

/**
 * The workflow that shares out the limit of the credentials `rateLimitId` names (a hash, never a secret) among the
 * workers of `taskQueue`. Per task queue because the workflow runs on it: a queue nobody polls any more must not hold
 * the limit of workers on another. Two task queues on one account each share their own limit (docs/operating.md).
 */
export function rateSharesWorkflowId(taskQueue: string, rateLimitId: string): string {
  return `ovh-rate-shares/${taskQueue}/${rateLimitId}`;
}

/** A share's burst: as many calls at once as it has per second (at least one), so the bursts add up like the rates. */
function burstOfShare(perSecond: number): number {
  return Math.max(1, Math.floor(perSecond + 1e-9));
}

interface KeeperOptions {
  client: Client;
  taskQueue: string;
  account: string;
  holder: string;
  rateLimit: NonNullable<OvhClient['rateLimit']>;
  settings: RateShareSettings;
  logger: Logger;
}

export class RateShareKeeper {
  private share = 0;
  /** Live holders at the last grant, this process included. */
  private holders = 0;
  private holding = false;
  private stopped = false;
  private lastDemandAt = -Infinity;
  private loop: Promise<void> = Promise.resolve();
  private expiryTimer: NodeJS.Timeout | undefined;
  private wakeSleep: (() => void) | undefined;
  private readonly bucket: TokenBucket;

  constructor(private readonly options: KeeperOptions) {
    this.bucket = options.rateLimit.bucket;
    // Nothing may be called before a share is granted.
    this.bucket.setRate(0, 1);
    this.bucket.onDemand = () => this.demand();
    this.bucket.maxWaitWithoutRateMs = 2 * options.settings.leaseMs;
  }

  /** The share this process calls at now (0: none). */
  get perSecond(): number {
    return this.share;
  }

  /** Asks for a share now, as a first call would. */
  prime(): void {
    this.demand();
  }

  private demand(): void {
    this.lastDemandAt = performance.now();
    // Callers now wait while the last request said this process needed less: ask again now, not at the next renewal.
    if (this.holding && this.saidLittle && this.bucket.hasWaiters && performance.now() - this.lastClaimAt >= CATCH_UP_MS) this.wakeSleep?.();
    if (this.holding || this.stopped) return;
    this.holding = true;
    this.loop = this.hold();
  }

  private async hold(): Promise<void> {
    const { leaseMs, idleAfterMs } = this.options.settings;
    while (!this.stopped) {
      const idleSince = performance.now() - idleAfterMs;
      if (!this.bucket.hasWaiters && this.lastDemandAt < idleSince) {
        await this.release();
        // Decided with no await in between: a call arriving from here on starts a new hold.
        if (this.stopped || (!this.bucket.hasWaiters && this.lastDemandAt < idleSince)) {
          this.holding = false;
          return;
        }
        continue;
      }
      let nextMs = Math.max(CATCH_UP_MS, Math.floor(leaseMs / 3));
      try {
        let grant = await this.claim();
        // Below target because of a dead predecessor on this host (a worker restarted after a crash): free its share
        // now rather than when its lease runs out.
        const gone = (grant.others ?? []).filter((other) => isDeadLocalHolder(other, this.options.holder));
        if (gone.length > 0 && grant.perSecond + 1e-9 < grant.targetPerSecond && !this.stopped) {
          this.options.logger.info({ account: this.options.account, gone }, 'OVH rate share: freeing the share of a dead worker of this host');
          grant = await this.claim(gone);
        }
        if (grant.perSecond + 1e-9 < grant.targetPerSecond) nextMs = CATCH_UP_MS;
      } catch (error) {
        // The lease still holds until it runs out (then the bucket stops); asking again soon is all there is to do.
        this.options.logger.warn({ err: error, account: this.options.account }, 'could not renew the OVH rate share; retrying');
        nextMs = CATCH_UP_MS;
      }
      await this.sleep(nextMs);
    }
    this.holding = false;
  }

  private async claim(gone?: string[]): Promise<RateShareGrant> {
    const sentAt = performance.now();
    const demandPerSecond = Math.min(this.options.rateLimit.perSecond, this.demandPerSecond(sentAt));
    this.lastClaimAt = sentAt;
    const grant = await this.request(false, this.options.settings.leaseMs, gone, demandPerSecond);
    if (this.stopped) return grant;
    this.apply(grant.perSecond);
    this.holders = grant.holders;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => {
      this.options.logger.warn({ account: this.options.account, perSecond: this.share }, 'OVH rate share ran out unrenewed: no call until a share is granted again');
      this.apply(0);
    }, Math.max(0, sentAt + grant.leaseMs - performance.now()));
    this.expiryTimer.unref();
    if (grant.perSecond !== this.lastLogged) {
      this.lastLogged = grant.perSecond;
      this.options.logger.info({ account: this.options.account, perSecond: grant.perSecond, holders: grant.holders }, 'OVH rate share');
    }
    return grant;
  }

  private lastLogged = -1;
  private lastClaimAt = -Infinity;
  /** The last request said this process could use less than the whole limit. */
  private saidLittle = false;

  /**
   * What this process could use now: the whole limit when its callers were queued for tokens at least half the time
   * since the last measure (it would call faster with more), else the rate it called at, with headroom (half again,
   * and one call per second) so a growing load is seen before it waits.
   */
  private demandPerSecond(now: number): number {
    const limit = this.options.rateLimit.perSecond;
    if (this.lastClaimAt === -Infinity) return limit; // nothing measured yet: as much as any
    // A rate is measured over a second at least (a catch-up request comes sooner: it repeats the last figure).
    if ((now - this.markedAt) / 1000 < 1) return this.lastDemand;
    this.markedAt = now;
    const { taken, seconds, queuedShare } = this.bucket.demandSinceMark();
    // Callers queued most of the time: the share is what holds this process back, it could use more.
    if (queuedShare >= 0.5) return this.said(limit);
    return this.said(Math.min(limit, (taken / seconds) * 1.5 + 1));
  }

  private markedAt = performance.now();
  private lastDemand = Infinity;

  private said(demand: number): number {
    this.lastDemand = demand;
    this.saidLittle = demand < this.options.rateLimit.perSecond;
    return demand;
  }

  /** Stops calling first, then tells the workflow: the share is free for the others without any overlap. */
  private async release(): Promise<void> {
    const held = this.share;
    this.apply(0);
    clearTimeout(this.expiryTimer);
    try {
      await this.request(true, RELEASE_DEADLINE_MS);
    } catch (error) {
      // Its lease runs out on its own; the others wait for that instead.
      this.options.logger.info({ err: error, account: this.options.account, perSecond: held }, 'could not give the OVH rate share back; it lapses with its lease');
    }
  }

  private apply(perSecond: number): void {
    this.share = perSecond;
    this.bucket.setRate(perSecond, burstOfShare(perSecond));
  }

  /**
   * One Update, given up after `deadlineMs`: a renewal slower than the lease is of no use, and one that no worker
   * will ever process (this was the last worker of the queue, now stopping) must not hold up the stop.
   */
  private request(release: boolean, deadlineMs = this.options.settings.leaseMs, gone?: string[], demandPerSecond?: number): Promise<RateShareGrant> {
    const { client, taskQueue, account, holder, rateLimit, settings } = this.options;
    const update = client.workflow.executeUpdateWithStart(claimRateShare, {
      args: [
        {
          holder,
          limitPerSecond: rateLimit.perSecond,
          usingPerSecond: this.share,
          ...(release ? { release: true } : {}),
          ...(gone?.length ? { gone } : {}),
          ...(demandPerSecond !== undefined ? { demandPerSecond } : {}),
        },
      ],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof accountRateShares>(RATE_SHARES_WORKFLOW_TYPE, {
        workflowId: rateSharesWorkflowId(taskQueue, rateLimit.id),
        taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowTaskTimeout: RATE_SHARES_WORKFLOW_TASK_TIMEOUT_MS,
        args: [{ account, leaseMs: settings.leaseMs }],
      }),
    });
    // Our own deadline: the client keeps asking until the Update is accepted, however long that takes. An abandoned
    // request that is served later only makes the workflow count a share this process never uses (safe side).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to the rate share request within ${deadlineMs} ms`)), deadlineMs);
      timer.unref();
    });
    update.catch(() => undefined); // its failure after the deadline is of no interest
    return Promise.race([update, deadline]).finally(() => clearTimeout(timer));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  /**
   * Gives the share back (the worker is stopping); calls through this bucket are refused from now on. A renewal in
   * flight is not waited for (its answer is ignored), and a sole holder gives nothing back: there is no one to give
   * it to, and no worker may be left to process the request.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.bucket.onDemand = undefined;
    this.bucket.maxWaitWithoutRateMs = 0;
    this.wakeSleep?.();
    const held = this.share > 0;
    this.apply(0);
    clearTimeout(this.expiryTimer);
    if (held && this.holders > 1) await this.release();
  }
}

/**
 * A holder's name is `<worker identity>#<nonce>`, the identity `ovhflow-worker@<host>:<pid>` by default. Another
 * holder of this host is dead when its pid no longer runs, or when it is this very pid under another nonce (a
 * container restarted: its worker is pid 1 again). Holders of other hosts, or with identities of another shape, are
 * left to their leases.
 */
export function isDeadLocalHolder(other: string, me: string, host = hostname(), alive: (pid: number) => boolean = pidAlive): boolean {
  if (other === me) return false;
  const match = /^ovhflow-worker@(.+):(\d+)#[^#]+$/.exec(other);
  if (!match || match[1] !== host) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return !LIVE_HOLDERS_OF_THIS_PROCESS.has(other);
  return !alive(pid);
}

/** The holders this process runs now (several workers in one process — tests, `ovhflow dev` — each have one). */
const LIVE_HOLDERS_OF_THIS_PROCESS = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * One keeper per rate-limited set of credentials the worker has (two account names on the same credentials share a
 * bucket, so they share a keeper too).
 */
export function startRateShareKeepers(options: {
  client: Client;
  taskQueue: string;
  workerIdentity: string;
  accounts: ReadonlyArray<{ name: string; client: OvhClient }>;
  settings: RateShareSettings;
  logger: Logger;
}): { keepers: RateShareKeeper[]; stop(): Promise<void> } {
  const holder = `${options.workerIdentity}#${randomUUID().slice(0, 8)}`;
  LIVE_HOLDERS_OF_THIS_PROCESS.add(holder);
  const byId = new Map<string, RateShareKeeper>();
  for (const { name, client } of options.accounts) {
    const rateLimit = client.rateLimit;
    if (!rateLimit || byId.has(rateLimit.id)) continue;
    byId.set(
      rateLimit.id,
      new RateShareKeeper({ client: options.client, taskQueue: options.taskQueue, account: name, holder, rateLimit, settings: options.settings, logger: options.logger.child({ component: 'rate-share' }) }),
    );
  }
  const keepers = [...byId.values()];
  // Primed at once: a worker restarted after a crash has its share (or has freed its dead predecessor's) by the time
  // its first task arrives, instead of asking then. Unused, it is given back after `idleAfterMs`.
  for (const keeper of keepers) keeper.prime();
  return {
    keepers,
    stop: async () => {
      await Promise.all(keepers.map((keeper) => keeper.stop()));
      LIVE_HOLDERS_OF_THIS_PROCESS.delete(holder);
    },
  };
}
