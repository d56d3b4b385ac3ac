// The HTTP API on a real port over a test stack's run service, and a small fetch helper that speaks JSON.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createApiServer, type ApiServerOptions } from '../../src/api/server.js';
import type { TestStack } from './stack.js';
import { TEST_KEYRING } from './temporal.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: ReturnType<typeof JSON.parse>;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  /** The bearer token; `null` sends none. Default: the API's token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestApi {
  app: FastifyInstance;
  url: string;
  token: string;
  call(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function startTestApi(stack: TestStack, overrides: Partial<ApiServerOptions> = {}): Promise<TestApi> {
  const token = randomBytes(32).toString('base64url');
  const app = createApiServer({ runs: stack.runs, keyring: TEST_KEYRING, token, logger: stack.t.logger, ...overrides });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    token,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const sent = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (sent !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      const bearer = options.token === undefined ? token : options.token;
      if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
      const response = await fetch(`${url}${path}`, { method, headers, ...(sent === undefined ? {} : { body: sent }) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON (the login page)
      }
      return { status: response.status, headers: response.headers, body, text };
    },
    close: () => app.close(),
  };
}
