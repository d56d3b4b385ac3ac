// Where the API is: one of OVH's named endpoints, or an `https://host:port[/basePath]` URL (the simulator, a proxy).
import { readFileSync } from 'node:fs';
import https, { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';

export const NAMED_ENDPOINTS = {
  'ovh-eu': 'eu.api.ovh.com',
  'ovh-ca': 'ca.api.ovh.com',
  'ovh-us': 'api.us.ovhcloud.com',
} as const;

export interface ResolvedEndpoint {
  host: string;
  port: number;
  basePath: string;
  /** For messages and logs. */
  url: string;
}

export function resolveEndpoint(endpoint: string): ResolvedEndpoint {
  if (endpoint in NAMED_ENDPOINTS) {
    const host = NAMED_ENDPOINTS[endpoint as keyof typeof NAMED_ENDPOINTS];
    return { host, port: 443, basePath: '/1.0', url: `https://${host}/1.0` };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`OVH_ENDPOINT "${endpoint}" is neither ${Object.keys(NAMED_ENDPOINTS).join(', ')} nor a URL`);
  }
  if (url.protocol !== 'https:') throw new Error(`OVH_ENDPOINT "${endpoint}" must use https:// (the OVH client speaks only HTTPS)`);
  const basePath = url.pathname === '/' || url.pathname === '' ? '/1.0' : url.pathname.replace(/\/$/, '');
  const port = url.port ? Number(url.port) : 443;
  return { host: url.hostname, port, basePath, url: `https://${url.hostname}:${port}${basePath}` };
}

const extraCas = new Set<string>();

/**
 * Trusts an extra CA (the simulator's self-signed one) for HTTPS calls from this process. The official client uses
 * Node's global HTTPS agent and takes no CA option, so the global agent is replaced by one that trusts the public
 * roots plus these CAs — and keeps connections alive, which OVH's API allows and saves a TLS handshake per call.
 *
 * The CAs go in ONE prebuilt secure context, not the agent's `ca` option: with `ca`, Node concatenates the ~140 root
 * PEMs into the agent's socket-pool key three times per request and parses them all into a new context for every
 * new connection — about a third of the worker's CPU in `npm run bench:throughput` (docs/BENCHMARKS.md).
 */
export function trustCaFile(caFile: string): void {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the CA file ${caFile}: ${(error as Error).message}`);
  }
  if (extraCas.has(pem)) return;
  extraCas.add(pem);
  // `https.request` reads `module.exports.globalAgent` at each call, so replacing it takes effect at once.
  https.globalAgent = new Agent({ keepAlive: true, secureContext: createSecureContext({ ca: [...rootCertificates, ...extraCas] }) });
}
