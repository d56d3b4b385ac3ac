// Creates OVH tasks and applies their effects lazily: every request first "settles" the tasks whose end time has
// passed (in the order they ended), so the records always look as they would had the tasks run in real time.
import { taskDurationFor, type SimulatorConfig } from '../config.js';
import type { FaultBook } from '../faults/fault-book.js';
import type { SimulatorState, TaskFunction, TaskObjectType, TaskRecord } from '../state/records.js';

export interface NewTask {
  function: TaskFunction;
  objectType: TaskObjectType;
  objectId: string | null;
  subject: string;
  domains?: string[];
  certificateOf?: string;
  detail?: string;
  changes?: Record<string, unknown>;
  secret?: string;
}

export type TaskEffect = (task: TaskRecord) => void;

export class TaskBook {
  /** Unsettled tasks that will end, soonest first. */
  private pending: TaskRecord[] = [];

  constructor(
    private readonly state: () => SimulatorState,
    private readonly config: () => SimulatorConfig,
    private readonly faults: FaultBook,
  ) {}

  /** Rebuilds the pending queue after the state was replaced (reset, load). */
  reindex(): void {
    this.pending = [...this.state().tasks.values()]
      .filter((task) => !task.settled && task.finishAt !== null)
      .sort((a, b) => (a.finishAt as number) - (b.finishAt as number));
  }

  create(serviceName: string, spec: NewTask, now: number): TaskRecord {
    const state = this.state();
    const config = this.config();
    const fault = this.faults.forTask(spec.function, serviceName);
    const nominal = taskDurationFor(config, spec.function);
    const durationMs = fault === 'slow' ? nominal * config.slowFactor : nominal;
    const task: TaskRecord = {
      id: state.nextIds.task++,
      serviceName,
      function: spec.function,
      objectType: spec.objectType,
      objectId: spec.objectId,
      subject: spec.subject,
      createdAt: now,
      durationMs,
      finishAt: fault === 'stuck' ? null : now + durationMs,
      outcome: fault === 'cancelled' ? 'cancelled' : 'done',
      settled: false,
      ...(fault === 'failed' ? { failed: true } : {}),
      ...(spec.domains ? { domains: spec.domains } : {}),
      ...(spec.certificateOf ? { certificateOf: spec.certificateOf } : {}),
      ...(spec.detail ? { detail: spec.detail } : {}),
      ...(spec.changes ? { changes: spec.changes } : {}),
      ...(spec.secret !== undefined ? { secret: spec.secret } : {}),
    };
    state.tasks.set(task.id, task);
    if (task.finishAt !== null) this.enqueue(task);
    return task;
  }

  /** Applies, in end order, the effect of every task that has ended by `now`. */
  settle(now: number, effect: TaskEffect): void {
    let due = 0;
    while (due < this.pending.length && (this.pending[due]?.finishAt as number) <= now) due += 1;
    if (due === 0) return;
    const ended = this.pending.splice(0, due);
    for (const task of ended) {
      task.settled = true;
      effect(task);
    }
  }

  private enqueue(task: TaskRecord): void {
    const finishAt = task.finishAt as number;
    let low = 0;
    let high = this.pending.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.pending[middle]?.finishAt as number) <= finishAt) low = middle + 1;
      else high = middle;
    }
    this.pending.splice(low, 0, task);
  }
}
