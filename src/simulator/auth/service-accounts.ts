// OVH service accounts: OAuth2 clients (client credentials grant) whose rights come from IAM policies, not from
// access rules. A policy names identities (`urn:v1:eu:identity:credential:<nic>/oauth2-<clientId>`), resources
// (`urn:v1:eu:resource:webHosting:<service>`, `...:dnsZone:<zone>`, `...:account:<nic>`) and permissions
// (`allow`, `except`, `deny` lists of actions such as `webHosting:apiovh:attachedDomain/create`), as in
// `POST /iam/policy`. `*` is a wildcard in actions and resource URNs. An action is allowed on a resource when some
// policy of the identity covers the resource and allows the action (and does not except it), and no such policy
// denies it.
import { randomBytes } from 'node:crypto';
import { randomKey } from './credential-store.js';

export interface ServiceAccountRecord {
  clientId: string;
  clientSecret: string;
  account: string;
  name: string;
  description: string;
  createdAt: number;
}

export interface IamPolicyRecord {
  id: string;
  name: string;
  description: string | null;
  identities: string[];
  resources: string[];
  allow: string[];
  except: string[];
  deny: string[];
  createdAt: number;
}

export interface AccessTokenRecord {
  token: string;
  clientId: string;
  expiresAt: number;
}

export interface ServiceAccountSnapshot {
  serviceAccounts: ServiceAccountRecord[];
  policies: IamPolicyRecord[];
}

export function identityUrn(serviceAccount: Pick<ServiceAccountRecord, 'account' | 'clientId'>): string {
  return `urn:v1:eu:identity:credential:${serviceAccount.account}/oauth2-${serviceAccount.clientId}`;
}

const patterns = new Map<string, RegExp>();

function globMatches(pattern: string, value: string): boolean {
  let regexp = patterns.get(pattern);
  if (!regexp) {
    regexp = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    patterns.set(pattern, regexp);
  }
  return regexp.test(value);
}

export class ServiceAccountStore {
  readonly serviceAccounts = new Map<string, ServiceAccountRecord>();
  readonly policies = new Map<string, IamPolicyRecord>();
  private readonly tokens = new Map<string, AccessTokenRecord>();

  create(account: string, name: string, description: string, now: number): ServiceAccountRecord {
    const serviceAccount: ServiceAccountRecord = {
      clientId: `EU.${randomBytes(8).toString('hex')}`,
      clientSecret: randomKey(32),
      account,
      name,
      description,
      createdAt: now,
    };
    this.serviceAccounts.set(serviceAccount.clientId, serviceAccount);
    return serviceAccount;
  }

  /** The service account these client credentials prove, or undefined. */
  authenticateClient(clientId: string, clientSecret: string): ServiceAccountRecord | undefined {
    const serviceAccount = this.serviceAccounts.get(clientId);
    return serviceAccount && serviceAccount.clientSecret === clientSecret ? serviceAccount : undefined;
  }

  issueToken(serviceAccount: ServiceAccountRecord, now: number, ttlSec: number): AccessTokenRecord {
    for (const [token, record] of this.tokens) if (record.expiresAt <= now) this.tokens.delete(token);
    const record = { token: `sim${randomBytes(32).toString('base64url')}`, clientId: serviceAccount.clientId, expiresAt: now + ttlSec * 1000 };
    this.tokens.set(record.token, record);
    return record;
  }

  /** The service account behind a bearer token: `expired` past its lifetime, undefined when unknown. */
  lookupToken(token: string, now: number): ServiceAccountRecord | 'expired' | undefined {
    const record = this.tokens.get(token);
    if (!record) return undefined;
    if (record.expiresAt <= now) return 'expired';
    return this.serviceAccounts.get(record.clientId);
  }

  addPolicy(policy: Omit<IamPolicyRecord, 'id'>): IamPolicyRecord {
    const id = [4, 2, 2, 2, 6].map((bytes) => randomBytes(bytes).toString('hex')).join('-');
    const record = { id, ...policy };
    this.policies.set(id, record);
    return record;
  }

  isAllowed(identity: string, action: string, resource: string): boolean {
    let allowed = false;
    for (const policy of this.policies.values()) {
      if (!policy.identities.includes(identity)) continue;
      if (!policy.resources.some((pattern) => globMatches(pattern, resource))) continue;
      if (policy.deny.some((pattern) => globMatches(pattern, action))) return false;
      if (policy.allow.some((pattern) => globMatches(pattern, action)) && !policy.except.some((pattern) => globMatches(pattern, action))) allowed = true;
    }
    return allowed;
  }

  snapshot(): ServiceAccountSnapshot {
    return { serviceAccounts: [...this.serviceAccounts.values()], policies: [...this.policies.values()] };
  }

  restore(snapshot: ServiceAccountSnapshot | undefined): void {
    for (const serviceAccount of snapshot?.serviceAccounts ?? []) this.serviceAccounts.set(serviceAccount.clientId, serviceAccount);
    for (const policy of snapshot?.policies ?? []) this.policies.set(policy.id, policy);
  }
}
