// The OVH API simulator, a separate program: `ovhflow sim` runs it alone, tests start it in-process with
// `startSimulator`. Nothing else in src/ imports it. See docs/simulator.md.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DEMO_CREDENTIALS } from './auth/credential-store.js';
import { SimulatorCore } from './core.js';
import { createRequestListener } from './http/server.js';
import { configFromOptions, type SimulatorOptions } from './options.js';
import { loadState, saveState } from './state/persistence.js';
import { ensureCertificates } from './tls/certificates.js';

export type { SimulatorOptions } from './options.js';
export type { SimulatorConfig, RateLimitConfig } from './config.js';
export type { FaultRuleInput, RequestFaultRuleInput, TaskFaultRuleInput } from './faults/fault-book.js';
export type { RecordedRequest } from './http/request-log.js';
export { DEMO_CREDENTIALS } from './auth/credential-store.js';
export { DEMO_SERVICES, DEMO_SHOP_DATABASE_PASSWORD } from './state/fixtures.js';
export { signRequest } from './auth/signature.js';

export interface SimulatorCredentials {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

export interface RunningSimulator {
  /** `https://127.0.0.1:PORT` — the API is under `/1.0`, the admin API under `/_sim`. */
  url: string;
  host: string;
  port: number;
  /** The CA certificate to trust (PEM file), and its content. */
  caFile: string;
  caPem: string;
  /** The demo application and its full-access consumer key. */
  credentials: SimulatorCredentials;
  /** The hosting services of the demo fixtures. */
  services: string[];
  /** Whether the state was loaded from `<dataDir>/state.json`. */
  restoredState: boolean;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const listenHost = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? '.data/simulator');
  const certificates = await ensureCertificates(dataDir, [listenHost]);
  const core = new SimulatorCore({
    seed: options.seed ?? 1,
    config: configFromOptions(options),
    maxRecordedRequests: options.maxRecordedRequests ?? 50_000,
    adminToken: options.adminToken ?? null,
  });
  const restoredState = options.persistState ? loadState(core, dataDir) : false;
  const save = options.persistState ? () => saveState(core, dataDir) : undefined;

  const server = createServer(
    { key: certificates.keyPem, cert: certificates.certPem },
    createRequestListener(core, { ...(options.logger ? { logger: options.logger } : {}), hooks: save ? { save } : {} }),
  );
  // Clients keep connections alive (the official Node client through https.globalAgent); so do we.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await listen(server, options.port ?? 8443, listenHost);

  const port = (server.address() as AddressInfo).port;
  const host = listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  core.baseUrl = url;
  options.logger?.info({ url, dataDir, restoredState }, 'OVH API simulator listening');

  let stopped: Promise<void> | null = null;
  return {
    url,
    host,
    port,
    caFile: certificates.caFile,
    caPem: certificates.caPem,
    credentials: { ...DEMO_CREDENTIALS },
    services: [...core.state.services.keys()],
    restoredState,
    stop: () => {
      stopped ??= (async () => {
        save?.();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })();
      return stopped;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}
