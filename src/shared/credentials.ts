// `ovhflow credentials request|check`: what the worker answers. The worker holds the OVH application key and the
// consumer key; the CLI only prints what comes back (encrypted in Temporal by the payload codec).

export interface AccessRuleView {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

export interface NeededRule extends AccessRuleView {
  /** The OVH calls (OvhClient methods) this rule grants. */
  operations: string[];
}

export interface CredentialRequestInput {
  /** Where OVH sends the person after they validate the key. */
  redirection?: string;
}

export interface CredentialRequestResult {
  /** Where a person logs in to OVH and validates the new key. */
  validationUrl: string;
  /** The new consumer key: a secret, for the worker's OVH_CONSUMER_KEY. Valid once validated. */
  consumerKey: string;
  state: string;
  /** Exactly the rules ovhflow needs. */
  accessRules: AccessRuleView[];
  endpoint: string;
}

export interface CredentialCheckResult {
  kind: 'classic';
  endpoint: string;
  credential: {
    credentialId: number;
    applicationId: number;
    status: string;
    creation: string;
    expiration: string | null;
    lastUse: string | null;
    allowedIPs: string[] | null;
    rules: AccessRuleView[];
  };
  /** Every rule ovhflow needs, with the calls it grants. */
  required: NeededRule[];
  /** Needed rules the key lacks: these calls will be refused ("This call has not been granted"). */
  lacking: NeededRule[];
  /** The key's rules ovhflow does not need: the key may do more than necessary. */
  unneeded: AccessRuleView[];
}

/** An IAM action ovhflow needs, with the calls (OvhClient methods) needing it. */
export interface NeededIamAction {
  action: string;
  operations: string[];
}

/**
 * `credentials check` for a service account. A service account has no access rules to read back (its rights are IAM
 * policies, which only the account's IAM API lists): the check gets a token, lists the hosting services it may see,
 * and makes on each the read-only calls ovhflow makes — OVH names each IAM action it refuses. Write actions cannot
 * be checked without writing: `credentials policy` prints them.
 */
export interface ServiceAccountCheckResult {
  kind: 'service-account';
  endpoint: string;
  /** The OAuth2 client id (an identifier, not a secret). */
  clientId?: string;
  /** A token was obtained with the client credentials. */
  tokenObtained: true;
  /** The hosting services the service account may see (`GET /hosting/web`). */
  services: string[];
  /** Every IAM action ovhflow needs. */
  required: NeededIamAction[];
  /** The actions the read-only calls were refused for: lacking, surely. */
  lacking: NeededIamAction[];
  /** The actions the check could verify (read-only calls), granted or not. */
  checked: string[];
}

export const CREDENTIALS_WORKFLOW_PREFIX = 'credentials/';

/** A redirection OVH accepts: an absolute http(s) URL. */
export function redirectionIssue(redirection: string): string | undefined {
  if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(redirection) || redirection.length > 2000) {
    return `--redirect: "${redirection.slice(0, 100)}" is not an http(s) URL`;
  }
  return undefined;
}
