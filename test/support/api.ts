// The HTTP API on a real port over a test stack's run service, and a small fetch helper that speaks JSON.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiServer, type ApiServerOptions } from '../../src/api/server.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureFreshDist, PROJECT_ROOT } from './cli.js';
import { FAST_POLL, type TestStack } from './stack.js';
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

/**
 * The API as `npm start` serves it: the built dist/ (compiled first when stale), its run service included — what the
 * browser gets, the console's script as tsc emits it, not the sources vitest would load.
 */
export async function startBuiltTestApi(stack: TestStack, overrides: Partial<ApiServerOptions> = {}): Promise<TestApi> {
  await ensureFreshDist();
  const built = (path: string) => pathToFileURL(join(PROJECT_ROOT, 'dist', path)).href;
  const server = (await import(built('src/api/server.js'))) as typeof import('../../src/api/server.js');
  const service = (await import(built('src/runs/service.js'))) as typeof import('../../src/runs/service.js');
  // The built server's errors are the built run service's classes: it gets its own run service, on the same queue.
  const runs = service.createRunService({ client: stack.t.client, taskQueue: stack.taskQueue, settings: { poll: FAST_POLL } });
  return startTestApi(stack, { runs, ...overrides }, server.createApiServer);
}

export async function startTestApi(stack: TestStack, overrides: Partial<ApiServerOptions> = {}, create = createApiServer): Promise<TestApi> {
  const token = randomBytes(32).toString('base64url');
  const app = create({ runs: stack.runs, keyring: TEST_KEYRING, token, logger: stack.t.logger, ...overrides });
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

/**
 * Inside a describe: the stack's own worker (the API's runs and schedules use the stack's task queue) and the HTTP API
 * over it, started before the describe's tests and stopped after them. The answer stands for the API once started.
 */
export function useApiWithWorker(stackOf: () => TestStack): TestApi {
  let api: TestApi | undefined;
  let worker: { stop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    worker = await stackOf().startWorker();
    api = await startTestApi(stackOf());
  });
  afterAll(async () => {
    await api?.close();
    await worker?.stop();
  });
  const started = (): TestApi => {
    if (!api) throw new Error('the API is started in beforeAll: use it inside a test');
    return api;
  };
  return {
    get app() {
      return started().app;
    },
    get url() {
      return started().url;
    },
    get token() {
      return started().token;
    },
    call: (method, path, options) => started().call(method, path, options),
    close: () => started().close(),
  };
}
