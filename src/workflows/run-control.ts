// The operator-control core every ovhflow workflow shares: step states for the progress query, the search
// attributes people filter runs by, needs-attention — a permanent failure stops the step and the run waits for an
// operator's decision (retry, optionally with corrections; skip; abort), delivered as a validated Update — and how a
// run ends. `execute` is the one place that decides it: completed, failed, aborted (compensated) or cancelled
// (compensated), so no workflow can forget a path.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
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
  type OperatorDecision,
  type OvhTaskRef,
  type RetryRequest,
  type RunProgress,
  type RunType,
  type StepProgress,
} from '../shared/runs.js';
import type { NotificationEvent } from '../shared/notifications.js';
import { CURRENT_STEP, RUN_STATUS, RUN_TYPE } from '../shared/search-attributes.js';
import { Notifier, type NotificationAbout } from './notify.js';

/**
 * Runs cancelled while an activity's check was in flight once stopped at needs-attention before compensating; they now
 * go straight to compensation. Only runs cancelled in that window reach the marker.
 */
const CANCEL_DURING_CHECK_PATCH = 'ovhflow-cancel-during-check-1';

/** Thrown inside the workflow when an operator aborts; the workflow compensates, then fails the run as aborted. */
export class AbortRequested extends Error {
  override name = 'AbortRequested';
  constructor(readonly step: string) {
    super(`aborted by an operator at step ${step}`);
  }
}

type Decision = { kind: 'retry'; set: string[] } | { kind: 'skip' } | { kind: 'abort' };

/** An operator's retry while the step waited on the outside world: the step runs again (after corrections). */
class StepRestart extends Error {
  override name = 'StepRestart';
  constructor(readonly set: string[]) {
    super('retried by an operator');
  }
}

/** An operator's skip while the step waited on the outside world. */
class StepSkipped extends Error {
  override name = 'StepSkipped';
}

/** Step states of a step that has not ended: a run that stops leaves none of them behind. */
const STILL_GOING: ReadonlySet<StepProgress['state']> = new Set(['running', 'waiting-for-ovh-task', 'waiting-for-dns', 'needs-attention']);

/** How a step waits on the outside world (e.g. DNS): its state, and — when a person must act — why. */
export interface OutsideWait {
  state: Extract<StepProgress['state'], 'waiting-for-dns'>;
  /**
   * Given: the run shows needs-attention with this reason while it waits, and an operator may retry (the step runs
   * again at once: a re-check now), skip or abort. Absent: the run just waits (e.g. for DNS to propagate).
   */
  attention?: Pick<Attention, 'failureType' | 'message' | 'hint'>;
}

export interface StepHandle {
  /** The step now waits on an OVH task (shown by the progress query). */
  waitingFor(task: OvhTaskRef): void;
  /** The resource already existed with the requested settings: nothing was created. */
  adopted(note: string): void;
  note(note: string): void;
  /**
   * Waits for `wait` (an activity that re-checks with backoff under its own deadline) while the step shows
   * `how.state`. With `how.attention`, operator decisions are taken meanwhile: retry runs the step again, skip skips
   * it, abort aborts; the wait is cancelled first. A failed wait is a failed step, as always.
   */
  awaitOutside<T>(how: OutsideWait, wait: () => Promise<T>): Promise<T>;
}

export type StepOutcome<T> = { outcome: 'done' | 'adopted'; value: T } | { outcome: 'skipped' };

/**
 * Undoes one thing the run created. Answers `undone`, or `absent` when there was nothing left to undo (the create
 * never happened, or someone already removed it); throws when the undo could not be done.
 */
export type Undo = () => Promise<'undone' | 'absent'>;

/** What compensation did: reported in the run's progress, in its failure details, and in its message. */
export interface CompensationOutcome {
  undone: string[];
  /** Registered, but there was nothing to undo when compensation ran. */
  absent: string[];
  notUndone: Array<{ what: string; reason: string }>;
}

