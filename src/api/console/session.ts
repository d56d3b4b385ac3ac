// The console's browser session and its CSRF tokens. A person proves they hold the API token once (the login form);
// the answer is an HttpOnly, SameSite=Strict cookie for /console only, holding an expiry, a random nonce and an HMAC
// of both keyed by the token — nothing stored server-side, every API instance accepts it, and a changed token ends
// every session. Each page's forms carry a CSRF token derived from the session (HMAC again), checked in constant time
// on every state-changing request, on top of SameSite=Strict and a same-origin check of the Origin header.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { readCookie, sessionCookie } from '../cookies.js';

export const CONSOLE_SESSION_COOKIE = 'ovhflow_console';
export const CONSOLE_SESSION_SECONDS = 12 * 60 * 60;

export interface ConsoleSession {
  /** The value forms must send back as `_csrf`. */
  csrf: string;
  expiresAt: number;
}

export function consoleSessions(token: string, path: string) {
  const mac = (purpose: string, payload: string) => createHmac('sha256', token).update(`ovhflow/console-${purpose}/v1:${payload}`).digest('base64url');
  const csrfOf = (value: string) => mac('csrf', value);

  return {
    /** A new session: the Set-Cookie value, and the CSRF token of the pages it will see. */
    issue(secure: boolean, now = Date.now()): { cookie: string; session: ConsoleSession } {
      const expiresAt = Math.floor(now / 1000) + CONSOLE_SESSION_SECONDS;
      const payload = `${expiresAt}.${randomBytes(16).toString('base64url')}`;
      const value = `${payload}.${mac('session', payload)}`;
      return { cookie: cookie(value, CONSOLE_SESSION_SECONDS, path, secure), session: { csrf: csrfOf(value), expiresAt } };
    },

    clear(secure: boolean): string {
      return cookie('', 0, path, secure);
    },

    /** The request's session, if its cookie is genuine and not expired. */
    read(request: FastifyRequest, now = Date.now()): ConsoleSession | undefined {
      const value = readCookie(request.headers.cookie, CONSOLE_SESSION_COOKIE);
      const match = value ? /^((\d{1,12})\.[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
      if (!value || !match) return undefined;
      const expiresAt = Number(match[2]);
      if (expiresAt * 1000 <= now) return undefined;
      if (!sameText(match[3] as string, mac('session', match[1] as string))) return undefined;
      return { csrf: csrfOf(value), expiresAt };
    },

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
