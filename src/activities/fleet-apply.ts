// The parent of an apply starts its children and follows them through the worker's own Temporal client: a child is
// a run like any other (started as the run service starts it: its kind's workflow id, summary, search attributes,
// account), so it is found by `ovhflow runs ls`, decided on with `retry`/`skip`/`abort`/`confirm`, and a second
// start of the same change finds it. Following a child is one look per activity attempt, the retry policy polling:
// a child that waits for an operator is reported to the parent, which goes on without it.
import { Context } from '@temporalio/activity';
import { RUN_KINDS, type RunKind } from '../runs/run-kinds.js';
import { createRunService, UnknownRunError, type RunView } from '../runs/service.js';
import type { ApplyChildRef, ApplyChildState, StartApplyChildRequest } from '../shared/apply.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { RUN_STATUS } from '../shared/search-attributes.js';
import { permanentFailure, stillPending } from './failures.js';

/** How long one attempt of checkApplyChild follows a child, and how often it looks. */
const FOLLOW_MS = 20_000;
const FOLLOW_EVERY_MS = 500;

/** How many times a change already made by an older apply (and undone since by hand) is made again under a new id. */
const MAX_GENERATIONS = 20;

function runServiceOf(request: Pick<StartApplyChildRequest, 'accounts' | 'settings'>) {
  const context = Context.current();
  return createRunService({ client: context.client, taskQueue: context.info.taskQueue, settings: request.settings, accounts: request.accounts });
}

async function viewOf(runs: ReturnType<typeof runServiceOf>, workflowId: string): Promise<RunView | undefined> {
  try {
    return await runs.describeRun(workflowId);
  } catch (error) {
    if (error instanceof UnknownRunError) return undefined;
    throw error;
  }
}

export function createFleetApplyActivities() {
  return {
    /**
     * Starts one child, or finds it: one running (or waiting for an operator), or one that ended since this apply
     * began, is this apply's own (a retried activity, a resumed parent). One that ended before is an older apply's
     * whose change did not hold: the change is made again under the next id of its line.
     */
    async startApplyChild(request: StartApplyChildRequest): Promise<ApplyChildRef> {
      const runs = runServiceOf(request);
      const kind = RUN_KINDS[request.runType] as unknown as RunKind;
      for (let generation = 0; generation < MAX_GENERATIONS; generation += 1) {
        const requestId = generation === 0 ? request.requestId : `${request.requestId}-${generation}`;
        const { workflowId } = runs.inAccount(kind.workflowId(request.input, requestId), { account: request.account });
        const view = await viewOf(runs, workflowId);
        if (view && (view.status === 'running' || view.status === 'needs-attention')) return { workflowId, found: true };
        if (view?.closedAt !== undefined && view.closedAt >= request.startedAt) return { workflowId, found: true };
        // A completed older run under an id without a request id (provisioning's business key): the run service decides.
        const nextId = runs.inAccount(kind.workflowId(request.input, `${request.requestId}-${generation + 1}`), { account: request.account }).workflowId;
        if (view?.status === 'completed' && nextId !== workflowId) continue;
        const ref = await runs.start(request.runType, request.input as never, { account: request.account, requestId });
        return { workflowId: ref.workflowId, found: ref.existing };
      }
      throw permanentFailure(FAILURE_TYPES.refused, `${MAX_GENERATIONS} earlier runs of this change ended and the change did not hold: not starting another`);
    },

    /**
     * Follows a child for up to FOLLOW_MS: a light look (Temporal's describe: its status and its status search
     * attribute, no query to a worker) every FOLLOW_EVERY_MS, then the full view once it ended or waits for someone:
     * still going after that, a benign "not yet" the retry policy repeats. An apply's lane is free again within half
     * a second of its child ending, not at the next step of a backoff.
     */
    async checkApplyChild(request: { workflowId: string; accounts: StartApplyChildRequest['accounts'] }): Promise<ApplyChildState> {
      const context = Context.current();
      const runs = runServiceOf({ accounts: request.accounts, settings: {} });
      const handle = context.client.workflow.getHandle(request.workflowId);
      const until = Date.now() + FOLLOW_MS;
      for (;;) {
        const light = await handle.describe();
        if (light.status.name !== 'RUNNING' || light.typedSearchAttributes.get(RUN_STATUS) !== 'running' || Date.now() >= until) break;
        context.heartbeat();
        await context.sleep(FOLLOW_EVERY_MS);
      }
      const view = await runs.describeRun(request.workflowId);
      const attention = view.progress?.attention;
      if (view.status === 'running' || (view.status === 'needs-attention' && attention?.failureType === FAILURE_TYPES.waitingForDns)) {
        throw stillPending(`run ${request.workflowId} is still ${view.status === 'running' ? 'running' : 'waiting for DNS'}`);
      }
      if (view.status === 'completed') return { status: 'done' };
      if (view.status === 'needs-attention') {
        const decide = attention?.failureType === FAILURE_TYPES.confirmationRequired ? `ovhflow confirm ${request.workflowId} (or abort)` : `ovhflow retry|skip|abort ${request.workflowId}`;
        return { status: 'needs-attention', reason: `${attention ? `${attention.step}: ${attention.message}` : 'waits for an operator'} — ${decide}` };
      }
      return { status: 'failed', reason: `${view.status}${view.failure ? `: ${view.failure.message}` : ''}` };
    },
  };
}
