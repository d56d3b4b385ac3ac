// The activity boundary: every OVH failure leaves an activity as an ApplicationFailure with a stable type.
// Permanent kinds are non-retryable (retrying a 400 never helps); transient ones are retried by the activity's
// retry policy, after OVH's `Retry-After` when it sent one.
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { OvhApiError, type OvhFailureKind } from '../ovh/errors.js';
import { FAILURE_TYPES, type FailureDetails } from '../shared/failures.js';

const TYPE_OF_KIND: Record<OvhFailureKind, string> = {
  badRequest: FAILURE_TYPES.badRequest,
  forbidden: FAILURE_TYPES.forbidden,
  invalidCredentials: FAILURE_TYPES.invalidCredentials,
  notFound: FAILURE_TYPES.notFound,
  conflict: FAILURE_TYPES.conflict,
  rateLimited: FAILURE_TYPES.rateLimited,
  serverError: FAILURE_TYPES.serverError,
  network: FAILURE_TYPES.network,
};

export function toActivityFailure(error: unknown): unknown {
  if (!(error instanceof OvhApiError)) return error;
  const details: FailureDetails = {
    ovhMessage: error.ovhMessage,
    queryId: error.queryId,
    httpStatus: error.httpStatus,
    call: `${error.call.method} ${error.call.path}`,
  };
  return ApplicationFailure.create({
    type: TYPE_OF_KIND[error.kind],
    message: error.message,
    nonRetryable: !error.transient,
    details: [details],
    ...(error.retryAfterSeconds !== undefined ? { nextRetryDelay: `${error.retryAfterSeconds}s` } : {}),
  });
}

/** Runs an OVH call, classifying its failure at the boundary. */
export async function ovhCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toActivityFailure(error);
  }
}

/** A permanent problem found by ovhflow itself (a conflict of settings, a precondition), not an HTTP error. */
export function permanentFailure(type: string, message: string, details: Partial<FailureDetails> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

/**
 * "Not yet": the OVH task (or the resource it works on) is still moving. Thrown to end one check of a wait, so the
 * activity's retry policy schedules the next with backoff. BENIGN, because it is how polling works, not a failure:
 * Temporal logs it at debug level and records no failure metric for it.
 */
export function stillPending(message: string, details?: { taskStatus?: string }, nextCheckInSeconds?: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPES.taskPending,
    message,
    nonRetryable: false,
    category: ApplicationFailureCategory.BENIGN,
    ...(details ? { details: [details] } : {}),
    ...(nextCheckInSeconds !== undefined ? { nextRetryDelay: `${Math.round(nextCheckInSeconds * 1000)}ms` } : {}),
  });
}
