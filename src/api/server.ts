// The HTTP API: a factory over a run service and the keyring, returning a fastify instance that tests drive with
// `inject` or a real port and `ovhflow api` listens with. It starts runs, shows them, takes operator decisions, and
// serves Temporal's codec protocol so the Temporal UI can show encrypted payloads to people holding the token.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Keyring } from '../codec/keyring.js';
import type { Logger } from '../logging/logger.js';
import { pinSecretValue } from '../logging/secret-values.js';
import type { RunService } from '../runs/service.js';
import { installAuthentication } from './auth.js';
import { codecSessions } from './codec-session.js';
import { CONSOLE_PREFIX, registerConsole } from './console/routes.js';
import { consoleSessions, type ConsoleSessions } from './console/session.js';
import { installCodecCors } from './cors.js';
import { installErrorHandling, type ErrorBody } from './errors.js';
import { buildOpenApiDocument, recordRoutes } from './openapi.js';
import { HSTS, publicOrigin } from './public-origin.js';
import { SessionRevocations } from './session-revocations.js';
import { DEFAULT_CODEC_BODY_LIMIT, registerCodecRoutes } from './routes/codec.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerDnsRoutes } from './routes/dns.js';
import { registerDoctorRoutes } from './routes/doctor.js';
import { registerScheduleRoutes } from './routes/schedules.js';
import { registerStartRoutes } from './routes/starts.js';
import { registerFtpUserRoutes } from './routes/ftp-users.js';
import { registerInventoryRoutes } from './routes/inventory.js';
import { registerPlanRoutes } from './routes/plans.js';
import { registerApplyRoutes } from './routes/applies.js';
import { registerDriftRoutes } from './routes/drift.js';

/** Generous for any real input (a custom certificate with its chain is the biggest), small enough to refuse junk. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;
export const DEFAULT_UI_ORIGINS = ['http://localhost:8233'];
const CODEC_PREFIX = '/codec';

export interface ApiServerOptions {
  runs: RunService;
  keyring: Keyring;
  /** The bearer token every call but /healthz and the OpenAPI document must present. */
  token: string;
  logger: Logger;
  /** Bytes; larger request bodies are refused with 413. */
  bodyLimit?: number;
  /** Bytes, for the codec endpoint, whose batches of payloads are legitimately bigger. */
  codecBodyLimit?: number;
  /** Browser origins (the Temporal UI) allowed to call the codec endpoint. */
  uiOrigins?: readonly string[];
  /** The Temporal UI's address, linked from the console (default: the first UI origin). */
  temporalUi?: string;
  /** OVHFLOW_PUBLIC_URL: the origin people open (behind a TLS-terminating proxy); see public-origin.ts. */
  publicUrl?: string;
}

export function createApiServer(options: ApiServerOptions): FastifyInstance {
  // The empty string would be a valid login (a truncated token file, a variable set to nothing).
  if (options.token.length === 0) throw new Error('the API token is empty: refusing to serve an API anyone can call');
  const releaseToken = redactTokenInLogs(options.token);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const origin = publicOrigin(options.publicUrl);
  const revocations = new SessionRevocations();
  const consoleSessionsOf = consoleSessions(options.token, CONSOLE_PREFIX, { revocations, origin });
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'api' }, { serializers: { req: requestForLog } }),
    bodyLimit,
    genReqId: () => randomUUID(),
    logController: new QuietConsoleRefreshes(consoleSessionsOf),
    // Ids contain slashes and dots; a long but bounded parameter is fine.
    routerOptions: { maxParamLength: 1000 },
    // A URL the router cannot even decode (bad percent-encoding) never reaches the error handler: same answer shape.
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (malformed percent-encoding)' : 'bad request';
      const body: ErrorBody = { error: 'bad_request', message };
      void (reply as FastifyReply).status(status).send(body);
    },
  }) as unknown as FastifyInstance;

  // Request bodies are validated by the shared parse functions (the CLI's messages, field by field), not by fastify
  // from the route schemas, which are there to document; answers are serialized as they are, not trimmed to a schema.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only: a text/plain body would reach the parsers as a string and fail with a less helpful message.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (origin.hsts) reply.header('Strict-Transport-Security', HSTS);
    reply.header('Cache-Control', reply.getHeader('Cache-Control') ?? 'no-store');
  });

  app.addHook('onClose', async () => releaseToken());
  const operations = recordRoutes(app);
  installErrorHandling(app);
  const sessions = codecSessions(options.token, CODEC_PREFIX, { revocations, origin });
  installCodecCors(app, { prefix: CODEC_PREFIX, origins: options.uiOrigins ?? DEFAULT_UI_ORIGINS });
  installAuthentication(app, { token: options.token, hasCodecSession: (request) => sessions.isValid(request) });

  app.get(
    '/healthz',
    { config: { public: true }, schema: { tags: ['service'], summary: 'Liveness: the API process answers', security: [], response: { 200: { type: 'object', properties: { status: { const: 'ok' } } } } } },
    async () => ({ status: 'ok' }),
  );
  // Every browser asks for it on its own, without the token: an answer, not a 401 in the console's logs and devtools.
  app.get('/favicon.ico', { config: { public: true, hidden: true } }, async (_request, reply) => reply.header('Cache-Control', 'max-age=86400').status(204).send());
  registerStartRoutes(app, { runs: options.runs });
  registerRunRoutes(app, { runs: options.runs });
  registerScheduleRoutes(app, { runs: options.runs });
  registerDnsRoutes(app, { runs: options.runs });
  registerDoctorRoutes(app, { runs: options.runs });
  registerFtpUserRoutes(app, { runs: options.runs });
  registerInventoryRoutes(app, { runs: options.runs });
  registerPlanRoutes(app, { runs: options.runs });
  registerApplyRoutes(app, { runs: options.runs });
  registerDriftRoutes(app, { runs: options.runs });
  registerCodecRoutes(app, {
    keyring: options.keyring,
    prefix: CODEC_PREFIX,
    bodyLimit: Math.max(options.codecBodyLimit ?? DEFAULT_CODEC_BODY_LIMIT, bodyLimit),
    sessions,
  });

  registerConsole(app, {
    runs: options.runs,
    token: options.token,
    sessions: consoleSessionsOf,
    origin,
    codecSessions: sessions,
    temporalUi: options.temporalUi ?? (options.uiOrigins ?? DEFAULT_UI_ORIGINS)[0],
  });

  let document: Record<string, unknown> | undefined;
  app.get(
    '/v1/openapi.json',
    { config: { public: true }, schema: { tags: ['service'], summary: 'This document (OpenAPI 3.1)', security: [], response: { 200: { type: 'object', description: 'OpenAPI 3.1 document' } } } },
    async () => (document ??= buildOpenApiDocument(operations(), { version: packageVersion() })),
  );
  return app;
}

