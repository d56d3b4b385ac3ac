// The console's browser session and its CSRF tokens. A person proves they hold the API token once (the login form);
// the answer is an HttpOnly, SameSite=Strict cookie for /console only, holding an expiry, a random nonce and an HMAC
// of both keyed by the token — every API instance accepts it, and a changed token ends every session. Logout records
// the nonce as revoked (session-revocations.ts), so the cookie stops working before it expires. Each page's forms carry a CSRF token derived from the session (HMAC again), checked in constant time
// on every state-changing request, on top of SameSite=Strict and a same-origin check of the Origin header.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { readCookie, sessionCookie } from '../cookies.js';
import type { PublicOrigin } from '../public-origin.js';
import type { SessionRevocations } from '../session-revocations.js';

export const CONSOLE_SESSION_COOKIE = 'ovhflow_console';
export const CONSOLE_SESSION_SECONDS = 12 * 60 * 60;

export interface ConsoleSession {
  /** The value forms must send back as `_csrf`. */
  csrf: string;
  expiresAt: number;
  /** Random, per login: what logout revokes (the codec session started with it carries it too). */
  nonce: string;
}

export interface SessionOptions {
  revocations: SessionRevocations;
  origin: PublicOrigin;
}

export function consoleSessions(token: string, path: string, options: SessionOptions) {
  const mac = (purpose: string, payload: string) => createHmac('sha256', token).update(`ovhflow/console-${purpose}/v1:${payload}`).digest('base64url');
  const csrfOf = (value: string) => mac('csrf', value);

  const read = (request: FastifyRequest, now = Date.now()): ConsoleSession | undefined => {
    const value = readCookie(request.headers.cookie, CONSOLE_SESSION_COOKIE);
    const match = value ? /^((\d{1,12})\.([A-Za-z0-9_-]{22}))\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    if (!value || !match) return undefined;
    const expiresAt = Number(match[2]);
    if (expiresAt * 1000 <= now) return undefined;
    if (!sameText(match[4] as string, mac('session', match[1] as string))) return undefined;
    const nonce = match[3] as string;
    if (options.revocations.isRevoked(nonce)) return undefined;
    return { csrf: csrfOf(value), expiresAt, nonce };
  };

  return {
    /** A new session: the Set-Cookie value, and the CSRF token of the pages it will see. */
    issue(request: FastifyRequest, now = Date.now()): { cookie: string; session: ConsoleSession } {
      const expiresAt = Math.floor(now / 1000) + CONSOLE_SESSION_SECONDS;
      const nonce = randomBytes(16).toString('base64url');
      const payload = `${expiresAt}.${nonce}`;
      const value = `${payload}.${mac('session', payload)}`;
      return { cookie: cookie(value, CONSOLE_SESSION_SECONDS, path, options.origin.secure(request)), session: { csrf: csrfOf(value), expiresAt, nonce } };
    },

    /** Ends the request's session on the server too, and answers the Set-Cookie value that clears it in the browser. */
    end(request: FastifyRequest): { cookie: string; ended?: ConsoleSession } {
      const ended = read(request);
      if (ended) options.revocations.revoke(ended.nonce, ended.expiresAt);
      return { cookie: cookie('', 0, path, options.origin.secure(request)), ...(ended ? { ended } : {}) };
    },

    /** The request's session, if its cookie is genuine, not expired and not revoked. */
    read,

    /** Whether a form's `_csrf` field is the one this session's pages carry. */
    csrfMatches(session: ConsoleSession, presented: unknown): boolean {
      return typeof presented === 'string' && sameText(presented, session.csrf);
    },
  };
}

export type ConsoleSessions = ReturnType<typeof consoleSessions>;

/** Constant-time equality of two strings of any length (hashed first, so lengths do not leak either). */
function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHmac('sha256', 'ovhflow/compare').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function cookie(value: string, maxAge: number, path: string, secure: boolean): string {
  return sessionCookie(CONSOLE_SESSION_COOKIE, value, maxAge, path, secure);
}
