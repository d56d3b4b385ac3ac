// The worker's health endpoint, for Docker health checks, Kubernetes probes and load balancers:
//   GET /healthz  live: the process answers and the worker has not failed (200 while it drains on SIGTERM, so an
//                 orchestrator does not kill a worker that is finishing its activities);
//   GET /readyz   ready: the worker is polling its task queue (state RUNNING); 503 before, and from shutdown on.
// Plain node:http: two routes do not need a framework, and the worker stays small.
import { listenOrExplain } from './http-listen.js';
import { createServer, type Server } from 'node:http';
import type { State } from '@temporalio/worker';
import type { Logger } from './logging/logger.js';

export interface WorkerHealthOptions {
  port: number;
  host: string;
  /** The worker's state (`worker.getState()`). */
  state: () => State;
  taskQueue: string;
  logger: Logger;
}

export interface WorkerHealthServer {
  /** The port it listens on (the chosen one when `port` was 0). */
  port: number;
  close(): Promise<void>;
}

const LIVE_STATES: ReadonlySet<State> = new Set(['INITIALIZED', 'RUNNING', 'STOPPING', 'DRAINING', 'DRAINED']);

export async function startWorkerHealthServer(options: WorkerHealthOptions): Promise<WorkerHealthServer> {
  const server: Server = createServer((request, response) => {
    const state = options.state();
    const path = (request.url ?? '/').split('?')[0];
    const answer = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, { error: 'method_not_allowed' });
    if (path === '/healthz') return answer(LIVE_STATES.has(state) ? 200 : 503, { status: LIVE_STATES.has(state) ? 'live' : 'failed', state });
    if (path === '/readyz') {
      const ready = state === 'RUNNING';
      return answer(ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', state, taskQueue: options.taskQueue });
    }
    return answer(404, { error: 'not_found', routes: ['/healthz', '/readyz'] });
  });
  // A probe connection must never keep a stopping worker alive.
  server.keepAliveTimeout = 1000;
  const port = await listenOrExplain(server, options.host, options.port, 'OVHFLOW_WORKER_HEALTH_PORT');
  options.logger.info({ host: options.host, port }, 'worker health endpoint listening (GET /healthz, GET /readyz)');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
