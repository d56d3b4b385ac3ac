// The operator-control core every ovhflow workflow shares: step states for the progress query, the search
// attributes people filter runs by, and needs-attention — a permanent failure stops the step and the run waits for an
// operator's decision (retry, optionally with corrections; skip; abort), delivered as a validated Update.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import { FAILURE_TYPES, HINTS, type FailureDetails } from '../shared/failures.js';
import {
  abortUpdate,
  progressQuery,
  retryUpdate,
  skipUpdate,
  type Attention,
  type DecisionAck,
  type OvhTaskRef,
  type RetryRequest,
  type RunProgress,
  type RunType,
  type StepProgress,
} from '../shared/runs.js';
import { CURRENT_STEP, RUN_STATUS, RUN_TYPE } from '../shared/search-attributes.js';

/** Thrown inside the workflow when an operator aborts; the workflow compensates, then fails the run as aborted. */
export class AbortRequested extends Error {
  override name = 'AbortRequested';
  constructor(readonly step: string) {
    super(`aborted by an operator at step ${step}`);
  }
}

type Decision = { kind: 'retry'; set: string[] } | { kind: 'skip' } | { kind: 'abort' };

export interface StepHandle {
  /** The step now waits on an OVH task (shown by the progress query). */
  waitingFor(task: OvhTaskRef): void;
  /** The resource already existed with the requested settings: nothing was created. */
  adopted(note: string): void;
  note(note: string): void;
}

export type StepOutcome<T> = { outcome: 'done' | 'adopted'; value: T } | { outcome: 'skipped' };

export interface RunControlOptions {
  /** Validates `retry --set` corrections; returns an error message to reject the update. */
  validateCorrections?: (set: string[]) => string | undefined;
  /** Applies validated corrections before the step runs again. */
  applyCorrections?: (set: string[]) => void;
  /** Steps an operator may not skip (e.g. preflight, whose findings later steps need). */
  unskippable?: string[];
  /** Called each time the run starts waiting for an operator (e.g. a nightly child telling its parent). */
  onNeedsAttention?: (attention: Attention) => Promise<void>;
}

export class RunControl {
  readonly progress: RunProgress;
  private decision?: Decision;
  /** What the search attributes last said, so only real changes are written. */
  private indexed = '';
  /** The step held by {@link hold}, while it waits for its go-ahead. */
  private holding?: string;

  constructor(
    runType: RunType,
    steps: readonly { name: string; title: string }[],
    private readonly options: RunControlOptions = {},
  ) {
    this.progress = {
      runType,
      status: 'running',
      steps: steps.map((s) => ({ name: s.name, title: s.title, state: 'pending', attempts: 0 })),
      startedAt: new Date().toISOString(),
    };
    // Registered before the workflow's first await, so no query or update is ever missed.
    setHandler(progressQuery, () => this.progress);
    const validator = (decision: string) => () => this.assertWaiting(decision);
    setHandler(retryUpdate, (request: RetryRequest) => this.decide({ kind: 'retry', set: request?.set ?? [] }), {
      validator: (request: RetryRequest) => {
        this.assertWaiting('retry');
        this.assertNotHeld('retry');
        const set = request?.set ?? [];
        if (set.length > 0) {
          const problem = this.options.validateCorrections?.(set) ?? (this.options.applyCorrections ? undefined : 'this run takes no corrections');
          if (problem) throw new Error(problem);
        }
      },
    });
    setHandler(skipUpdate, () => this.decide({ kind: 'skip' }), {
      validator: () => {
        this.assertWaiting('skip');
        this.assertNotHeld('skip');
        const step = this.progress.attention?.step;
        if (step && this.options.unskippable?.includes(step)) throw new Error(`step ${step} cannot be skipped: retry or abort`);
      },
    });
    setHandler(abortUpdate, () => this.decide({ kind: 'abort' }), { validator: validator('abort') });
    upsertSearchAttributes([
      { key: RUN_TYPE, value: runType },
      { key: RUN_STATUS, value: 'running' },
    ]);
  }

