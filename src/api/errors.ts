// Every answer that is not a success is one JSON object, `{ error, message }` (plus `issues` for invalid input), with
// a stable `error` code clients can branch on. Internal details stay in the log, under the request id.
import { isGrpcServiceError } from '@temporalio/client';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DecisionNotTakenError, DecisionRejectedError, UnknownRunError } from '../runs/service.js';
import { UnknownAccountError } from '../shared/accounts.js';
import type { InputIssue } from '../shared/inputs/index.js';

export interface ErrorBody {
  error: string;
  message: string;
  issues?: InputIssue[];
  requestId?: string;
}

/** A refusal with its HTTP status; thrown by handlers and turned into an {@link ErrorBody} by the error handler. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: InputIssue[],
  ) {
    super(message);
  }
}

export function invalidInput(issues: InputIssue[], message = 'invalid input, nothing was started'): ApiError {
  return new ApiError(400, 'invalid_input', message, issues);
}

/** gRPC status codes meaning the Temporal server could not be reached or did not answer in time. */
const TEMPORAL_UNAVAILABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

function toAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) {
    return { status: error.statusCode, body: { error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
  }
  if (error instanceof UnknownRunError) return { status: 404, body: { error: 'run_not_found', message: error.message } };
  if (error instanceof UnknownAccountError) return { status: 400, body: { error: 'unknown_account', message: error.message.replace(/^--account: /, 'account: ') } };
  if (error instanceof DecisionRejectedError) return { status: 409, body: { error: 'decision_rejected', message: error.message } };
  if (error instanceof DecisionNotTakenError) return { status: 504, body: { error: 'decision_not_taken', message: error.message } };
  if (isGrpcServiceError(error) && TEMPORAL_UNAVAILABLE.has(error.code)) {
    return { status: 503, body: { error: 'temporal_unavailable', message: 'the Temporal server is not reachable; try again shortly' } };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own refusals (body too large, malformed JSON, wrong content type): its messages are safe to show.
    const code =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'payload_too_large'
        : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : status === 400
            ? 'invalid_json'
            : 'bad_request';
    const message =
      code === 'payload_too_large'
        ? 'the request body is larger than this endpoint accepts'
        : code === 'unsupported_media_type'
          ? 'send the body as application/json'
          : (fastifyError.message ?? 'bad request');
    return { status, body: { error: code, message } };
  }
  return { status: 500, body: { error: 'internal_error', message: 'something went wrong on our side; the request id is in the logs' } };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toAnswer(error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      body.requestId = request.id;
    } else {
      request.log.info({ status, error: body.error }, body.message);
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'not_found', message: `no endpoint ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}; see GET /v1/openapi.json` } satisfies ErrorBody),
  );
}
