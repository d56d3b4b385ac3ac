// The official client hides response headers, but ovhflow needs two of them: `X-Ovh-QueryId` (what OVH support
// asks for) and `Retry-After` (how long a 429 wants us to wait). Node publishes every HTTP client request and
// response on diagnostics channels; a call tags its requests through AsyncLocalStorage and reads the headers back.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface ResponseMeta {
  status?: number;
  queryId?: string;
  retryAfterSeconds?: number;
}

const currentCall = new AsyncLocalStorage<ResponseMeta>();
const metaOfRequest = new WeakMap<ClientRequest, ResponseMeta>();
let subscribed = false;

function ensureSubscribed(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('http.client.request.start', (message) => {
    const meta = currentCall.getStore();
    if (meta) metaOfRequest.set((message as { request: ClientRequest }).request, meta);
  });
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const meta = metaOfRequest.get(request);
    if (!meta) return;
    meta.status = response.statusCode;
    const queryId = response.headers['x-ovh-queryid'];
    if (typeof queryId === 'string') meta.queryId = queryId;
    const retryAfter = Number(response.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter >= 0) meta.retryAfterSeconds = retryAfter;
  });
}

/** Runs `call`, collecting the headers of the last response it received. */
export async function withResponseMeta<T>(call: () => Promise<T>): Promise<{ result?: T; error?: unknown; meta: ResponseMeta }> {
  ensureSubscribed();
  const meta: ResponseMeta = {};
  try {
    const result = await currentCall.run(meta, call);
    return { result, meta };
  } catch (error) {
    return { error, meta };
  }
}