  /**
   * Runs one step. A permanent failure puts the run in needs-attention and waits for an operator: retry runs the
   * step again (after corrections), skip returns `skipped`, abort throws {@link AbortRequested}.
   */
  async step<T>(name: string, body: (step: StepHandle) => Promise<T>): Promise<StepOutcome<T>> {
    const step = this.stepNamed(name);
    for (;;) {
      step.attempts += 1;
      step.state = 'running';
      step.startedAt ??= new Date().toISOString();
      delete step.task;
      this.setCurrent(name, 'running');
      let adopted = false;
      try {
        const value = await body({
          waitingFor: (task) => {
            step.state = 'waiting-for-ovh-task';
            step.task = task;
          },
          adopted: (note) => {
            adopted = true;
            step.note = note;
          },
          note: (note) => {
            step.note = note;
          },
        });
        step.state = adopted ? 'adopted' : 'done';
        step.endedAt = new Date().toISOString();
        return { outcome: adopted ? 'adopted' : 'done', value };
      } catch (error) {
        if (error instanceof AbortRequested) throw error;
        const attention = describeFailure(name, error);
        step.state = 'needs-attention';
        this.progress.attention = attention;
        this.setCurrent(name, 'needs-attention');
        log.warn('run needs attention', { step: name, failureType: attention.failureType, message: attention.message, queryId: attention.queryId });
        await this.announceAttention(attention);

        await condition(() => this.decision !== undefined);
        const decision = this.decision as Decision;
        this.decision = undefined;
        delete this.progress.attention;
        log.info('operator decision', { step: name, decision: decision.kind });
        if (decision.kind === 'abort') {
          step.state = 'failed';
          step.endedAt = new Date().toISOString();
          throw new AbortRequested(name);
        }
        if (decision.kind === 'skip') {
          step.state = 'skipped';
          step.note = `skipped by an operator after: ${attention.message}`;
          step.endedAt = new Date().toISOString();
          this.setCurrent(name, 'running');
          return { outcome: 'skipped' };
        }
        if (decision.set.length > 0) this.options.applyCorrections?.(decision.set);
      }
    }
  }

  /**
   * Holds the run at a step until `released()` becomes true — a go-ahead the workflow receives through its own update,
   * such as a restore's confirmation — or an operator aborts. Meanwhile the run shows needs-attention with `reason`;
   * retry and skip are refused (nothing failed, there is nothing to retry).
   */
  async hold(name: string, reason: Pick<Attention, 'failureType' | 'message' | 'hint'>, released: () => boolean): Promise<void> {
    const step = this.stepNamed(name);
    step.attempts += 1;
    step.startedAt ??= new Date().toISOString();
    if (!released()) {
      const attention: Attention = { step: name, ...reason, since: new Date().toISOString() };
      step.state = 'needs-attention';
      this.progress.attention = attention;
      this.holding = name;
      this.setCurrent(name, 'needs-attention');
      log.info('run waits for a go-ahead', { step: name, failureType: reason.failureType });
      await this.announceAttention(attention);
      await condition(() => released() || this.decision !== undefined);
      this.holding = undefined;
      delete this.progress.attention;
      const decision = this.decision;
      this.decision = undefined;
      if (decision?.kind === 'abort') {
        step.state = 'failed';
        step.endedAt = new Date().toISOString();
        throw new AbortRequested(name);
      }
    }
    step.state = 'done';
    step.endedAt = new Date().toISOString();
    this.setCurrent(name, 'running');
  }

  /** The step waiting in {@link hold}, if any: what a go-ahead update's validator checks. */
  heldAt(): string | undefined {
    return this.holding;
  }

  /** Marks a step skipped without running it (not applicable to this run). */
  skip(name: string, note: string): void {
    const step = this.stepNamed(name);
    step.state = 'skipped';
    step.note = note;
  }

  completed(): void {
    this.finish('completed');
  }

  aborted(): void {
    this.finish('aborted');
  }

