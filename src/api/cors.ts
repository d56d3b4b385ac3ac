// CORS for the codec endpoint only: the Temporal UI runs in a browser on another origin (http://localhost:8233 by
// default) and calls /codec/decode with credentials, so it needs its exact origin echoed back, credentials allowed, and
// preflights answered for the headers it sends. No other route is meant for browsers, so none other gets CORS headers.
// A hook of a few lines rather than @fastify/cors: one path prefix, a fixed list of origins, nothing to configure.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './errors.js';

/** What the Temporal UI sends to a codec server (`Authorization` only when it passes an access token). */
export const CODEC_REQUEST_HEADERS = ['Authorization', 'Authorization-Extras', 'Content-Type', 'X-Namespace'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function installCodecCors(app: FastifyInstance, options: { prefix: string; origins: readonly string[] }): void {
  const allowed = new Set(options.origins);
  const allowedOrigin = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    return typeof origin === 'string' && allowed.has(origin) ? origin : undefined;
  };

  // Before authentication, so a 401 reaches the UI readable (a browser hides a response without CORS headers).
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith(`${options.prefix}/`)) return;
    reply.header('Vary', 'Origin');
    const origin = allowedOrigin(request);
    if (origin) reply.header('Access-Control-Allow-Origin', origin).header('Access-Control-Allow-Credentials', 'true');
  });

  app.options(`${options.prefix}/*`, { config: { public: true, hidden: true } }, async (request, reply) => {
    if (!allowedOrigin(request)) {
      const body: ErrorBody = {
        error: 'origin_not_allowed',
        message: `origin ${JSON.stringify(String(request.headers.origin ?? '(none)').slice(0, 100))} may not call the codec endpoint; allowed: ${[...allowed].join(', ')} (OVHFLOW_UI_ORIGIN)`,
      };
      return reply.status(403).send(body);
    }
    return reply
      .status(204)
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', CODEC_REQUEST_HEADERS.join(', '))
      .header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send();
  });
}
