/**
 * A token bucket shared by every call made with one consumer key in this process, so ovhflow stays under OVH's
 * rate limit instead of discovering it through 429s. Across processes, the account's limit is shared out by
 * rate-share-keeper.ts, which sets this bucket's rate to the process's share (`setRate`): this bucket stays the one
 * place where a call waits.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;
  /** Since the last `demandSinceMark()`: tokens taken, and how long callers were queued (ms). */
  private taken = 0;
  private queuedMs = 0;
  private queuedSince: number | undefined;
  private markedAt = performance.now();
  /** Wakes the caller sleeping for a token when the rate changes (a share granted, withdrawn, or resized). */
  private wakeSleeper: (() => void) | undefined;
  /** Called on every `take()`: a shared limit learns that this process wants calls (and holds a share while it does). */
  onDemand: (() => void) | undefined;
  /**
   * How long a caller may wait while the rate is 0 before it is refused ({@link NoRateShareError}): with a shared
   * limit, no share could be had (Temporal unreachable, or no worker left to run the share workflow, as when the
   * last worker stops). Refused, the call fails as rate-limited and its activity retries later, instead of hanging.
   */
  maxWaitWithoutRateMs: number | undefined;

  constructor(
    private perSecond: number,
    private burst: number = Math.max(1, Math.ceil(perSecond)),
    /** A shared bucket starts empty: it may call only once a share is granted. */
    initialTokens: number = burst,
  ) {
    this.tokens = Math.min(burst, initialTokens);
  }

  get ratePerSecond(): number {
    return this.perSecond;
  }

  /**
   * What callers asked of this bucket since the last call (which starts a new count): the tokens taken, and whether
   * any caller had to wait for one (then it could have used more). A shared limit sizes this process's share by it.
   */
  demandSinceMark(): { taken: number; seconds: number; queuedShare: number } {
    const now = performance.now();
    const queuedMs = this.queuedMs + (this.queuedSince === undefined ? 0 : now - this.queuedSince);
    const seconds = Math.max(1e-3, (now - this.markedAt) / 1000);
    const demand = { taken: this.taken, seconds, queuedShare: Math.min(1, queuedMs / 1000 / seconds) };
    this.taken = 0;
    this.queuedMs = 0;
    if (this.queuedSince !== undefined) this.queuedSince = now;
    this.markedAt = now;
    return demand;
  }

  /** Whether callers are waiting for a token now. */
  get hasWaiters(): boolean {
    return this.waiting > 0;
  }

  /**
   * From now on, `perSecond` (0: no call until the next change). Tokens saved at the old rate are kept only up to the
   * new burst, so a shrinking share cannot be spent at the old size.
   */
  setRate(perSecond: number, burst: number): void {
    this.refill(Date.now());
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, perSecond > 0 ? burst : 0);
    this.wakeSleeper?.();
  }

  /** Resolves when the caller may make one call; callers are served in order. */
  take(): Promise<void> {
    this.onDemand?.();
    this.waiting += 1;
    const turn = this.queue
      .then(() => this.waitForToken())
      .finally(() => {
        this.waiting -= 1;
        if (this.waiting === 0 && this.queuedSince !== undefined) {
          this.queuedMs += performance.now() - this.queuedSince;
          this.queuedSince = undefined;
        }
      });
    // A refused caller (NoRateShareError) must not refuse the ones queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private async waitForToken(): Promise<void> {
    let zeroSince: number | undefined;
    for (;;) {
      this.refill(Date.now());
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.taken += 1;
        return;
      }
      // A caller waits for a token: the bucket is the bottleneck from now until no caller is left.
      this.queuedSince ??= performance.now();
      // At rate 0 only a rate change can help; otherwise sleep until the next token, or until the rate changes.
      let sleepMs: number | undefined;
      if (this.perSecond > 0) {
        zeroSince = undefined;
        sleepMs = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
      } else if (this.maxWaitWithoutRateMs !== undefined) {
        zeroSince ??= Date.now();
        const left = zeroSince + this.maxWaitWithoutRateMs - Date.now();
        if (left <= 0) throw new NoRateShareError(this.maxWaitWithoutRateMs);
        sleepMs = left;
      }
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          clearTimeout(timer);
          this.wakeSleeper = undefined;
          resolve();
        };
        if (sleepMs !== undefined) timer = setTimeout(done, sleepMs);
        this.wakeSleeper = done;
      });
    }
  }
}


export class NoRateShareError extends Error {
  override name = 'NoRateShareError';
  constructor(readonly waitedMs: number) {
    super(`no share of the account's OVH rate limit could be had for ${Math.round(waitedMs / 1000)} s`);
  }
}