  failed(): void {
    this.finish('failed');
  }

  private finish(status: RunProgress['status']): void {
    this.progress.status = status;
    this.progress.endedAt = new Date().toISOString();
    delete this.progress.currentStep;
    upsertSearchAttributes([
      { key: RUN_STATUS, value: status },
      { key: CURRENT_STEP, value: null },
    ]);
  }

  private setCurrent(name: string, status: 'running' | 'needs-attention'): void {
    this.progress.currentStep = name;
    this.progress.status = status;
    // Search attributes change only on real transitions: each upsert is a history event.
    const indexed = `${status}|${name}`;
    if (indexed !== this.indexed) {
      this.indexed = indexed;
      upsertSearchAttributes([
        { key: RUN_STATUS, value: status },
        { key: CURRENT_STEP, value: name },
      ]);
    }
  }

  private stepNamed(name: string): StepProgress {
    const step = this.progress.steps.find((s) => s.name === name);
    if (!step) throw ApplicationFailure.nonRetryable(`unknown step ${name}`, 'OvhflowBug');
    return step;
  }

  private assertWaiting(decision: string): void {
    if (this.progress.status !== 'needs-attention' || this.decision !== undefined) {
      throw new Error(`cannot ${decision}: run ${workflowInfo().workflowId} is ${this.progress.status}, not waiting for an operator`);
    }
  }

  private assertNotHeld(decision: string): void {
    if (this.holding) throw new Error(`cannot ${decision}: step ${this.holding} waits for a go-ahead, not a retry (confirm it, or abort)`);
  }

  private async announceAttention(attention: Attention): Promise<void> {
    if (!this.options.onNeedsAttention) return;
    try {
      await this.options.onNeedsAttention(attention);
    } catch (error) {
      log.warn('could not announce that the run needs attention', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private decide(decision: Decision): DecisionAck {
    const step = this.progress.attention?.step ?? this.progress.currentStep ?? '';
    this.decision = decision;
    // From the moment the decision is accepted the run is no longer waiting: anyone reading progress sees it move on.
    this.progress.status = 'running';
    return { step, decision: decision.kind };
  }
}

/** A failure, in words for the operator: what failed, OVH's message and query id, what to check. */
export function describeFailure(step: string, error: unknown): Attention {
  const since = new Date().toISOString();
  let failure: unknown = error instanceof ActivityFailure ? error.cause : error;
  // The deadline ends a wait either as a timeout, or — when the next poll would not fit — as the last "still
  // pending" answer with a retry state of TIMEOUT. Both mean the same to an operator.
  const outOfTime =
    failure instanceof TimeoutFailure ||
    (error instanceof ActivityFailure && error.retryState === RetryState.TIMEOUT) ||
    (failure instanceof ApplicationFailure && failure.type === FAILURE_TYPES.taskPending);
  if (outOfTime) {
    const lastSeen = failure instanceof TimeoutFailure ? failure.cause : failure;
    const last = lastSeen instanceof ApplicationFailure ? ` (last seen: ${lastSeen.message})` : '';
    return {
      step,
      failureType: FAILURE_TYPES.stepDeadlineExceeded,
      message: `step ${step} did not finish before its deadline${last}`,
      hint: HINTS[FAILURE_TYPES.stepDeadlineExceeded],
      since,
    };
  }
  if (failure instanceof ApplicationFailure) {
    const details = (failure.details?.[0] ?? {}) as FailureDetails;
    const type = failure.type ?? 'Error';
    return {
      step,
      failureType: type,
      message: failure.message,
      ...(details.ovhMessage ? { ovhMessage: details.ovhMessage } : {}),
      ...(details.queryId ? { queryId: details.queryId } : {}),
      hint: details.hint ?? HINTS[type] ?? 'check the message above, then retry, skip or abort',
      since,
    };
  }
  failure = failure instanceof Error ? failure : new Error(String(failure));
  return { step, failureType: 'Error', message: (failure as Error).message, hint: 'check the worker logs, then retry', since };
}
