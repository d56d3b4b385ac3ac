// Writing answers: JSON with OVH's headers, errors in OVH's shape, and the connection reset faults need.
import type { ServerResponse } from 'node:http';
import { OvhApiError, type OvhErrorBody } from './ovh-errors.js';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body === undefined ? null : body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-cache',
    ...headers,
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendError(response: ServerResponse, error: OvhApiError): void {
  sendJson(response, error.status, error.body satisfies OvhErrorBody, error.headers);
}

export function sendText(response: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** Drops the connection without an answer, as a network failure would. */
export function resetConnection(response: ServerResponse): void {
  response.socket?.destroy();
}

export function isOvhError(error: unknown): error is OvhApiError {
  return error instanceof OvhApiError;
}
