// The worker's OVH clients, one per named account — each with its own credentials and its own rate limiter — and
// the choice of one for the code running now (its run's account, account-context.ts).
import type { Logger } from '../logging/logger.js';
import { UnknownAccountError } from '../shared/accounts.js';
import { currentAccount } from './account-context.js';
import { readIdentifier, readSecret, type AccountSettings } from './accounts-file.js';
import { OvhClient } from './client.js';

export class OvhAccountRouter {
  constructor(
    private readonly clients: ReadonlyMap<string, OvhClient>,
    /** The account of runs that name none (started before accounts existed, or by a caller that left it out). */
    readonly defaultAccount: string | undefined,
  ) {}

  get names(): string[] {
    return [...this.clients.keys()];
  }

  /** The client of `account` (default: the running activity's account, else the default account). */
  clientFor(account: string | undefined = currentAccount()): OvhClient {
    const name = account ?? this.defaultAccount;
    const client = name === undefined ? undefined : this.clients.get(name);
    if (!client) {
      throw new UnknownAccountError(
        name === undefined
          ? `this run names no OVH account and the worker has no default one (it has: ${this.names.join(', ') || 'none'})`
          : `this worker has no OVH account named "${name}" (it has: ${this.names.join(', ') || 'none'})`,
      );
    }
    return client;
  }
}

/**
 * One client per account, its secrets read now (worker start): a missing variable or unreadable secret file is a
 * startup error naming the account, not a failure of the first run that needs it.
 */
export function createAccountRouter(accounts: AccountSettings[], defaultAccount: string | undefined, logger: Logger, env: NodeJS.ProcessEnv = process.env): OvhAccountRouter {
  const problems: string[] = [];
  const clients = new Map<string, OvhClient>();
  for (const account of accounts) {
    const where = `OVH account "${account.name}"`;
    const common = {
      endpoint: account.endpoint,
      ...(account.caFile ? { caFile: account.caFile } : {}),
      timeoutMs: account.timeoutMs,
      rateLimitPerSecond: account.rateLimitPerSecond,
      logger: logger.child({ ovhAccount: account.name }),
    };
    const { auth } = account;
    if (auth.kind === 'service-account') {
      const clientId = readIdentifier(auth.clientId, env, where, problems);
      const clientSecret = readSecret(auth.clientSecret, env, where, problems);
      if (clientId && clientSecret) clients.set(account.name, new OvhClient({ ...common, serviceAccount: { clientId, clientSecret, ...(auth.tokenUrl ? { tokenUrl: auth.tokenUrl } : {}) } }));
    } else {
      const applicationKey = readIdentifier(auth.applicationKey, env, where, problems);
      const applicationSecret = readSecret(auth.applicationSecret, env, where, problems);
      const consumerKey = auth.consumerKey ? readSecret(auth.consumerKey, env, where, problems) : undefined;
      if (applicationKey && applicationSecret) clients.set(account.name, new OvhClient({ ...common, applicationKey, applicationSecret, ...(consumerKey ? { consumerKey } : {}) }));
    }
  }
  if (problems.length > 0) throw new Error(`Invalid OVH account configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return new OvhAccountRouter(clients, defaultAccount);
}
