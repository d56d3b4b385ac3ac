// The API gateway's checks on an authenticated call, in OVH's order: a known application key, a consumer key that
// exists and was validated for that application, a timestamp close to the server's clock, a valid signature, an
// allowed source IP, and access rules that grant this method and path. A call may instead carry an OAuth2 access
// token of a service account (`Authorization: Bearer ...`): no signature then, and IAM policies decide what it may do.
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorCore } from '../core.js';
import { gatewayErrors } from '../http/ovh-errors.js';
import { isGranted } from './access-rules.js';
import { ipAllowed, type ApplicationRecord, type CredentialRecord } from './credential-store.js';
import { DEFAULT_ACCOUNT } from '../state/records.js';
import type { ServiceAccountRecord } from './service-accounts.js';
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
  /** The account the call acts for. */
  account: string;
  /** Set for OAuth2 bearer calls: the service account, whose IAM policies apply. */
  serviceAccount: ServiceAccountRecord | null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** For calls that need no authentication: who is calling, if they said so (never an error). */
export function identifyApplication(core: SimulatorCore, headers: IncomingHttpHeaders): Caller {
  const key = header(headers, 'x-ovh-application');
  const application = key ? (core.credentials.applications.get(key) ?? null) : null;
  return { application, credential: null, account: application?.account ?? DEFAULT_ACCOUNT, serviceAccount: null };
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  return match?.[1];
}

export function authenticateBearer(core: SimulatorCore, token: string, now: number): Caller {
  const serviceAccount = core.serviceAccounts.lookupToken(token, now);
  if (serviceAccount === 'expired') throw gatewayErrors.expiredAccessToken();
  if (!serviceAccount) throw gatewayErrors.invalidAccessToken();
  return { application: null, credential: null, account: serviceAccount.account, serviceAccount };
}

/** Which account a call is for, before it is authenticated — for the rate limiter, which acts first. */
export function accountHint(core: SimulatorCore, headers: IncomingHttpHeaders, now: number): string | null {
  const token = bearerToken(headers);
  if (token) {
    const serviceAccount = core.serviceAccounts.lookupToken(token, now);
    return typeof serviceAccount === 'object' ? serviceAccount.account : null;
  }
  const consumerKey = header(headers, 'x-ovh-consumer');
  const credential = consumerKey ? core.credentials.credentials.get(consumerKey) : undefined;
  if (credential) return credential.account;
  const applicationKey = header(headers, 'x-ovh-application');
  return (applicationKey ? core.credentials.applications.get(applicationKey)?.account : undefined) ?? null;
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
  return { application, credential, account: credential.account, serviceAccount: null };
}
