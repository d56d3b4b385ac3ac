// A browser session for the codec endpoint. The Temporal UI only sends an Authorization header when it has an OIDC
// access token (and only to an https endpoint), which a local `temporal server start-dev` UI never has; what it can do
// is send cookies ("Include cross-origin credentials"). So a person who holds the API token opens /codec/login once,
// presents the token, and gets an HttpOnly cookie that is good for the codec endpoint only, for a limited time.
// The cookie holds an expiry, a random nonce and an HMAC of both keyed by the token: a changed token ends every
// session, and logout revokes the nonce (session-revocations.ts). A console login starts a codec session with the
// console session's nonce, so the console's logout ends both (the browser never sends the /codec cookie to /console).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { readCookie, sessionCookie } from './cookies.js';
import type { PublicOrigin } from './public-origin.js';
import type { SessionRevocations } from './session-revocations.js';

export const CODEC_SESSION_COOKIE = 'ovhflow_codec';
export const CODEC_SESSION_SECONDS = 12 * 60 * 60;

export function codecSessions(token: string, path: string, options: { revocations: SessionRevocations; origin: PublicOrigin }) {
  const sign = (payload: string) => createHmac('sha256', token).update(`ovhflow/codec-session/v2:${payload}`).digest('base64url');
  const read = (request: FastifyRequest, now: number): { nonce: string; expiresAt: number } | undefined => {
    const value = readCookie(request.headers.cookie, CODEC_SESSION_COOKIE);
    const match = value ? /^((\d{1,12})\.([A-Za-z0-9_-]{22}))\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    if (!match) return undefined;
    const expiresAt = Number(match[2]);
    if (expiresAt * 1000 <= now) return undefined;
    if (!timingSafeEqual(Buffer.from(match[4] as string), Buffer.from(sign(match[1] as string)))) return undefined;
    const nonce = match[3] as string;
    return options.revocations.isRevoked(nonce) ? undefined : { nonce, expiresAt };
  };

  return {
    /** The Set-Cookie value for a new session (`nonce`: the console session's, when a console login starts it). */
    issue(request: FastifyRequest, nonce = randomBytes(16).toString('base64url'), now = Date.now()): string {
      const expiresAt = Math.floor(now / 1000) + CODEC_SESSION_SECONDS;
      const payload = `${expiresAt}.${nonce}`;
      return cookie(`${payload}.${sign(payload)}`, CODEC_SESSION_SECONDS, path, options.origin.secure(request));
    },

    /** Ends the request's session on the server too; answers the Set-Cookie value that clears it in the browser. */
    end(request: FastifyRequest, now = Date.now()): string {
      const ended = read(request, now);
      if (ended) options.revocations.revoke(ended.nonce, ended.expiresAt);
      return cookie('', 0, path, options.origin.secure(request));
    },

    /** The Set-Cookie value that clears the cookie in the browser (the console's logout revokes by nonce). */
    clear(request: FastifyRequest): string {
      return cookie('', 0, path, options.origin.secure(request));
    },

    isValid(request: FastifyRequest, now = Date.now()): boolean {
      return read(request, now) !== undefined;
    },
  };
}

function cookie(value: string, maxAge: number, path: string, secure: boolean): string {
  // SameSite=Strict still reaches the API from the UI: http://localhost:8233 and http://localhost:8080 are one site.
  return sessionCookie(CODEC_SESSION_COOKIE, value, maxAge, path, secure);
}

/** The page a person opens in the browser that runs the Temporal UI, to start a codec session. */
export function codecLoginPage(sessionPath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ovhflow codec login</title>
<style>body{font:15px system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}input{width:100%;padding:.4rem;font:inherit}button{margin-top:.6rem;padding:.4rem 1rem;font:inherit}#out{margin-top:1rem}</style>
</head><body>
<h1>Decode ovhflow payloads in the Temporal UI</h1>
<p>Paste the API token (<code>OVHFLOW_API_TOKEN</code>). This browser then keeps a cookie, valid ${CODEC_SESSION_SECONDS / 3600} hours and only
for the codec endpoint. The Temporal UI of <code>npm start</code> needs nothing more (the operator console's login does the same);
a Temporal UI at another origin also needs <em>Include cross-origin credentials</em> in its codec settings.</p>
<form id="login"><input id="token" type="password" autocomplete="off" placeholder="API token" required><button>Start session</button></form>
<p id="out"></p>
<script>
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = document.getElementById('out');
  const token = document.getElementById('token').value.trim();
  const answer = await fetch(${JSON.stringify(sessionPath)}, { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
  out.textContent = answer.ok ? 'Session started: reload the Temporal UI.' : 'Refused: ' + ((await answer.json()).message || answer.status);
});
</script>
</body></html>
`;
}
