// The OAuth2 token endpoint of service accounts. On OVH it is `https://www.ovh.com/auth/oauth2/token` (EU), outside
// the API host; the simulator serves it at `/auth/oauth2/token` on its own host. Client credentials grant only, as
// OVH: form-encoded `grant_type=client_credentials`, the client's id and secret in the form or in HTTP Basic
// authentication, `scope=all`. Answers `{access_token, token_type: "Bearer", expires_in, scope}`; errors are
// RFC 6749's (`{error, error_description}`).
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorCore } from '../core.js';

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** What the request log keeps of the form (the client secret masked by the log). */
  recorded: Record<string, string>;
}

function failure(status: number, error: string, description: string, recorded: Record<string, string>, headers: Record<string, string> = {}): TokenAnswer {
  return { status, body: { error, error_description: description }, headers: { 'Cache-Control': 'no-store', ...headers }, recorded };
}

export function oauth2Token(core: SimulatorCore, method: string, headers: IncomingHttpHeaders, rawBody: string): TokenAnswer {
  const form = Object.fromEntries(new URLSearchParams(rawBody));
  const recorded = { ...form };
  if (method !== 'POST') return failure(405, 'invalid_request', 'The token endpoint takes POST only', recorded, { Allow: 'POST' });

  let clientId = form.client_id;
  let clientSecret = form.client_secret;
  const basic = /^Basic\s+(\S+)$/i.exec(String(headers.authorization ?? ''));
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!form.grant_type) return failure(400, 'invalid_request', 'Missing grant_type', recorded);
  if (form.grant_type !== 'client_credentials') return failure(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported', recorded);
  if (form.scope !== undefined && form.scope !== 'all') return failure(400, 'invalid_scope', 'The only scope is all', recorded);
  if (!clientId || !clientSecret) return failure(400, 'invalid_request', 'Missing client credentials', recorded);

  const serviceAccount = core.serviceAccounts.authenticateClient(clientId, clientSecret);
  if (!serviceAccount) {
    return failure(401, 'invalid_client', 'Client authentication failed', recorded, basic ? { 'WWW-Authenticate': 'Basic realm="ovh"' } : {});
  }
  const ttl = core.config.oauth2TokenTtlSec;
  const issued = core.serviceAccounts.issueToken(serviceAccount, core.now(), ttl);
  return {
    status: 200,
    body: { access_token: issued.token, token_type: 'Bearer', expires_in: ttl, scope: 'all' },
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    recorded,
  };
}
