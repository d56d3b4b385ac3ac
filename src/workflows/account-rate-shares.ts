// The one place an OVH account's rate limit is shared out among worker processes (src/shared/rate-shares.ts says
// why). Long-lived and cheap: nothing happens between requests, and each request is one Update (no activity, no
// timer). The holders are carried over continue-as-new, so a share granted just before it still counts after.
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  claimRateShare,
  grantRateShare,
  rateShareRequestProblem,
  rateSharesQuery,
  type AccountRateSharesInput,
  type RateShareHolder,
} from '../shared/rate-shares.js';

const DEFAULT_MAX_HISTORY_EVENTS = 2_000;

export async function accountRateShares(input: AccountRateSharesInput): Promise<void> {
  let holders: RateShareHolder[] = input.holders ?? [];
  let limitPerSecond: number | null = null;

  setHandler(
    claimRateShare,
    (request) => {
      const next = grantRateShare(holders, request, Date.now(), input.leaseMs);
      holders = next.holders;
      limitPerSecond = next.limitPerSecond;
      return next.grant;
    },
    {
      validator: (request) => {
        const problem = rateShareRequestProblem(request);
        if (problem) throw new TypeError(problem);
      },
    },
  );
  setHandler(rateSharesQuery, () => ({ account: input.account, limitPerSecond, holders }));

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxEvents);
  await condition(allHandlersFinished);
  await continueAsNew<typeof accountRateShares>({ ...input, holders });
}
