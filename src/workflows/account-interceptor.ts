// Every run acts for one OVH account; its activities and child workflows must too, without each workflow having to
// pass the account around (and without changing any workflow or activity signature, so runs started before accounts
// existed replay unchanged: headers are not part of the determinism check). The run's account comes from its
// `ovhflow-account` header (a child, a continue-as-new) or its OvhflowAccount search attribute (set by the starters
// and by schedules); it is then put on every activity and child it schedules. Runs without one (started before
// accounts existed, or of the default account) schedule without it: the worker then uses its default account.
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { ACCOUNT_HEADER } from '../shared/accounts.js';
import { ACCOUNT } from '../shared/search-attributes.js';

function accountOfHeaders(headers: Headers): string | undefined {
  const payload = headers[ACCOUNT_HEADER];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' && value ? value : undefined;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  // One factory call per workflow execution: this closure is the run's own.
  let account: string | undefined;
  const withAccount = (headers: Headers): Headers =>
    account === undefined || headers[ACCOUNT_HEADER] ? headers : { ...headers, [ACCOUNT_HEADER]: defaultPayloadConverter.toPayload(account) };
  return {
    inbound: [
      {
        execute(input, next) {
          account = accountOfHeaders(input.headers) ?? workflowInfo().typedSearchAttributes.get(ACCOUNT) ?? undefined;
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: withAccount(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: withAccount(input.headers) }),
        startChildWorkflowExecution: (input, next) => next({ ...input, headers: withAccount(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: withAccount(input.headers) }),
      },
    ],
  };
};
