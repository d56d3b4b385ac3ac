// The Temporal SDK's own metrics: its core exports them in the Prometheus format on an address of its own, set when
// the process's Runtime is installed (once, before the first native connection). ovhflow binds it to a free loopback
// port and its metrics endpoint (server.ts) serves those figures with its own.
import type { Logger } from '../logging/logger.js';
import { installTemporalRuntimeLogger } from '../logging/temporal-runtime.js';
import { freePort } from '../temporal/ports.js';

/**
 * Installs the Runtime with a Prometheus exporter on 127.0.0.1; answers its `host:port`, or undefined when this
 * process's Runtime was already installed (without one).
 */
export async function installRuntimeWithSdkMetrics(logger: Logger): Promise<string | undefined> {
  const address = `127.0.0.1:${await freePort('127.0.0.1')}`;
  return installTemporalRuntimeLogger(logger, { prometheusBindAddress: address }) ? address : undefined;
}
