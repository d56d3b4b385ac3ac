// The simulator's HTTPS request listener: every answer gets an X-Ovh-QueryId, then the request goes to its area —
// the API under /1.0 (or /v1), the schema documents (`/1.0/hosting/web.json`), the admin API (`/_sim`), the
// consumer-key validation page (`/auth/`), the service accounts' OAuth2 token endpoint (`/auth/oauth2/token`) or a
// dump download (`/dumps/`).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { handleAdminRequest, type AdminHooks } from '../admin/admin-api.js';
import { oauth2Token } from '../auth/oauth2-token.js';
import { validationPage } from '../auth/validation-page.js';
import type { SimulatorCore } from '../core.js';
import { dumpDownload } from './dump-download.js';
import { handleApiRequest } from './handle-api-request.js';
import { apiErrors } from './ovh-errors.js';
import { PathRouter } from './path-router.js';
import { newQueryId } from './query-id.js';
import { BodyTooLarge, readBody } from './read-body.js';
import { maskSecrets } from './request-log.js';
import { parseRequestTarget } from './request-target.js';
import { sendError, sendJson, sendText } from './respond.js';

export interface ListenerOptions {
  logger?: Logger;
  hooks?: AdminHooks;
}

export function createRequestListener(core: SimulatorCore, options: ListenerOptions = {}): RequestListener {
  const templates = [...core.schema.realOperations, ...core.schema.operations.keys()].map((key) => key.slice(key.indexOf(' ') + 1));
  const router = new PathRouter(templates);
  return (request, response) => {
    dispatch(core, router, request, response, options).catch((error: unknown) => {
      options.logger?.error({ err: error, url: request.url }, 'simulator request failed');
      if (!response.headersSent) sendJson(response, 500, { class: 'Server::InternalServerError', message: 'Internal server error' });
      else response.destroy();
    });
  };
}

async function dispatch(core: SimulatorCore, router: PathRouter, request: IncomingMessage, response: ServerResponse, options: ListenerOptions): Promise<void> {
  const queryId = newQueryId(core.now());
  response.setHeader('X-Ovh-QueryId', queryId);
  let rawBody: string;
  try {
    rawBody = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendError(response, apiErrors.payloadTooLarge());
    throw error;
  }
  const target = parseRequestTarget(request.url ?? '/');
  if (!target) return sendError(response, apiErrors.badRequest('Malformed URL'));
  const method = (request.method ?? 'GET').toUpperCase();

  switch (target.area) {
    case 'api':
      return handleApiRequest(core, router, { request, response, target, rawBody, queryId }, options.logger);
    case 'schema': {
      // OVH serves /domain/zone within /domain.json: the extract is served at both paths.
      const document = core.schema.documents.find(
        (candidate) => `${candidate.resourcePath}.json` === target.path || (candidate.resourcePath === '/domain/zone' && target.path === '/domain.json'),
      );
      if (!document || method !== 'GET') return sendError(response, apiErrors.invalidUrl());
      const without = new Set(core.config.schemaWithout);
      if (without.size === 0) return sendJson(response, 200, document);
      const apis = document.apis
        .map((api) => ({ ...api, operations: api.operations.filter((operation) => !without.has(`${operation.httpMethod} ${api.path}`)) }))
        .filter((api) => api.operations.length > 0);
      return sendJson(response, 200, { ...document, apis });
    }
    case 'admin': {
      let body: unknown;
      try {
        body = rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
      } catch {
        return sendJson(response, 400, { error: 'the body must be JSON' });
      }
      const answer = handleAdminRequest(
        core,
        { method, segments: target.segments.slice(1), body, remoteAddress: request.socket.remoteAddress ?? '', headers: request.headers },
        options.hooks,
      );
      return sendJson(response, answer.status, answer.body);
    }
    case 'validation': {
      const fields = { ...target.query, ...formFields(request, rawBody) };
      const page = validationPage(core, method, fields);
      return sendText(response, page.status, page.contentType, page.body, page.headers);
    }
    case 'oauth2': {
      const answer = oauth2Token(core, method, request.headers, rawBody);
      core.requests.add({
        method,
        path: target.path,
        operation: null,
        query: target.query,
        body: maskSecrets(answer.recorded),
        status: answer.status,
        queryId,
        at: new Date(core.now()).toISOString(),
      });
      return sendJson(response, answer.status, answer.body, answer.headers);
    }
    case 'dumps': {
      const file = dumpDownload(core, target.segments);
      return sendText(response, file.status, file.contentType, file.body);
    }
    default:
      return sendError(response, apiErrors.invalidUrl());
  }
}

/** A posted HTML form (urlencoded) or a JSON object, as flat string fields. */
function formFields(request: IncomingMessage, rawBody: string): Record<string, string> {
  if (rawBody.trim() === '') return {};
  if ((request.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const parsed = JSON.parse(rawBody) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(rawBody));
}
