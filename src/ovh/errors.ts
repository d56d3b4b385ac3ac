// Every failure of an OVH call is classified once, here, into a stable kind. Activities turn the kind into a
// Temporal failure type; workflows branch on that type, never on message text.

export type OvhFailureKind =
  | 'badRequest'
  | 'forbidden'
  | 'invalidCredentials'
  | 'notFound'
  | 'conflict'
  | 'rateLimited'
  | 'serverError'
  | 'network';

/** Kinds a retry can fix by itself. */
export const TRANSIENT_KINDS: ReadonlySet<OvhFailureKind> = new Set(['rateLimited', 'serverError', 'network']);

export interface OvhCallContext {
  method: string;
  path: string;
}

export class OvhApiError extends Error {
  override name = 'OvhApiError';
  constructor(
    readonly kind: OvhFailureKind,
    readonly call: OvhCallContext,
    /** OVH's own message, as it sent it (or the network error's). */
    readonly ovhMessage: string,
    readonly httpStatus?: number,
    readonly queryId?: string,
    /** From `Retry-After`, when OVH sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(
      `${call.method} ${call.path} failed: ${httpStatus ? `HTTP ${httpStatus}` : 'network error'} ${kind}: ${ovhMessage}` +
        (queryId ? ` (query id ${queryId})` : ''),
    );
  }

  get transient(): boolean {
    return TRANSIENT_KINDS.has(this.kind);
  }
}

const NETWORK_CODES = /^(E[A-Z]+|ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN)$/;

/** The official client rejects with `{ error, message }`: `error` is an HTTP status, an errno, or a string. */
export function classifyOvhRejection(
  rejection: unknown,
  call: OvhCallContext,
  response?: { queryId?: string; retryAfterSeconds?: number },
): OvhApiError {
  const { error, message } = (rejection ?? {}) as { error?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : undefined;
  if (typeof error === 'number' && error >= 100) {
    return new OvhApiError(kindOfStatus(error, text), call, text ?? `HTTP ${error}`, error, response?.queryId, response?.retryAfterSeconds);
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return new OvhApiError('network', call, code ? `${code}: ${error.message}` : error.message);
  }
  if (typeof error === 'string' && NETWORK_CODES.test(error)) return new OvhApiError('network', call, error);
  if (typeof error === 'string' && error.includes('Unable to parse JSON')) return new OvhApiError('serverError', call, error);
  if (typeof error === 'string' && error.includes('Unable to fetch OVH API time')) return new OvhApiError('network', call, error);
  if (typeof error === 'number') return new OvhApiError('network', call, `errno ${error}`);
  return new OvhApiError('network', call, typeof error === 'string' ? error : JSON.stringify(rejection));
}

function kindOfStatus(status: number, message?: string): OvhFailureKind {
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'serverError';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 401) return 'invalidCredentials';
  if (status === 403) {
    // OVH answers 403 both for a key it does not know and for a call the key (or IAM: "User not granted for this
    // request") did not grant.
    return message && /invalid|does not exist|expired|credential/i.test(message) && !/not (been )?granted/i.test(message)
      ? 'invalidCredentials'
      : 'forbidden';
  }
  if (status === 400 && message && /invalid signature|query out of time/i.test(message)) return 'invalidCredentials';
  return 'badRequest';
}
