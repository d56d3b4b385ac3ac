// Where a task stands at a given moment, computed from its timestamps alone: no timer ever runs, so thousands of
// tasks cost nothing until someone reads them. A task spends the first 10% of its duration in `todo`, the next
// 20% in `init`, the rest in `doing`, then ends `done` (or `cancelled` when a fault says so). A stuck task stays in
// `doing` forever.
import type { TaskRecord } from '../state/records.js';

export type TaskStatus = 'todo' | 'init' | 'doing' | 'done' | 'cancelled';

export interface TaskMoment {
  status: TaskStatus;
  /** When the task entered its current status. */
  lastUpdate: number;
  doneDate: number | null;
}

const INIT_AT = 0.1;
const DOING_AT = 0.3;

export function taskMoment(task: TaskRecord, now: number): TaskMoment {
  if (task.finishAt !== null && now >= task.finishAt) {
    return { status: task.outcome, lastUpdate: task.finishAt, doneDate: task.finishAt };
  }
  const elapsed = now - task.createdAt;
  const initAt = task.createdAt + Math.round(task.durationMs * INIT_AT);
  const doingAt = task.createdAt + Math.round(task.durationMs * DOING_AT);
  if (elapsed < task.durationMs * INIT_AT) return { status: 'todo', lastUpdate: task.createdAt, doneDate: null };
  if (elapsed < task.durationMs * DOING_AT) return { status: 'init', lastUpdate: initAt, doneDate: null };
  return { status: 'doing', lastUpdate: doingAt, doneDate: null };
}

/** A finished task can be read for `retentionMs`, then OVH forgets it. */
export function isForgotten(task: TaskRecord, now: number, retentionMs: number): boolean {
  return task.finishAt !== null && now >= task.finishAt + retentionMs;
}
