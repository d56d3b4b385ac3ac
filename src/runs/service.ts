// What the CLI and the HTTP API do with runs — start, find, describe, decide — over one Temporal client.
// Both triggers call this, so a run started from one looks the same from the other.
import { randomUUID } from 'node:crypto';
import { QueryNotRegisteredError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { ApplicationFailure, type ProtoFailure, type SearchAttributePair, type Workflow } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow/index.js';
import {
  abortUpdate,
  confirmUpdate,
  progressQuery,
  retryUpdate,
  RUN_ABORTED,
  skipUpdate,
  type DecisionAck,
  type RunProgress,
  type RunStatus,
  type RunType,
} from '../shared/runs.js';
import { ACCOUNT, RUN_STATUS, RUN_TYPE } from '../shared/search-attributes.js';
import type { ProvisionSiteResult } from '../shared/provision.js';
import { accountScopedId, DEFAULT_ACCOUNT_NAME, resolveAccount, type AccountNames } from '../shared/accounts.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import { confirmableKinds, RUN_KINDS, RUN_TYPE_OF_WORKFLOW, type RunInput, type RunKind } from './run-kinds.js';
import { listExecutions } from './list-executions.js';
import { FAILURE_TYPES } from '../shared/failures.js';

export interface RunRef {
  workflowId: string;
  runId: string;
  /** True when the same business run already existed and was returned instead of starting a second one. */
  existing: boolean;
}

export interface PendingCheck {
  activity: string;
  attempt: number;
  lastFailure?: string;
  nextCheckAt?: string;
}

export interface RunView {
  workflowId: string;
  runId: string;
  type: RunType | 'unknown';
  status: RunStatus;
  /** The OVH account the run acts in (absent for runs started before accounts existed: the default one). */
  account?: string;
  startedAt?: string;
  closedAt?: string;
  progress?: RunProgress;
  /** What the run is doing right now at OVH, from its pending activity (the task poll), if any. */
  pending?: PendingCheck;
  result?: unknown;
  failure?: { type?: string; message: string };
  /** Why `progress` is missing from a running run: no worker answered its query in time (a worker down or busy). */
  progressUnavailable?: string;
}

/**
 * How long a run's progress query may wait for a worker. A running run whose task queue has no live worker holds its
 * query until a worker comes back: a page or a `status` that lists it must not hang with it.
 */
export const PROGRESS_QUERY_DEADLINE_MS = 4_000;

export interface DescribeOptions {
  /**
   * Task queues that already left a query unanswered in this listing: their other runs are not queried again (one
   * worker down costs one deadline, not one per run). Filled by describeRun.
   */
  unansweredQueues?: Set<string>;
  /**
   * When the query's answer stops being worth waiting for (epoch ms; default: PROGRESS_QUERY_DEADLINE_MS from now). A
   * page listing many runs gives them all one deadline: it answers in bounded time however many workers are down.
   */
  queryDeadline?: number;
}


export class UnknownRunError extends Error {
  override name = 'UnknownRunError';
}

/** A request id this run kind cannot take (a usage error: nothing was started). */
export class RequestIdError extends Error {
  override name = 'RequestIdError';
}

export class DecisionRejectedError extends Error {
  override name = 'DecisionRejectedError';
}

/**
 * A decision no worker took in time: the run's workers are down or busy. Temporal keeps the update it admitted and
 * hands it to the next worker that picks the run up, so the decision may still apply later.
 */
export class DecisionNotTakenError extends Error {
  override name = 'DecisionNotTakenError';
}

/** How long `retry`/`skip`/`abort`/`confirm` wait for a worker to take the decision before saying none did. */
export const DEFAULT_DECISION_TIMEOUT_MS = 30_000;

/** Which OVH account a run acts for: its name (never a credential); the default account when absent. */
export interface AccountChoice {
  account?: string;
}

/** A worker configured the classic way: one account, `default` (the OVH_* environment variables). */
/**
 * A query no worker answered: cut by its deadline (gRPC DEADLINE_EXCEEDED), or refused by Temporal because no worker
 * polled the run's task queue lately (FAILED_PRECONDITION "no poller seen for task queue recently"); bare or as the
 * SDK's ServiceError cause.
 */
function isNoWorker(error: unknown): boolean {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 4; cause = cause.cause as typeof cause, depth++) {
    if (cause.code === 4 || cause.code === 9) return true;
  }
  return false;
}

