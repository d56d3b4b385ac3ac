// What every ovhflow run shares, whatever its type: step states, the progress query, the operator's updates and
// the run status. Defined once here so the workflows, the CLI, the HTTP API and the tests cannot drift apart.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { FAILURE_TYPES } from './failures.js';

export const RUN_TYPES = ['provision', 'backup', 'restore', 'nightly', 'ftp-user', 'renew-cert', 'decommission', 'update-domain', 'rotate', 'ftp-user-update', 'ftp-user-delete', 'php', 'env', 'deploy', 'cron', 'apply'] as const;
export type RunType = (typeof RUN_TYPES)[number];

/**
 * How a run stands. `aborted` and `cancelled` both mean: stopped on purpose, and what the run had created was undone
 * (an operator's abort, or a cancel from the Temporal UI / `temporal workflow cancel`).
 */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'needs-attention', 'aborted', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type StepState =
  | 'pending'
  | 'running'
  | 'waiting-for-ovh-task'
  /** Waiting until the domain points at the hosting (DNS changed outside, or propagating). */
  | 'waiting-for-dns'
  | 'done'
  | 'adopted'
  | 'skipped'
  | 'failed'
  | 'needs-attention';

export interface OvhTaskRef {
  id: number;
  function?: string;
  status?: string;
}

export interface StepProgress {
  name: string;
  title: string;
  state: StepState;
  startedAt?: string;
  endedAt?: string;
  /** The OVH task the step waits on, while it waits. */
  task?: OvhTaskRef;
  /** A short human note: what was created or adopted, or why it was skipped. */
  note?: string;
  attempts: number;
}

/** Why a run stopped for an operator, in words a person can act on. */
export interface Attention {
  step: string;
  /** Stable failure type, e.g. `OvhConflict`, `OvhTaskCancelled`, `StepDeadlineExceeded`. */
  failureType: string;
  message: string;
  ovhMessage?: string;
  queryId?: string;
  /** What to check before retrying. */
  hint?: string;
  since: string;
}

export type OperatorDecision = 'retry' | 'skip' | 'abort' | 'confirm';

export interface RunProgress {
  runType: RunType;
  status: RunStatus;
  currentStep?: string;
  steps: StepProgress[];
  attention?: Attention;
  /**
   * What an abort (or a cancel) would undo right now, in the order it would undo it: the resources this run created
   * and still owns. Empty when nothing would be undone.
   */
  undo?: string[];
  /** Once the run ended by abort or cancel: what was undone, and what could not be (clean up by hand). */
  compensation?: { undone: string[]; notUndone: Array<{ what: string; reason: string }> };
  /** What a destructive run will do (or did), one line each, shown before it removes anything (decommission). */
  plan?: string[];
  /**
   * While the run waits for an operator: the decisions it takes now, so nobody is offered one it would refuse (a
   * preflight cannot be skipped; a go-ahead is confirmed or aborted). Absent from workers older than this field.
   */
  decisions?: OperatorDecision[];
  startedAt: string;
  endedAt?: string;
}

export interface RetryRequest {
  /** Corrections as `key=value` pairs (e.g. `path=www2`, `database.capability=sqlPro`), validated before acceptance. */
  set?: string[];
}

export interface DecisionAck {
  step: string;
  decision: 'retry' | 'skip' | 'abort' | 'confirm';
}

export const progressQuery = defineQuery<RunProgress>('progress');
export const retryUpdate = defineUpdate<DecisionAck, [RetryRequest]>('retry');
export const skipUpdate = defineUpdate<DecisionAck, []>('skip');
export const abortUpdate = defineUpdate<DecisionAck, []>('abort');
/** The go-ahead a destructive run (restore, decommission, …: the run kinds table's `confirmation`) started without one waits for. */
export const confirmUpdate = defineUpdate<DecisionAck, []>('confirm');

/** Failure type shown while a run waits for its confirmation (needs-attention, but nothing failed). */
export const CONFIRMATION_REQUIRED = FAILURE_TYPES.confirmationRequired;

/** Failure type of a run that an operator aborted (after its compensations ran). */
export const RUN_ABORTED = FAILURE_TYPES.runAborted;
