// Named OVH accounts, as every side sees them: a run carries only its account's NAME (in its search attributes, and
// as a Temporal header on every activity and child it schedules), never a credential. Sandbox-safe: workflows, the
// CLI, the API and the worker share these rules.

/** The account of a worker configured the classic way (OVH_ENDPOINT, OVH_APPLICATION_KEY... in its environment). */
export const DEFAULT_ACCOUNT_NAME = 'default';

/** The Temporal header that carries a run's account to its activities and children (src/workflows/account-interceptor.ts). */
export const ACCOUNT_HEADER = 'ovhflow-account';

/** Letters, digits, `.`, `_` and `-`: the name lands in workflow ids and search attributes, in plain text. */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function accountNameIssue(name: string): string | undefined {
  return ACCOUNT_NAME.test(name) ? undefined : `"${name.slice(0, 80)}" is not an account name (letters, digits, . _ - ; at most 63 characters)`;
}

/** What the starters (CLI, API, schedules) know of the accounts: their names, never their credentials. */
export interface AccountNames {
  /** Used when a run names no account; absent when several accounts are configured and none is the default. */
  defaultAccount?: string;
  names: string[];
}

export class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

/**
 * The account a run acts for: the one it names, or the default. Throws an {@link UnknownAccountError} (a usage
 * error: exit code 2, HTTP 400) before anything is started.
 */
export function resolveAccount(accounts: AccountNames, requested: string | undefined): string {
  if (requested === undefined || requested === '') {
    if (accounts.defaultAccount) return accounts.defaultAccount;
    throw new UnknownAccountError(`--account: several OVH accounts are configured (${accounts.names.join(', ')}) and none is the default: name one`);
  }
  if (!accounts.names.includes(requested)) {
    const issue = accountNameIssue(requested);
    throw new UnknownAccountError(`--account: ${issue ?? `no OVH account named "${requested}"`} (configured: ${accounts.names.join(', ') || 'none'})`);
  }
  return requested;
}

/**
 * A run's workflow id in its account. The default account keeps the ids it always had (running workflows, scripts
 * and double-trigger protection carry on unchanged when a second account is added); another account's runs get
 * `@<account>` appended, so the same service and domain in two accounts are two runs.
 */
export function accountScopedId(workflowId: string, account: string, accounts: AccountNames): string {
  return account === accounts.defaultAccount ? workflowId : `${workflowId}@${account}`;
}
