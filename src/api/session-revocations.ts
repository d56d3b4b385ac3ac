// Logging out ends a session on the server, not only in the browser: both session cookies (console/session.ts,
// codec-session.ts) carry a random nonce, and logout records the nonce here until the cookie would have expired
// anyway, so a copied cookie is refused from then on. The record lives in the memory of this API process: behind a
// load balancer with several API processes, a logout is enforced by the process that served it (and every process
// after a restart forgets it). What ends every session everywhere at once is a new OVHFLOW_API_TOKEN: the cookies'
// MACs are keyed by it (docs/security.md).

/** Far more sessions than people log out in 12 hours; past it, the oldest records go first. */
const MAX_REVOKED = 100_000;

export class SessionRevocations {
  /** nonce → when its cookie expires anyway (seconds since the epoch). Map order is insertion order. */
  private readonly revoked = new Map<string, number>();

  revoke(nonce: string, expiresAt: number, now = Date.now()): void {
    this.forgetExpired(now);
    this.revoked.set(nonce, expiresAt);
    while (this.revoked.size > MAX_REVOKED) {
      const oldest = this.revoked.keys().next().value;
      if (oldest === undefined) break;
      this.revoked.delete(oldest);
    }
  }

  isRevoked(nonce: string): boolean {
    return this.revoked.has(nonce);
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expiresAt] of this.revoked) {
      if (expiresAt * 1000 > now) continue;
      this.revoked.delete(nonce);
    }
  }
}
