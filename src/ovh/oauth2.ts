// OVH service accounts authenticate with OAuth2 client credentials: a client id and secret buy a bearer access token
// (about an hour), which signs every call instead of the application key + consumer key signature. The `ovh` 2.x
// package cannot do this. Why the grant is ours, behind the {@link AccessTokenSource} interface (swapping it touches
// this file alone): the official successor `@ovhcloud/node-ovh` 3.x would replace the whole API client for service
// accounts (the issue keeps classic accounts on `ovh`, and one request path keeps one error model); `simple-oauth2`
// 5.1 was tried and dropped: it deep-clones its HTTP options, so the HTTPS agent that trusts the endpoint's extra CA
// (the simulator's, endpoint.ts) breaks on its first reused socket ("Illegal invocation"); `openid-client` speaks
// fetch, which does not take that agent either. The client-credentials grant is one form POST (RFC 6749 §4.4); what
// matters is the policy here: one token shared by concurrent callers, refreshed before it expires, a refused client
// a permanent error — each proved in test/accounts/accounts-config.test.ts.
import https from 'node:https';
import { pinSecretValue } from '../logging/secret-values.js';
import { OvhApiError } from './errors.js';
import { NAMED_ENDPOINTS, type ResolvedEndpoint } from './endpoint.js';

export interface AccessTokenSource {
  /** A valid bearer token, fetched or refreshed when needed; concurrent callers share one fetch. */
  token(): Promise<string>;
  /** Forget the cached token (the API refused it): the next call fetches a new one. */
  invalidate(): void;
}

export interface ServiceAccountCredentials {
  clientId: string;
  clientSecret: string;
  /** Defaults to the endpoint's (www.ovh.com/auth/oauth2/token for ovh-eu; `<url host>/auth/oauth2/token` for a URL). */
  tokenUrl?: string;
}

/** OVH's token endpoints, by API endpoint (the API hosts do not serve them). */
const TOKEN_URLS: Record<keyof typeof NAMED_ENDPOINTS, string> = {
  'ovh-eu': 'https://www.ovh.com/auth/oauth2/token',
  'ovh-ca': 'https://ca.ovh.com/auth/oauth2/token',
  'ovh-us': 'https://us.ovhcloud.com/auth/oauth2/token',
};

export function tokenUrlOf(endpoint: string, resolved: ResolvedEndpoint): string {
  return TOKEN_URLS[endpoint as keyof typeof TOKEN_URLS] ?? `https://${resolved.host}:${resolved.port}/auth/oauth2/token`;
}

/** Refresh this long before the token expires, so no call goes out with a token about to lapse. */
const REFRESH_MARGIN_SECONDS = 60;

export class ClientCredentialsTokenSource implements AccessTokenSource {
  private cached?: { token: string; refreshAt: number };
  private pending?: Promise<string>;
  /** Un-pins the previous access token: it then ages out of the redaction registry like a run's secret. */
  private releaseToken = (): void => undefined;

  constructor(
    private readonly credentials: ServiceAccountCredentials & { tokenUrl: string },
    private readonly timeoutMs = 30_000,
  ) {}

  token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const call = { method: 'POST', path: '/auth/oauth2/token' };
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret, scope: 'all' }).toString();
    const { status, body } = await postForm(this.credentials.tokenUrl, form, this.timeoutMs).catch((error: Error & { code?: string }) => {
      throw new OvhApiError('network', call, error.code ? `${error.code}: ${error.message}` : error.message);
    });
    const answer = (body ?? {}) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (status === 200 && typeof answer.access_token === 'string') {
      const lifetime = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : 3600;
      // A short-lived token is refreshed at half its life rather than after it expired.
      const margin = Math.min(REFRESH_MARGIN_SECONDS, lifetime / 2);
      this.cached = { token: answer.access_token, refreshAt: Date.now() + (lifetime - margin) * 1000 };
      // A bearer token in a log line is a session anyone can use until it expires.
      const release = pinSecretValue(answer.access_token);
      this.releaseToken();
      this.releaseToken = release;
      return answer.access_token;
    }
    const reason = answer.error ? `${answer.error}${answer.error_description ? ` (${answer.error_description})` : ''}` : `HTTP ${status}`;
    if (status === 429 || status >= 500) throw new OvhApiError(status === 429 ? 'rateLimited' : 'serverError', call, `the OAuth2 token endpoint answered ${reason}`, status);
    // A refused client (wrong id or secret, disabled service account) never fixes itself: permanent.
    throw new OvhApiError('invalidCredentials', call, `the service account's OAuth2 token was refused: ${reason}; check its client id and secret`, status);
  }
}

function postForm(url: string, form: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form), Accept: 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let body: unknown = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = null;
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(form);
  });
}
