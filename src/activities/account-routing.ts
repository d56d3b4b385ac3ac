// Activities take one OvhClient; on a worker with several OVH accounts it is this stand-in, which hands each call to
// the client of the running activity's account (src/ovh/account-router.ts). An account the worker does not have is a
// permanent failure with a message naming it: retrying cannot make credentials appear.
import { OvhClient } from '../ovh/client.js';
import type { OvhAccountRouter } from '../ovh/account-router.js';
import { UnknownAccountError } from '../shared/accounts.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { permanentFailure } from './failures.js';

function unknownAccount(error: UnknownAccountError) {
  return permanentFailure(FAILURE_TYPES.unknownAccount, error.message, {
    hint: 'add the account to the OVHFLOW_ACCOUNTS_FILE of every worker of this task queue and restart them, then retry',
  });
}

export function accountRoutedClient(router: OvhAccountRouter): OvhClient {
  const clientNow = (): OvhClient => {
    try {
      return router.clientFor();
    } catch (error) {
      throw error instanceof UnknownAccountError ? unknownAccount(error) : error;
    }
  };
  return new Proxy({} as OvhClient, {
    get(_target, property) {
      const method: unknown = (OvhClient.prototype as unknown as Record<PropertyKey, unknown>)[property];
      if (typeof method === 'function') {
        // Every OvhClient method answers a promise: an unknown account is a rejection, like any failed call.
        return async (...args: unknown[]) => (method as (...a: unknown[]) => Promise<unknown>).apply(clientNow(), args);
      }
      return (clientNow() as unknown as Record<PropertyKey, unknown>)[property];
    },
  });
}
