// Applications (application key + secret) and their consumer keys, each with its access rules and state, as
// OVH keeps them. The demo application and its full-access consumer key are fixed strings so `npm start` and the
// docs can print them; other keys are random.
import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { DEFAULT_ACCOUNT } from '../state/records.js';
import { FULL_ACCESS, type AccessRule } from './access-rules.js';

export const DEMO_CREDENTIALS = {
  applicationKey: 'ovhflowSimAppKey',
  applicationSecret: 'ovhflowSimulatorAppSecret0000001',
  consumerKey: 'ovhflowSimulatorConsumerKey00001',
} as const;

export interface ApplicationRecord {
  applicationId: number;
  applicationKey: string;
  applicationSecret: string;
  name: string;
  description: string;
  status: 'active';
  /** The account that created the application (the default for the keys it obtains). */
  account: string;
}

export type CredentialStatus = 'pendingValidation' | 'validated' | 'refused' | 'expired';

export interface CredentialRecord {
  credentialId: number;
  applicationId: number;
  consumerKey: string;
  rules: AccessRule[];
  status: CredentialStatus;
  creation: number;
  expiration: number | null;
  lastUse: number | null;
  allowedIPs: string[] | null;
  redirection: string | null;
  /** The secret part of the validation URL a person visits to accept (or refuse) the request. */
  validationToken: string;
  /** The account whose person validated the key: what the key acts for. */
  account: string;
}

export interface CredentialOptions {
  rules: AccessRule[];
  redirection?: string | null;
  allowedIPs?: string[] | null;
  /** Lifetime once validated; `null` or absent = unlimited. */
  validitySeconds?: number | null;
  /** The account the key acts for; the application's by default. */
  account?: string;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomKey(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

export interface CredentialSnapshot {
  applications: ApplicationRecord[];
  credentials: CredentialRecord[];
}

export class CredentialStore {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly credentials = new Map<string, CredentialRecord>();
  private readonly byToken = new Map<string, CredentialRecord>();
  private nextApplicationId = 101;
  private nextCredentialId = 500_001;

  constructor(now: number) {
    this.restoreDemo(now);
  }

  /** Puts the demo application and its full-access consumer key back as they were. */
  restoreDemo(now: number): void {
    let demo = this.applications.get(DEMO_CREDENTIALS.applicationKey);
    if (!demo) {
      demo = this.addApplication('ovhflow-simulator-demo', 'Demo application of the ovhflow OVH API simulator', {
        applicationKey: DEMO_CREDENTIALS.applicationKey,
        applicationSecret: DEMO_CREDENTIALS.applicationSecret,
      });
    }
    const credential = this.credentials.get(DEMO_CREDENTIALS.consumerKey);
    if (credential) this.byToken.delete(credential.validationToken);
    this.store({
      credentialId: credential?.credentialId ?? this.nextCredentialId++,
      applicationId: demo.applicationId,
      consumerKey: DEMO_CREDENTIALS.consumerKey,
      rules: FULL_ACCESS,
      status: 'validated',
      creation: credential?.creation ?? now,
      expiration: null,
      lastUse: null,
      allowedIPs: null,
      redirection: null,
      validationToken: randomKey(48),
      account: DEFAULT_ACCOUNT,
    });
  }

  addApplication(name: string, description: string, keys?: { applicationKey: string; applicationSecret: string }, account = DEFAULT_ACCOUNT): ApplicationRecord {
    const application: ApplicationRecord = {
      account,
      applicationId: this.nextApplicationId++,
      applicationKey: keys?.applicationKey ?? randomKey(16),
      applicationSecret: keys?.applicationSecret ?? randomKey(32),
      name,
      description,
      status: 'active',
    };
    this.applications.set(application.applicationKey, application);
    return application;
  }

  /** `POST /auth/credential`: a new consumer key waiting for a person to validate it. */
  request(application: ApplicationRecord, options: CredentialOptions, now: number): CredentialRecord {
    return this.store(this.newCredential(application, options, now, 'pendingValidation'));
  }

  /** A consumer key validated at once (the admin API's shortcut for tests). */
  mint(application: ApplicationRecord, options: CredentialOptions, now: number): CredentialRecord {
    const credential = this.newCredential(application, options, now, 'validated');
    credential.expiration = options.validitySeconds ? now + options.validitySeconds * 1000 : null;
    return this.store(credential);
  }

  byValidationToken(token: string): CredentialRecord | undefined {
    return this.byToken.get(token);
  }

  validate(credential: CredentialRecord, validitySeconds: number | null, now: number): void {
    credential.status = 'validated';
    credential.expiration = validitySeconds ? now + validitySeconds * 1000 : null;
  }

  refuse(credential: CredentialRecord): void {
    credential.status = 'refused';
  }

  /** The consumer key's record, its state brought up to date (a key past its expiration is `expired`). */
  lookup(consumerKey: string, now: number): CredentialRecord | undefined {
    const credential = this.credentials.get(consumerKey);
    if (credential?.expiration !== null && credential?.expiration !== undefined && now >= credential.expiration) {
      credential.status = 'expired';
    }
    return credential;
  }

  snapshot(): CredentialSnapshot {
    return { applications: [...this.applications.values()], credentials: [...this.credentials.values()] };
  }

  /** Replaces every application and key by a snapshot's (then puts the demo ones back, unchanged if present). */
  restore(snapshot: CredentialSnapshot, now: number): void {
    this.applications.clear();
    this.credentials.clear();
    this.byToken.clear();
    for (const application of snapshot.applications) this.applications.set(application.applicationKey, { ...application, account: application.account ?? DEFAULT_ACCOUNT });
    for (const credential of snapshot.credentials) this.store({ ...credential, account: credential.account ?? DEFAULT_ACCOUNT });
    this.nextApplicationId = Math.max(this.nextApplicationId, ...snapshot.applications.map((a) => a.applicationId + 1));
    this.nextCredentialId = Math.max(this.nextCredentialId, ...snapshot.credentials.map((c) => c.credentialId + 1));
    this.restoreDemo(now);
  }

  applicationById(applicationId: number): ApplicationRecord | undefined {
    for (const application of this.applications.values()) if (application.applicationId === applicationId) return application;
    return undefined;
  }

  private newCredential(application: ApplicationRecord, options: CredentialOptions, now: number, status: CredentialStatus): CredentialRecord {
    return {
      credentialId: this.nextCredentialId++,
      applicationId: application.applicationId,
      consumerKey: randomKey(32),
      rules: options.rules.map((rule) => ({ method: rule.method, path: rule.path })),
      status,
      creation: now,
      expiration: null,
      lastUse: null,
      allowedIPs: options.allowedIPs ?? null,
      redirection: options.redirection ?? null,
      validationToken: randomKey(48),
      account: options.account ?? application.account,
    };
  }

  private store(credential: CredentialRecord): CredentialRecord {
    this.credentials.set(credential.consumerKey, credential);
    this.byToken.set(credential.validationToken, credential);
    return credential;
  }
}

/** Whether `ip` is inside one of the credential's allowed blocks (`1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32`). */
export function ipAllowed(allowedIPs: string[] | null, ip: string): boolean {
  if (!allowedIPs || allowedIPs.length === 0) return true;
  const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  for (const block of allowedIPs) {
    const [network = '', prefix] = block.split('/');
    const blockFamily = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(network)) continue;
    list.addSubnet(network, prefix === undefined ? (blockFamily === 'ipv6' ? 128 : 32) : Number(prefix), blockFamily);
  }
  return list.check(address, family);
}
