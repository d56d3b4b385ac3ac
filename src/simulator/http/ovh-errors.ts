// The two error shapes OVHcloud answers with, kept apart on purpose because real clients tell them apart:
// - the API gateway (authentication, signature, time, grants, rate limit) answers
//   `{ errorCode, httpCode, message }`, e.g. `{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request",...}`;
// - the API itself (validation, missing resources, business rules) answers `{ class, message }`, e.g.
//   `{"class":"Client::NotFound","message":"This service does not exist"}`.
// Every answer also carries an `X-Ovh-QueryId` header (added by the server, not here).
import { STATUS_CODES } from 'node:http';

export interface OvhErrorBody {
  class?: string;
  errorCode?: string;
  httpCode?: string;
  message: string;
  details?: Record<string, string>;
}

export class OvhApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: OvhErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'OvhApiError';
  }
}

function httpCode(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Error'}`;
}

function gateway(status: number, errorCode: string, message: string, headers?: Record<string, string>): OvhApiError {
  return new OvhApiError(status, { errorCode, httpCode: httpCode(status), message }, headers);
}

function api(status: number, errorClass: string, message: string): OvhApiError {
  return new OvhApiError(status, { class: errorClass, message });
}

/** Errors of the API gateway: who is calling, is the call signed, in time and granted. */
export const gatewayErrors = {
  invalidKey: () => gateway(403, 'INVALID_KEY', 'This application key is invalid'),
  notCredential: () => gateway(401, 'NOT_CREDENTIAL', 'You must login first'),
  unknownCredential: () => gateway(403, 'INVALID_CREDENTIAL', 'This credential does not exist'),
  credentialNotValidated: () => gateway(403, 'INVALID_CREDENTIAL', 'This credential is not valid'),
  ipNotAllowed: () => gateway(403, 'INVALID_CREDENTIAL', 'This credential is not valid from this IP address'),
  invalidSignature: () => gateway(400, 'INVALID_SIGNATURE', 'Invalid signature'),
  queryOutOfTime: () => gateway(400, 'QUERY_TIME_OUT', 'Query out of time'),
  notGranted: () => gateway(403, 'NOT_GRANTED_CALL', 'This call has not been granted'),
  invalidAccessToken: () => gateway(401, 'INVALID_CREDENTIAL', 'This credential is not valid'),
  expiredAccessToken: () => gateway(401, 'INVALID_CREDENTIAL', 'This credential has expired'),
  tooManyRequests: (retryAfterSeconds: number) =>
    gateway(429, 'TOO_MANY_REQUESTS', 'Too many requests, please retry later', { 'Retry-After': String(retryAfterSeconds) }),
};

/** Errors of the API itself. */
export const apiErrors = {
  badRequest: (message: string) => api(400, 'Client::BadRequest', message),
  forbidden: (message: string) => api(403, 'Client::Forbidden', message),
  notFound: (message: string) => api(404, 'Client::NotFound', message),
  objectNotFound: (key: string, value: string | number) =>
    api(404, 'Client::NotFound', `The requested object (${key} = ${value}) does not exist`),
  serviceNotFound: () => api(404, 'Client::NotFound', 'This service does not exist'),
  invalidUrl: () => api(404, 'Client::NotFound', 'Got an invalid (or empty) URL'),
  methodNotAllowed: (method: string) => api(405, 'Client::MethodNotAllowed', `The method ${method} is not allowed on this URL`),
  conflict: (message: string) => api(409, 'Client::Conflict', message),
  /** IAM refused the call: the message is OVH's, the missing actions are in `details` (OVH's IAM troubleshooting
   * guide; go-ovh appends them to its error text). */
  notGrantedByIam: (actions: string[]) =>
    new OvhApiError(403, {
      class: 'Client::Forbidden',
      message: 'User not granted for this request',
      details: { unauthorizedActionsByAuthentication: '', unauthorizedActionsByIAM: actions.join(',') },
    }),
  payloadTooLarge: () => api(413, 'Client::RequestEntityTooLarge', 'Request body too large'),
  notSimulated: (operation: string) =>
    api(501, 'Server::NotImplemented', `${operation} exists in the OVHcloud API but is not simulated`),
  injected: (status: number) => api(status, serverErrorClass(status), injectedMessage(status)),
};

function serverErrorClass(status: number): string {
  const name = (STATUS_CODES[status] ?? 'Error').replace(/[^A-Za-z]/g, '');
  return `${status >= 500 ? 'Server' : 'Client'}::${name}`;
}

function injectedMessage(status: number): string {
  return `${STATUS_CODES[status] ?? 'Error'} (injected fault)`;
}