/**
 * An open console page refreshes itself every couple of seconds (X-Console-Live): routine, not worth two log lines
 * each. Only that is quiet — a GET of a console page with a genuine, live session that is answered without error.
 * Anyone can send the header: a request without such a session, or one that ends in a refusal or an error, is logged
 * like any other (the refusal with the request it answers).
 */
class QuietConsoleRefreshes extends LogController {
  private readonly quiet = new WeakMap<FastifyRequest, boolean>();

  constructor(private readonly sessions: ConsoleSessions) {
    super();
  }

  private isRoutineRefresh(request: FastifyRequest): boolean {
    let quiet = this.quiet.get(request);
    if (quiet === undefined) {
      const path = request.url.split('?')[0] ?? '';
      quiet =
        request.headers['x-console-live'] === '1' &&
        request.method === 'GET' &&
        (path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`)) &&
        this.sessions.read(request) !== undefined;
      this.quiet.set(request, quiet);
    }
    return quiet;
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (!this.isRoutineRefresh(request)) super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (this.isRoutineRefresh(request)) {
      if (!error && reply.statusCode < 400) return;
      super.incomingRequest(request, reply, metadata);
    }
    super.requestCompleted(error, request, reply, metadata);
  }
}

/**
 * What a request log line says about the request: enough to follow a caller (the UI's namespace, the client), never
 * a credential — the Authorization header and cookies are marked present and redacted, whatever the logger's paths.
 */
function requestForLog(request: FastifyRequest) {
  const headers = request.headers;
  const redacted = (value: unknown) => (value === undefined ? undefined : '[redacted]');
  return {
    method: request.method,
    url: request.url,
    remoteAddress: request.ip,
    headers: {
      authorization: redacted(headers.authorization),
      cookie: redacted(headers.cookie),
      'content-length': headers['content-length'],
      'user-agent': headers['user-agent'],
      'x-namespace': headers['x-namespace'],
      origin: headers.origin,
    },
  };
}

/**
 * The token must never reach a log, wherever a client puts it: a header is redacted by path, but a token pasted into a
 * query string (`/v1/runs?token=…`, refused with 401) lands in the logged URL. So it is redacted by value, as it is and
 * percent-encoded (upper- and lowercase hex), like every other secret (logging/secret-values.ts).
 */
function redactTokenInLogs(token: string): () => void {
  const encoded = encodeURIComponent(token);
  const forms = new Set([token, encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), encoded.replace(/%20/g, '+')]);
  // Pinned: the token lives as long as the server, however many run secrets a long `ovhflow dev` registers after it.
  const releases = [...forms].map((form) => pinSecretValue(form));
  return () => releases.forEach((release) => release());
}

/** The project's version, from source (src/api) or from the build (dist/src/api). */
function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'ovhflow' && parsed.version) return parsed.version;
    } catch {
      // not there: try the next place
    }
  }
  return '0.0.0';
}
