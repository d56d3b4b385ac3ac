// The API gateway's checks on an authenticated call, in OVH's order: a known application key, a consumer key that
// exists and was validated for that application, a timestamp close to the server's clock, a valid signature, an
// allowed source IP, and access rules that grant this method and path.
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorCore } from '../core.js';
import { gatewayErrors } from '../http/ovh-errors.js';
import { isGranted } from './access-rules.js';
import { ipAllowed, type ApplicationRecord, type CredentialRecord } from './credential-store.js';
import { signableUrls, signatureMatches } from './signature.js';

export interface CallToAuthenticate {
  method: string;
  /** Relative to /1.0, decoded, without the query string: what access rules are written against. */
  path: string;
  /** The request target exactly as received (`/1.0/hosting/web?x=1`): what the client signed. */
  requestTarget: string;
  host: string;
  ip: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface Caller {
  application: ApplicationRecord | null;
  credential: CredentialRecord | null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** For calls that need no authentication: who is calling, if they said so (never an error). */
export function identifyApplication(core: SimulatorCore, headers: IncomingHttpHeaders): Caller {
  const key = header(headers, 'x-ovh-application');
  return { application: key ? (core.credentials.applications.get(key) ?? null) : null, credential: null };
}

export function authenticate(core: SimulatorCore, call: CallToAuthenticate, now: number): Caller {
  const applicationKey = header(call.headers, 'x-ovh-application');
  const consumerKey = header(call.headers, 'x-ovh-consumer');
  if (!applicationKey && !consumerKey) throw gatewayErrors.notCredential();
  const application = applicationKey ? core.credentials.applications.get(applicationKey) : undefined;
  if (!application) throw gatewayErrors.invalidKey();
  if (!consumerKey) throw gatewayErrors.notCredential();

  const credential = core.credentials.lookup(consumerKey, now);
  if (!credential || credential.applicationId !== application.applicationId || credential.status === 'expired') {
    throw gatewayErrors.unknownCredential();
  }
  if (credential.status !== 'validated') throw gatewayErrors.credentialNotValidated();

  const timestamp = header(call.headers, 'x-ovh-timestamp') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) - now / 1000) > core.config.timestampToleranceSec) {
    throw gatewayErrors.queryOutOfTime();
  }
  const signature = header(call.headers, 'x-ovh-signature') ?? '';
  const parts = {
    applicationSecret: application.applicationSecret,
    consumerKey,
    method: call.method,
    body: call.rawBody,
    timestamp,
  };
  if (!signatureMatches(signature, parts, signableUrls(call.host, call.requestTarget))) throw gatewayErrors.invalidSignature();
  if (!ipAllowed(credential.allowedIPs, call.ip)) throw gatewayErrors.ipNotAllowed();
  if (!isGranted(credential.rules, call.method, call.path)) throw gatewayErrors.notGranted();

  credential.lastUse = now;
  return { application, credential };
}
