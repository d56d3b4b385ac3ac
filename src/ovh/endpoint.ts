// Where the API is: one of OVH's named endpoints, or an `https://host:port[/basePath]` URL (the simulator, a proxy).
import { readFileSync } from 'node:fs';
import https, { Agent, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

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

/** Whether `endpoint` is one of OVH's public endpoints, which only the public roots may vouch for. */
export function isNamedEndpoint(endpoint: string): endpoint is keyof typeof NAMED_ENDPOINTS {
  return Object.hasOwn(NAMED_ENDPOINTS, endpoint);
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

/**
 * Extra CAs (the simulator's self-signed one, a test proxy's) are trusted for the endpoint they were configured with,
 * and nowhere else: one account's CA file must not let its holder impersonate another account's endpoint or an OAuth2
 * token endpoint. The official client uses Node's global HTTPS agent and takes no CA or agent option, so the global
 * agent is replaced, once, by this one, which picks the secure context by the destination's host and port: the public
 * roots plus that endpoint's CAs, or Node's default (public roots) for every other destination. It keeps connections
 * alive, which OVH's API allows and saves a TLS handshake per call.
 *
 * The CAs go in ONE prebuilt secure context per endpoint, not the agent's `ca` option: with `ca`, Node concatenates the
 * ~140 root PEMs into the agent's socket-pool key three times per request and parses them all into a new context for
 * every new connection — about a third of the worker's CPU in `npm run bench:throughput` (docs/BENCHMARKS.md). The
 * pool key already holds host and port, so sockets of different endpoints never mix.
 */
class EndpointTrustAgent extends Agent {
  private readonly trusted = new Map<string, { pems: Set<string>; context: SecureContext }>();

  trust(host: string, port: number, pem: string): void {
    const key = endpointKey(host, port);
    const pems = new Set([...(this.trusted.get(key)?.pems ?? []), pem]);
    this.trusted.set(key, { pems, context: createSecureContext({ ca: [...rootCertificates, ...pems] }) });
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const trusted = this.trusted.get(endpointKey(String(options.host ?? options.hostname ?? 'localhost'), Number(options.port ?? 443)));
    // tls.connect takes `secureContext`; the request options' type does not list it.
    return super.createConnection(trusted ? ({ ...options, secureContext: trusted.context } as RequestOptions) : options, callback);
  }
}

function endpointKey(host: string, port: number): string {
  return `${host.toLowerCase().replace(/^\[(.*)\]$/, '$1')}:${port}`;
}

const endpointTrust = new EndpointTrustAgent({ keepAlive: true });

/** Trusts the CA in `pem` for HTTPS calls from this process to `host:port` only. */
export function trustCaForEndpoint(host: string, port: number, pem: string): void {
  endpointTrust.trust(host, port, pem);
  // `https.request` reads `module.exports.globalAgent` at each call, so replacing it takes effect at once.
  if (https.globalAgent !== endpointTrust) https.globalAgent = endpointTrust;
}

/** Trusts the CA file's certificates for `endpoint` only (see {@link EndpointTrustAgent}). */
export function trustCaFile(caFile: string, endpoint: ResolvedEndpoint): void {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the CA file ${caFile}: ${(error as Error).message}`);
  }
  trustCaForEndpoint(endpoint.host, endpoint.port, pem);
}
