// What `ovhflow worker`, `ovhflow api` and `ovhflow dev` share to expose their metrics: the port from
// `--metrics-port` or OVHFLOW_METRICS_PORT, the endpoint, and (where runs are watched) the needs-attention gauge.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { UsageError } from '../cli/exit-codes.js';
import type { Logger } from '../logging/logger.js';
import { startAttentionGauge } from './attention-gauge.js';
import { apiRequests } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

export interface MetricsAddress {
  port: number;
  host: string;
  /** What set it, for messages. */
  setting: string;
}

/** `--metrics-port` beats OVHFLOW_METRICS_PORT; neither: no endpoint (undefined). Throws a clear message on a bad flag. */
export function metricsAddressOf(flag: string | undefined, fromEnv: { port: number; host: string } | null, defaultHost = '0.0.0.0'): MetricsAddress | undefined {
  if (flag !== undefined) {
    const port = Number(flag);
    if (!/^\d{1,5}$/.test(flag) || port > 65_535) throw new UsageError(`--metrics-port: "${flag}" is not a port number (0-65535)`);
    return { port, host: fromEnv?.host ?? defaultHost, setting: '--metrics-port' };
  }
  return fromEnv ? { ...fromEnv, setting: 'OVHFLOW_METRICS_PORT' } : undefined;
}

export interface ProcessMetrics {
  server: MetricsServer;
  close(): Promise<void>;
}

/** Serves `/metrics`; with `attention`, keeps the needs-attention gauge of that task queue current. */
export async function serveProcessMetrics(options: {
  address: MetricsAddress;
  logger: Logger;
  sdkMetricsAddress?: string;
  attention?: { client: Client; taskQueue: string; intervalMs?: number };
}): Promise<ProcessMetrics> {
  const server = await startMetricsServer({ ...options.address, logger: options.logger, ...(options.sdkMetricsAddress ? { sdkMetricsAddress: options.sdkMetricsAddress } : {}) });
  const gauge = options.attention ? startAttentionGauge({ ...options.attention, logger: options.logger }) : undefined;
  return {
    server,
    close: async () => {
      await gauge?.stop();
      await server.close();
    },
  };
}

/** Counts the API's requests by route template (`/v1/runs/:workflowId`, never the id itself). */
export function countApiRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    apiRequests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
    done();
  });
}
