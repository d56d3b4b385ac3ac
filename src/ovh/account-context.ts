// Which OVH account the code running now acts for. An activity runs inside its run's account (the activity
// interceptor below reads the `ovhflow-account` header the workflow interceptor put on it), so the worker's one
// OvhClient (a router, accounts.ts) picks that account's client without any activity knowing about accounts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ACCOUNT_HEADER } from '../shared/accounts.js';

const current = new AsyncLocalStorage<string>();

/** The account of the activity (or code) running now; undefined = the worker's default account. */
export function currentAccount(): string | undefined {
  return current.getStore();
}

export function runInAccount<T>(account: string, fn: () => T): T {
  return current.run(account, fn);
}

function accountOfHeaders(headers: Headers): string | undefined {
  const payload = headers[ACCOUNT_HEADER];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' && value ? value : undefined;
}

/** Runs each activity inside the account its header names. */
export const accountActivityInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute(input, next) {
      const account = accountOfHeaders(input.headers);
      return account === undefined ? next(input) : runInAccount(account, () => next(input));
    },
  },
});
