// One call to the simulated API, end to end, in the order the real platform works: route (404 / 405, or 501
// for a real operation the simulator does not simulate), rate limit (the account's own, or per application key),
// authentication (signed consumer key, or a service account's bearer token), IAM authorization of bearer calls
// against the operation's `iamActions`, injected faults, request validation against the schema, then the handler —
// every answer recorded in the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { accountHint, authenticate, authenticateBearer, bearerToken, identifyApplication, type Caller } from '../auth/authenticate.js';
import { identityUrn } from '../auth/service-accounts.js';
import type { SimulatorCore } from '../core.js';
import type { IamCheck } from '../hosting/handler-context.js';
import { handlerFor } from '../routes.js';
import type { OvhOperation } from '../schema/schema-types.js';
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

    const token = operation.noAuthentication ? undefined : bearerToken(request.headers);
    const wait = takeRateLimitToken(core, request, ip, token);
    if (wait > 0) throw gatewayErrors.tooManyRequests(wait);

    const caller: Caller = operation.noAuthentication
      ? identifyApplication(core, request.headers)
      : token
        ? authenticateBearer(core, token, core.now())
        : authenticate(core, { method, path: target.path, requestTarget: request.url ?? target.path, host, ip, headers: request.headers, rawBody }, core.now());
    const iam = caller.serviceAccount ? iamCheck(core, identityUrn(caller.serviceAccount)) : null;
    if (iam) authorizeByIam(operation, match.params, caller.account, iam);

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
    const result = handler({ core, now, ...params, application: caller.application, credential: caller.credential, host, account: caller.account, iam });

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

/** One token from the bucket this call is metered on: its account's when the account has its own limit, else its
 * application key's (or service account's, or IP's) under the global limit. */
function takeRateLimitToken(core: SimulatorCore, request: IncomingMessage, ip: string, token: string | undefined): number {
  const now = core.now();
  const account = accountHint(core, request.headers, now);
  const own = account ? core.accounts.accounts.get(account)?.rateLimit : null;
  if (own) return core.rateLimiter.take(`account:${account}`, now, own);
  const applicationKey = request.headers['x-ovh-application'];
  const serviceAccount = token ? core.serviceAccounts.lookupToken(token, now) : undefined;
  const key =
    typeof serviceAccount === 'object'
      ? `oauth2:${serviceAccount.clientId}`
      : typeof applicationKey === 'string' && applicationKey
        ? applicationKey
        : `ip:${ip}`;
  return core.rateLimiter.take(key, now);
}

function iamCheck(core: SimulatorCore, identity: string): IamCheck {
  return (action, resource) => core.serviceAccounts.isAllowed(identity, action, resource);
}

/** The resource an IAM action applies to: the account for `account:` actions, else the hosting or zone in the path.
 * List calls without one (`GET /hosting/web`, `GET /domain/zone`) are filtered by the handler instead. */
function authorizeByIam(operation: OvhOperation, params: Record<string, string>, account: string, iam: IamCheck): void {
  const missing: string[] = [];
  for (const action of operation.iamActions ?? []) {
    if (!action.required) continue;
    const resource = action.name.startsWith('account:')
      ? `urn:v1:eu:resource:account:${account}`
      : params.serviceName !== undefined
        ? `urn:v1:eu:resource:webHosting:${params.serviceName}`
        : params.zoneName !== undefined
          ? `urn:v1:eu:resource:dnsZone:${params.zoneName.toLowerCase()}`
          : null;
    if (resource !== null && !iam(action.name, resource)) missing.push(action.name);
  }
  if (missing.length > 0) throw apiErrors.notGrantedByIam(missing);
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
