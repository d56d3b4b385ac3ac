// The official client hides response headers, but ovhflow needs two of them: `X-Ovh-QueryId` (what OVH support
// asks for) and `Retry-After` (how long a 429 wants us to wait). Node publishes every HTTP client request and
// response on diagnostics channels; a call tags its requests through AsyncLocalStorage and reads the headers back.
// The same hook gives each request its timeout: the official client's own `timeout` adds a listener to the socket
// for every request and never removes it, so a kept-alive socket grew by one closure (holding the request and its
// response) per call — thousands on a busy worker. `request.setTimeout` is cleaned up by Node when the socket is freed.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface ResponseMeta {
  /** Set by the caller: abort a request that gets no answer within this long (ETIMEDOUT). */
  timeoutMs?: number;
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
    if (!meta) return;
    const { request } = message as { request: ClientRequest };
    metaOfRequest.set(request, meta);
    const { timeoutMs } = meta;
    if (timeoutMs) {
      request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    }
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

/** Runs `call`, collecting the headers of the last response it received; its requests time out after `timeoutMs`. */
export async function withResponseMeta<T>(call: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<{ result?: T; error?: unknown; meta: ResponseMeta }> {
  ensureSubscribed();
  const meta: ResponseMeta = options.timeoutMs ? { timeoutMs: options.timeoutMs } : {};
  try {
    const result = await currentCall.run(meta, call);
    return { result, meta };
  } catch (error) {
    return { error, meta };
  }
}
