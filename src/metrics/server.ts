// The metrics endpoint of an ovhflow process: `GET /metrics` in the Prometheus text format. One port per process
// serves both ovhflow's own metrics (registry.ts) and, in a worker, the Temporal SDK's (task slots, pollers, sticky
// cache, schedule-to-start latency): the SDK's core exports those on a loopback port of its own (sdk-metrics.ts), and
// each scrape here appends what it answers. One target to scrape per process, one port to open.
import { listenOrExplain } from '../http-listen.js';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logging/logger.js';
import { registry } from './registry.js';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** `host:port` of the Temporal SDK's own exporter, when this process runs a worker with one. */
  sdkMetricsAddress?: string;
  logger: Logger;
  /** Named in the listen error (`--metrics-port` or OVHFLOW_METRICS_PORT). */
  setting?: string;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SDK_SCRAPE_TIMEOUT_MS = 3000;

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const log = options.logger.child({ component: 'metrics' });
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(path === '/metrics' ? 405 : 404, { 'Content-Type': 'text/plain' });
      response.end(path === '/metrics' ? 'GET only\n' : 'metrics are at /metrics\n');
      return;
    }
    void exposition(options.sdkMetricsAddress, log).then(
      (text) => {
        response.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        response.end(text);
      },
      (error: unknown) => {
        log.error({ err: error }, 'cannot render metrics');
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end('cannot render metrics\n');
      },
    );
  });
  server.keepAliveTimeout = 1000;
  const port = await listenOrExplain(server, options.host, options.port, options.setting ?? 'metrics port');
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}/metrics`;
  log.info({ url, sdk: options.sdkMetricsAddress ?? null }, 'metrics endpoint listening');
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function exposition(sdkAddress: string | undefined, log: Logger): Promise<string> {
  const own = await registry.metrics();
  if (!sdkAddress) return own;
  try {
    const answer = await fetch(`http://${sdkAddress}/metrics`, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
    const sdk = await answer.text();
    return `${own}\n${sdk.endsWith('\n') || sdk === '' ? sdk : `${sdk}\n`}`;
  } catch (error) {
    // ovhflow's own figures are still worth serving; the missing SDK ones show as a gap, and the log says why.
    log.warn({ sdk: sdkAddress, error: (error as Error).message }, "cannot read the Temporal SDK's metrics");
    return own;
  }
}