export interface RunControlOptions {
  /** Validates `retry --set` corrections; returns an error message to reject the update. */
  validateCorrections?: (set: string[]) => string | undefined;
  /** Applies validated corrections before the step runs again. */
  applyCorrections?: (set: string[]) => void;
  /** Steps an operator may not skip (e.g. preflight, whose findings later steps need). */
  unskippable?: string[];
  /** Called each time the run starts waiting for an operator (e.g. a nightly child telling its parent). */
  onNeedsAttention?: (attention: Attention) => Promise<void>;
  /** Said when an aborted or cancelled run had registered nothing to undo, e.g. "ovhflow never deletes a dump". */
  nothingToUndo?: string;
  /**
   * The starter already gave the run its type and `running` status as search attributes (and the workflow knows the
   * run is recent enough to rely on it, see provision-site.ts): they are not written again. Each upsert is a history
   * event and a visibility write, ~3.5 ms of server CPU (bench:feature-costs).
   */
  indexedAtStart?: boolean;
}

export class RunControl {
  readonly progress: RunProgress;
  private decision?: Decision;
  /** What the search attributes last said, so only real changes are written. */
  private indexed = '';
  /** The step held by {@link hold}, while it waits for its go-ahead. */
  private holding?: string;
  /** What this run created, in creation order, with how to undo it. */
  private readonly compensations: Array<{ what: string; undo: Undo }> = [];
  private readonly notifier = new Notifier(() => this.progress.runType);

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
    // The decisions are worked out when asked: a query's answer is not history, so replays are unaffected.
    setHandler(progressQuery, () => (this.progress.attention ? { ...this.progress, decisions: this.decisionsNow(this.progress.attention.step) } : this.progress));
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
    if (!options.indexedAtStart) {
      upsertSearchAttributes([
        { key: RUN_TYPE, value: runType },
        { key: RUN_STATUS, value: 'running' },
      ]);
    }
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
            this.showDetails();
          },
          adopted: (note) => {
            adopted = true;
            step.note = note;
          },
          note: (note) => {
            step.note = note;
          },
          awaitOutside: (how, wait) => this.awaitOutside(step, how, wait),
        });
        step.state = adopted ? 'adopted' : 'done';
        step.endedAt = new Date().toISOString();
        return { outcome: adopted ? 'adopted' : 'done', value };
      } catch (error) {
        // An abort, or a cancel of the run, ends it: execute() compensates. Neither is a failure of the step.
        if (error instanceof AbortRequested || isCancellation(error)) throw error;
        // A cancel that reached a check in flight: the check finished with its own answer ("still pending"), not a
        // cancellation. It is the cancel all the same — never a step for an operator (nor a needs-attention webhook).
        if (CancellationScope.current().consideredCancelled && patched(CANCEL_DURING_CHECK_PATCH)) {
          throw new CancelledFailure(`run cancelled during step ${name}`);
        }
        if (error instanceof StepRestart) {
          if (error.set.length > 0) this.options.applyCorrections?.(error.set);
          continue;
        }
        if (error instanceof StepSkipped) {
          step.state = 'skipped';
          step.note = error.message;
          step.endedAt = new Date().toISOString();
          this.setCurrent(name, 'running');
          return { outcome: 'skipped' };
        }
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

  private async awaitOutside<T>(step: StepProgress, how: OutsideWait, wait: () => Promise<T>): Promise<T> {
    step.state = how.state;
    const scope = new CancellationScope();
    let settled: { value: T } | { error: unknown } | undefined;
    // Settled either way: the outcome is read below (or, once an operator decided, the wait was cancelled on purpose).
    const waiting = scope.run(wait).then(
      (value) => void (settled = { value }),
      (error: unknown) => void (settled = { error }),
    );
    if (how.attention) {
      const attention: Attention = { step: step.name, ...how.attention, since: new Date().toISOString() };
      this.progress.attention = attention;
      this.setCurrent(step.name, 'needs-attention');
      log.info('run waits on the outside world', { step: step.name, state: how.state });
      await this.announceAttention(attention);
    } else {
      this.showDetails();
    }
    await condition(() => settled !== undefined || this.decision !== undefined);
    if (how.attention) delete this.progress.attention;
    const decision = this.decision;
    this.decision = undefined;
    if (decision) {
      log.info('operator decision', { step: step.name, decision: decision.kind });
      scope.cancel();
      await waiting;
      if (decision.kind === 'abort') {
        step.state = 'failed';
        step.endedAt = new Date().toISOString();
        throw new AbortRequested(step.name);
      }
      if (decision.kind === 'skip') throw new StepSkipped(`skipped by an operator while ${how.state.replace(/-/g, ' ')}`);
      throw new StepRestart(decision.set);
    }
    step.state = 'running';
    this.setCurrent(step.name, 'running');
    const outcome = settled as { value: T } | { error: unknown };
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
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

  /**
   * Registers the undo of something this run is about to create — before the call that creates it, so a crash or a
   * cancel between the call and its answer still undoes it. Undos run in reverse order, only on abort or cancel.
   */
  willUndo(what: string, undo: Undo): void {
    // A step retried by an operator registers its undo again: the first registration stands.
    if (this.compensations.some((c) => c.what === what)) return;
    this.compensations.push({ what, undo });
    this.progress.undo = this.compensations.map((c) => c.what).reverse();
  }

  /**
   * Runs the workflow's body and ends the run. Completed: the body's value. A permanent failure outside any step:
   * failed. An operator's abort: every registered undo runs, then the run fails as `OvhflowRunAborted` with what was
   * and was not undone. A cancel (Temporal UI, `temporal workflow cancel`): the same undos, then the run ends
   * cancelled. Undos run in a non-cancellable scope: a cancel cannot interrupt them half-way.
   */
  async execute<T>(body: () => Promise<T>): Promise<T> {
    try {
      const value = await body();
      // A cancel that came while the last call was finishing: that call still completed (an activity that ends after
      // its cancel request reports success), but the run was cancelled before it ended — it ends cancelled, like a
      // cancel one step earlier would have, not completed with everything kept.
      if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('run cancelled as its last step finished');
      this.finish('completed');
      await this.notificationsStarted();
      return value;
    } catch (error) {
      if (error instanceof AbortRequested) {
        const outcome = await this.compensate();
        this.finish('aborted');
        this.notify('run.aborted', { step: error.step, message: `${error.message}; ${this.describeOutcome(outcome)}` });
        await this.notificationsStarted();
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.runAborted,
          nonRetryable: true,
          message: `${error.message}; ${this.describeOutcome(outcome)}`,
          details: [outcome],
        });
      }
      if (isCancellation(error)) {
        log.info('run cancelled: undoing what it created', { undo: this.progress.undo ?? [] });
        const outcome = await this.compensate();
        this.finish('cancelled');
        log.info('run cancelled', { outcome: this.describeOutcome(outcome) });
        await this.notificationsStarted();
        throw error;
      }
      const step = this.progress.currentStep;
      this.finish('failed');
      const { since: _since, ...failure } = describeFailure(step ?? '', error);
      this.notify('run.failed', { ...failure, step });
      await this.notificationsStarted();
      throw error;
    }
  }

  /** Tells the webhooks (src/notify/) about this run, without waiting for the delivery (workflows/notify.ts). */
  notify(event: NotificationEvent, about: NotificationAbout): void {
    this.notifier.notify(event, about);
  }

  private async notificationsStarted(): Promise<void> {
    await this.notifier.allStarted();
  }

  /** In reverse order; one failing undo is logged and reported, and the others still run. */
  private async compensate(): Promise<CompensationOutcome> {
    const outcome: CompensationOutcome = { undone: [], absent: [], notUndone: [] };
    await CancellationScope.nonCancellable(async () => {
      for (const compensation of [...this.compensations].reverse()) {
        try {
          const result = await compensation.undo();
          (result === 'undone' ? outcome.undone : outcome.absent).push(compensation.what);
          log.info('compensated', { what: compensation.what, result });
        } catch (error) {
          const reason = failureMessage(error);
          log.error('compensation failed', { what: compensation.what, error: reason });
          outcome.notUndone.push({ what: compensation.what, reason });
        }
      }
    });
    this.progress.undo = [];
    this.progress.compensation = { undone: outcome.undone, notUndone: outcome.notUndone };
    return outcome;
  }

  private describeOutcome(outcome: CompensationOutcome): string {
    if (this.compensations.length === 0) return `nothing to undo (${this.options.nothingToUndo ?? 'this run had created nothing'})`;
    const parts = [`undone: ${outcome.undone.join(', ') || 'nothing'}`];
    if (outcome.absent.length > 0) parts.push(`already gone: ${outcome.absent.join(', ')}`);
    if (outcome.notUndone.length > 0) {
      parts.push(`COULD NOT UNDO (clean up by hand): ${outcome.notUndone.map((f) => `${f.what} (${f.reason})`).join(', ')}`);
    }
    return parts.join('; ');
  }

  private finish(status: RunProgress['status']): void {
    this.progress.status = status;
    this.progress.endedAt = new Date().toISOString();
    if (status === 'aborted' || status === 'cancelled') {
      // The step the run was on when it was stopped did not finish, whatever it was doing (a waiting state included).
      // Only the progress query shows step states: no command, so running workflows replay unchanged.
      for (const step of this.progress.steps) {
        if (STILL_GOING.has(step.state)) {
          step.state = 'failed';
          step.note = `${status} here${step.note ? ` (${step.note})` : ''}`;
          step.endedAt ??= this.progress.endedAt;
        }
      }
    }
    delete this.progress.attention;
    delete this.progress.currentStep;
    this.showDetails();
    upsertSearchAttributes([
      { key: RUN_STATUS, value: status },
      { key: CURRENT_STEP, value: null },
    ]);
  }

  /**
   * What the Temporal UI shows on the run's page (user metadata "current details"): the step, the OVH task it waits
   * on, or why it waits for an operator. Not a history event: it costs nothing to keep current.
   */
  private showDetails(): void {
    const { status, currentStep, attention, steps } = this.progress;
    const step = steps.find((s) => s.name === currentStep);
    const lines = [`**${status}**${step ? ` — step ${step.title} (${step.name}), attempt ${step.attempts}` : ''}`];
    if (step?.state === 'waiting-for-dns') lines.push(`waiting for DNS: ${step.note ?? 'the domain must point at the hosting'}`);
    if (step?.task) lines.push(`waiting for OVH task ${step.task.id}${step.task.function ? ` (${step.task.function})` : ''}`);
    if (attention) {
      lines.push(`needs an operator: ${attention.failureType} — ${attention.message}`);
      if (attention.hint) lines.push(`hint: ${attention.hint}`);
      lines.push(`decide with the \`retry\` (args \`[{"set": ["key=value"]}]\` or \`[{}]\`), \`skip\` or \`abort\` update (no args)`);
    }
    if (this.progress.compensation) {
      const { undone, notUndone } = this.progress.compensation;
      lines.push(`undone: ${undone.join(', ') || 'nothing'}`);
      if (notUndone.length > 0) lines.push(`could not undo: ${notUndone.map((f) => f.what).join(', ')}`);
    }
    setCurrentDetails(lines.join('\n\n'));
  }

  private setCurrent(name: string, status: 'running' | 'needs-attention'): void {
    this.progress.currentStep = name;
    this.progress.status = status;
    this.showDetails();
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
    if (!step) throw ApplicationFailure.nonRetryable(`unknown step ${name}`, FAILURE_TYPES.bug);
    return step;
  }

  private assertWaiting(decision: string): void {
    if (this.progress.status !== 'needs-attention' || this.decision !== undefined) {
      throw new Error(`cannot ${decision}: run ${workflowInfo().workflowId} is ${this.progress.status}, not waiting for an operator`);
    }
  }

  /** What the update validators would accept now, for a run waiting at `step`. */
  private decisionsNow(step: string): OperatorDecision[] {
    if (this.holding) return ['confirm', 'abort'];
    return this.options.unskippable?.includes(step) ? ['retry', 'abort'] : ['retry', 'skip', 'abort'];
  }

  private assertNotHeld(decision: string): void {
    if (this.holding) throw new Error(`cannot ${decision}: step ${this.holding} waits for a go-ahead, not a retry (confirm it, or abort)`);
  }

  private async announceAttention(attention: Attention): Promise<void> {
    const { since: _since, ...about } = attention;
    this.notify('run.needs_attention', about);
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

/** The innermost message of a failure: an activity failure's cause says what OVH answered. */
function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
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
