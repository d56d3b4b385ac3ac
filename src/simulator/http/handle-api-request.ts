// One call to the simulated API, end to end, in the order the real platform works: route (404 / 405, or 501
// for a real operation the simulator does not simulate), rate limit, authentication, injected faults, request
// validation against the schema, then the handler — every answer recorded in the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { authenticate, identifyApplication, type Caller } from '../auth/authenticate.js';
import type { SimulatorCore } from '../core.js';
import { handlerFor } from '../routes.js';
import { validateRequest } from '../schema/validate-request.js';
import { apiErrors, gatewayErrors } from './ovh-errors.js';
import type { PathRouter } from './path-router.js';
import { maskSecrets } from './request-log.js';
import type { RequestTarget } from './request-target.js';
import { isOvhError, resetConnection, sendError, sendJson } from './respond.js';

export interface ApiCall {
  request: IncomingMessage;
  response: ServerResponse;
  target: RequestTarget;
  rawBody: string;
  queryId: string;
}

export async function handleApiRequest(core: SimulatorCore, router: PathRouter, call: ApiCall, logger?: Logger): Promise<void> {
  const { request, response, target, rawBody, queryId } = call;
  const method = (request.method ?? 'GET').toUpperCase();
  const host = request.headers.host ?? '127.0.0.1';
  const ip = request.socket.remoteAddress ?? '';
  let status = 0;
  let fault: string | undefined;
  let operationKey: string | null = null;
  let body: unknown = undefined;
  try {
    const match = router.match(target.segments);
    if (!match) throw apiErrors.invalidUrl();
    const key = `${method} ${match.template}`;
    const operation = core.schema.operations.get(key);
    const handler = handlerFor(key);
    if (!operation || !handler) {
      if (core.schema.realOperations.has(key)) throw apiErrors.notSimulated(key);
      throw apiErrors.methodNotAllowed(method);
    }
    operationKey = key;

    const applicationKey = request.headers['x-ovh-application'];
    const wait = core.rateLimiter.take(typeof applicationKey === 'string' && applicationKey ? applicationKey : `ip:${ip}`, core.now());
    if (wait > 0) throw gatewayErrors.tooManyRequests(wait);

    const caller: Caller = operation.noAuthentication
      ? identifyApplication(core, request.headers)
      : authenticate(core, { method, path: target.path, requestTarget: request.url ?? target.path, host, ip, headers: request.headers, rawBody }, core.now());

    const injected = core.faults.forRequest(method, target.path);
    if (injected && injected.latencyMs > 0) await delay(injected.latencyMs);
    if (injected?.status !== undefined) {
      fault = 'status';
      const error = apiErrors.injected(injected.status);
      if (injected.status === 429 || injected.status === 503) error.headers['Retry-After'] = '1';
      throw error;
    }
    if (injected?.reset === 'before') {
      fault = 'reset-before';
      body = parseBodyQuietly(rawBody);
      resetConnection(response);
      return;
    }

    body = parseBody(rawBody);
    const params = validateRequest(operation, core.schema.models, { path: match.params, query: target.query, body });
    const now = core.now();
    core.settle(now);
    const result = handler({ core, now, ...params, application: caller.application, credential: caller.credential, host });

    if (injected?.reset === 'after') {
      fault = 'reset-after';
      resetConnection(response);
      return;
    }
    status = 200;
    sendJson(response, 200, result);
  } catch (error) {
    if (isOvhError(error)) {
      status = error.status;
      sendError(response, error);
    } else {
      status = 500;
      logger?.error({ err: error, method, path: target.path, queryId }, 'simulator handler failed');
      sendJson(response, 500, { class: 'Server::InternalServerError', message: 'Internal server error' });
    }
    if (body === undefined) body = parseBodyQuietly(rawBody);
  } finally {
    core.requests.add({
      method,
      path: target.path,
      operation: operationKey,
      query: target.query,
      body: body === undefined ? null : maskSecrets(body),
      status,
      queryId,
      at: new Date(core.now()).toISOString(),
      ...(fault ? { fault } : {}),
    });
    logger?.debug({ method, path: target.path, status, queryId, fault }, 'simulated api call');
  }
}

function parseBody(rawBody: string): unknown {
  if (rawBody.trim() === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    throw apiErrors.badRequest('[body] The request body is not valid JSON');
  }
}

function parseBodyQuietly(rawBody: string): unknown {
  try {
    return parseBody(rawBody);
  } catch {
    return undefined;
  }
}
