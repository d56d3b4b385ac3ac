// Bearer-token authentication for every route but the public ones (health, the OpenAPI document, CORS preflights).
// The Temporal UI can also reach the codec endpoint with a cookie it got by presenting the token (see codec-session.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './errors.js';
import { tokenMatcher } from './token.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token. */
    public?: boolean;
    /** Also accepts the codec session cookie instead of the bearer token. */
    codecSession?: boolean;
    /** Left out of the OpenAPI document (alternate spellings of a documented route). */
    hidden?: boolean;
    /** The operator console: authenticated by its own session cookie and CSRF token (console/session.ts). */
    console?: boolean;
  }
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export interface AuthOptions {
  token: string;
  /** Whether a request carries a valid codec session cookie (only consulted on routes that accept one). */
  hasCodecSession?: (request: FastifyRequest) => boolean;
}

/** The token a request presents in `Authorization: Bearer …`, if any. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

export function installAuthentication(app: FastifyInstance, options: AuthOptions): { matches: (token: string) => boolean } {
  const matches = tokenMatcher(options.token);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public || config.console) return;
    const token = presentedToken(request);
    if (token !== undefined && matches(token)) return;
    if (token === undefined && config.codecSession && options.hasCodecSession?.(request)) return;
    // RFC 6750: no credentials → just the challenge; wrong credentials → error="invalid_token".
    const challenge = token === undefined && request.headers.authorization === undefined ? 'Bearer realm="ovhflow"' : 'Bearer realm="ovhflow", error="invalid_token"';
    const body: ErrorBody = {
      error: 'unauthorized',
      message:
        token === undefined
          ? 'this endpoint needs the API token: send "Authorization: Bearer <OVHFLOW_API_TOKEN>"'
          : 'the API token is not valid',
    };
    return reply.status(401).header('WWW-Authenticate', challenge).send(body);
  });
  return { matches };
}