const SINGLE_ACCOUNT: AccountNames = { defaultAccount: DEFAULT_ACCOUNT_NAME, names: [DEFAULT_ACCOUNT_NAME] };

export function createRunService({
  client,
  taskQueue,
  settings = {},
  accounts = SINGLE_ACCOUNT,
  decisionTimeoutMs = DEFAULT_DECISION_TIMEOUT_MS,
}: {
  client: Client;
  taskQueue: string;
  settings?: RunSettings;
  decisionTimeoutMs?: number;
  /** The configured account names (config.accounts): a run naming another one is refused before anything starts. */
  accounts?: AccountNames;
}) {
  /**
   * The run's account (an {@link UnknownAccountError} — a usage error — for a name not configured), its workflow id
   * in that account, and the search attribute that lets its workflow (and so its activities) know it.
   */
  function inAccount(workflowId: string, choice: AccountChoice = {}): { workflowId: string; account: string; searchAttributes: SearchAttributePair[] } {
    const account = resolveAccount(accounts, choice.account);
    return { workflowId: accountScopedId(workflowId, account, accounts), account, searchAttributes: [{ key: ACCOUNT, value: account }] };
  }

  /**
   * Starts the run of `runType`, or finds the one already running under the same business key. `summary` is what the
   * Temporal UI lists the run as (user metadata: not encrypted, so never a secret — names and domains only).
   */
  async function startOrFind<T extends RunType>(
    runType: T,
    businessId: string,
    args: Parameters<(typeof RUN_KINDS)[T]['workflow']>,
    summary: string,
    searchAttributes: SearchAttributePair[] = [],
    choice: AccountChoice = {},
    /** Whether a completed run of this key is outdated (its site was decommissioned since), so a new one starts. */
    outdated?: (closedAt: Date, account: string) => Promise<boolean>,
  ): Promise<RunRef> {
    // Resolved first: an unknown account starts nothing.
    const scoped = inAccount(businessId, choice);
    const workflowId = scoped.workflowId;
    searchAttributes = [...searchAttributes, ...scoped.searchAttributes];
    if (scoped.account !== accounts.defaultAccount) summary = `${summary} [account ${scoped.account}]`;
    // A failed or aborted run can be run again; a completed one is the answer — unless what it made is gone.
    let workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' | 'ALLOW_DUPLICATE' = 'ALLOW_DUPLICATE_FAILED_ONLY';
    try {
      const existing = await client.workflow.getHandle(workflowId).describe();
      if (existing.status.name === 'RUNNING') return { workflowId, runId: existing.runId, existing: true };
      if (existing.status.name === 'COMPLETED' && existing.closeTime && outdated && (await outdated(existing.closeTime, scoped.account))) {
        workflowIdReusePolicy = 'ALLOW_DUPLICATE';
      }
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    try {
      const workflow = RUN_KINDS[runType].workflow as Workflow;
      const handle = await client.workflow.start(workflow, {
        workflowId,
        taskQueue,
        args,
        staticSummary: summary,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy,
        typedSearchAttributes: [{ key: RUN_TYPE, value: runType }, { key: RUN_STATUS, value: 'running' }, ...searchAttributes],
      });
      return { workflowId, runId: handle.firstExecutionRunId, existing: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        const existing = await client.workflow.getHandle(workflowId).describe();
        return { workflowId, runId: existing.runId, existing: true };
      }
      throw error;
    }
  }

  /**
   * Whether the site was decommissioned after its provisioning completed: then provisioning it again is a new run,
   * not the old run's answer (which describes resources that are gone).
   */
  async function decommissionedSince(site: { serviceName: string; domain: string }, closedAt: Date, account: string): Promise<boolean> {
    const query = [
      `WorkflowType = '${RUN_KINDS.decommission.workflow.name}'`,
      `ExecutionStatus = 'Completed'`,
      `OvhflowService = '${site.serviceName}'`,
      `OvhflowDomain = '${site.domain}'`,
      `OvhflowAccount = '${account}'`,
      `CloseTime > '${closedAt.toISOString()}'`,
    ].join(' AND ');
    for await (const found of listExecutions(client, query)) return found.workflowId !== '';
    return false;
  }

  /** A failure's message: the failure converter moved it into an encrypted payload ("Encoded failure" until decoded). */
  async function failureMessage(failure: ProtoFailure): Promise<string> {
    const decoded = await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, failure).catch(() => undefined);
    return decoded?.message ?? failure.message ?? '';
  }

  async function describeRun(workflowId: string, options: DescribeOptions = {}): Promise<RunView> {
    const handle = client.workflow.getHandle(workflowId);
    let description: WorkflowExecutionDescription;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(`no run with id "${workflowId}"`);
      throw error;
    }
    const type = RUN_TYPE_OF_WORKFLOW[description.type] ?? 'unknown';
    const view: RunView = {
      workflowId,
      runId: description.runId,
      type,
      status: 'running',
      ...(description.typedSearchAttributes.get(ACCOUNT) ? { account: description.typedSearchAttributes.get(ACCOUNT) } : {}),
      startedAt: description.startTime.toISOString(),
      ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
    };
    const running = description.status.name === 'RUNNING';
    const queue = description.taskQueue;
    const deadline = options.queryDeadline ?? Date.now() + PROGRESS_QUERY_DEADLINE_MS;
    const unanswered = `no worker on task queue "${queue}" answered in time`;
    if (running && (options.unansweredQueues?.has(queue) || Date.now() >= deadline)) {
      view.progressUnavailable = unanswered;
    } else {
      try {
        const handle = client.workflow.getHandle(workflowId, description.runId);
        view.progress = await client.withDeadline(deadline, () => handle.query(progressQuery));
      } catch (error) {
        // A run of a workflow type without progress, no worker to answer a closed run's query, or a running run whose
        // worker is down: status alone (for a running one, from its search attribute, and said why).
        if (running && isNoWorker(error)) {
          options.unansweredQueues?.add(queue);
          view.progressUnavailable = unanswered;
        } else if (running && !(error instanceof QueryNotRegisteredError)) {
          view.progressUnavailable = `its worker did not answer (${(error as Error).message})`;
        }
      }
    }
    switch (description.status.name) {
      case 'RUNNING': {
        // Only the workflow's close makes a run completed, failed or aborted: until then it is running (or waiting).
        // Without an answer from a worker, the run's own last word (its status search attribute) says which.
        const said = view.progress?.status ?? description.typedSearchAttributes.get(RUN_STATUS);
        view.status = said === 'needs-attention' ? 'needs-attention' : 'running';
        const pending = description.raw.pendingActivities?.[0];
        if (pending) {
          view.pending = {
            activity: pending.activityType?.name ?? '',
            attempt: pending.attempt ?? 1,
            ...(pending.lastFailure?.message ? { lastFailure: await failureMessage(pending.lastFailure) } : {}),
            ...(pending.nextAttemptScheduleTime?.seconds
              ? { nextCheckAt: new Date(Number(pending.nextAttemptScheduleTime.seconds) * 1000).toISOString() }
              : {}),
          };
        }
        break;
      }
      case 'COMPLETED':
        view.status = 'completed';
        view.result = await client.workflow.getHandle(workflowId, description.runId).result();
        break;
      case 'FAILED': {
        try {
          await client.workflow.getHandle(workflowId, description.runId).result();
        } catch (error) {
          const cause = (error as { cause?: unknown }).cause;
          const failure = cause instanceof ApplicationFailure ? cause : undefined;
          view.status = failure?.type === RUN_ABORTED ? 'aborted' : 'failed';
          view.failure = { ...(failure?.type ? { type: failure.type } : {}), message: (failure ?? (error as Error)).message };
        }
        break;
      }
      case 'CANCELLED': {
        // Cancelled from the Temporal UI or `temporal workflow cancel`: the run undid what it created first.
        view.status = 'cancelled';
        const compensation = view.progress?.compensation;
        const undone = compensation ? `; undone: ${compensation.undone.join(', ') || 'nothing'}` : '';
        const notUndone = compensation?.notUndone.length
          ? `; COULD NOT UNDO (clean up by hand): ${compensation.notUndone.map((f) => `${f.what} (${f.reason})`).join(', ')}`
          : '';
        view.failure = { type: 'Cancelled', message: `run cancelled${undone}${notUndone}` };
        break;
      }
      default:
        view.status = 'failed';
        view.failure = { message: `run ${description.status.name.toLowerCase()}` };
    }
    return view;
  }

  async function decide(workflowId: string, decision: 'retry' | 'skip' | 'abort' | 'confirm', set: string[] = []): Promise<DecisionAck> {
    const handle = client.workflow.getHandle(workflowId);
    const send = (): Promise<DecisionAck> => {
      if (decision === 'retry') return handle.executeUpdate(retryUpdate, { args: [{ set }] });
      if (decision === 'confirm') return handle.executeUpdate(confirmUpdate);
      if (decision === 'skip') return handle.executeUpdate(skipUpdate);
      return handle.executeUpdate(abortUpdate);
    };
    try {
      // An update is answered by a worker: with none polling, Temporal would hold the call open for ever.
      return await client.withDeadline(Date.now() + decisionTimeoutMs, send);
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        throw new DecisionNotTakenError(
          `no worker took the ${decision} within ${Math.round(decisionTimeoutMs / 1000)} s: is a worker running on task queue "${taskQueue}"? ` +
            `Temporal keeps the decision and applies it when a worker picks the run up; follow it with \`ovhflow status ${workflowId}\``,
        );
      }
      if (error instanceof WorkflowNotFoundError) {
        // Temporal answers "not found" to an update on a run that has ended: say which it is.
        const view = await describeRun(workflowId);
        throw new DecisionRejectedError(`cannot ${decision}: run ${workflowId} is ${view.status}, not waiting for an operator`);
      }
      // A rejected update (validator) leaves no trace in history; its reason reaches the caller.
      const cause = (error as { cause?: { message?: string } }).cause;
      if ((error as Error).name === 'WorkflowUpdateFailedError') throw new DecisionRejectedError(cause?.message ?? (error as Error).message);
      throw error;
    }
  }

  return {
    client,
    /** Where runs (and the schedules' runs) are queued, and the settings every run starts with. */
    taskQueue,
    settings,

    /** The configured account names, and the default one. */
    accounts,
    inAccount,

    /**
     * Starts a run of `type` from its parsed input (the table's parser ran: the CLI, the API and the console parse and
     * check first), or finds the one already running under the same business key. Kinds whose workflow id ends with a
     * request id take `requestId` (a new UUID when absent).
     */
    start<T extends RunType>(type: T, input: RunInput<T>, options: AccountChoice & { requestId?: string } = {}): Promise<RunRef> {
      const kind = RUN_KINDS[type] as unknown as RunKind;
      const requestId = options.requestId ?? randomUUID();
      const issue = kind.requestIdIssue?.(requestId);
      if (issue) throw new RequestIdError(`request id "${requestId.slice(0, 80)}": ${issue}`);
      const site = kind.outdatedByDecommission?.(input);
      return startOrFind(
        type,
        kind.workflowId(input, requestId),
        (kind.args?.(input, settings, requestId) ?? [input, settings]) as Parameters<(typeof RUN_KINDS)[T]['workflow']>,
        kind.summary(input),
        kind.searchAttributes(input),
        options,
        site ? (closedAt, account) => decommissionedSince(site, closedAt, account) : undefined,
      );
    },

    describeRun,

    async listRuns(filter: { needsAttention?: boolean; type?: RunType; account?: string; limit?: number } = {}) {
      const clauses = ['OvhflowRunType IS NOT NULL'];
      if (filter.type) clauses.push(`OvhflowRunType = '${filter.type}'`);
      if (filter.account !== undefined) {
        const account = resolveAccount(accounts, filter.account);
        // Runs started before accounts existed carry no account: they are the default account's.
        clauses.push(account === accounts.defaultAccount ? `(OvhflowAccount = '${account}' OR OvhflowAccount IS NULL)` : `OvhflowAccount = '${account}'`);
      }
      if (filter.needsAttention) clauses.push(`OvhflowStatus = 'needs-attention'`);
      const runs = [];
      for await (const info of listExecutions(client, clauses.join(' AND '))) {
        const status = info.typedSearchAttributes.get(RUN_STATUS) ?? (info.status === 'RUNNING' ? 'running' : info.status.toLowerCase());
        runs.push({
          workflowId: info.workflowId,
          runId: info.runId,
          type: info.typedSearchAttributes.get(RUN_TYPE) ?? RUN_TYPE_OF_WORKFLOW[info.type] ?? 'unknown',
          status: status as RunStatus,
          account: info.typedSearchAttributes.get(ACCOUNT) ?? accounts.defaultAccount ?? DEFAULT_ACCOUNT_NAME,
          startedAt: info.startTime.toISOString(),
          ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
        });
        if (runs.length >= (filter.limit ?? 100)) break;
      }
      return runs;
    },

    retry: (workflowId: string, set: string[] = []) => decide(workflowId, 'retry', set),
    skip: (workflowId: string) => decide(workflowId, 'skip'),
    abort: (workflowId: string) => decide(workflowId, 'abort'),
    /**
     * The go-ahead a run of a kind with a confirmation (the table's `confirmation`: a restore, a decommission, …) waits
     * for when started without one. Any other run is refused here, with what to do instead, before Temporal would
     * answer with "no registered handler".
     */
    async confirm(workflowId: string): Promise<DecisionAck & { confirmed: string }> {
      const view = await describeRun(workflowId);
      const confirmation = view.type === 'unknown' ? undefined : (RUN_KINDS[view.type] as unknown as RunKind).confirmation;
      if (!confirmation) {
        throw new DecisionRejectedError(
          `cannot confirm: run ${workflowId} is a ${view.type} run, and only ${confirmableKinds()} waits for a confirmation` +
            (view.status === 'needs-attention' ? ` (decide with: ovhflow retry|skip|abort ${workflowId})` : ''),
        );
      }
      return { ...(await decide(workflowId, 'confirm')), confirmed: confirmation.what };
    },

    /**
     * Waits until the run completes, fails, is aborted or needs attention, reporting each change. With
     * `throughSelfResolving`, a wait the run ends by itself (DNS: it re-checks with backoff) is followed, not returned.
     */
    async waitForOutcome(workflowId: string, onChange?: (view: RunView) => void, pollMs = 1000, throughSelfResolving = false): Promise<RunView> {
      let last = '';
      for (;;) {
        const view = await describeRun(workflowId);
        const fingerprint = JSON.stringify([view.status, view.progress?.steps, view.pending?.attempt, view.pending?.lastFailure]);
        if (fingerprint !== last) {
          last = fingerprint;
          onChange?.(view);
        }
        const selfResolving = view.status === 'needs-attention' && view.progress?.attention?.failureType === FAILURE_TYPES.waitingForDns;
        if (view.status !== 'running' && !(throughSelfResolving && selfResolving)) return view;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
export type { ProvisionSiteResult };
export const newRequestId = () => randomUUID();
