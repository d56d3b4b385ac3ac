// What waiting for an OVH task checks once the task is over: the resource's own state, not just the task's.

export type TrackedResource =
  | { kind: 'attachedDomain'; domain: string }
  | { kind: 'database'; name: string }
  | { kind: 'module'; domain: string; path: string }
  | { kind: 'user'; login: string }
  | { kind: 'dump'; databaseName: string; id: number }
  | { kind: 'ssl' };

/** What a run can create, and so may have to remove when it is aborted or cancelled. */
export type RemovableResource = Exclude<TrackedResource, { kind: 'dump' }>;

export type RemoveCreatedResult = { outcome: 'absent' } | { outcome: 'removing'; taskId?: number };

export interface WaitForTaskInput {
  serviceName: string;
  taskId: number;
  resource: TrackedResource;
  /** `present`: the resource must exist in its final state; `absent`: a deletion must have removed it. */
  expect: 'present' | 'absent';
}

export interface WaitForTaskResult {
  taskId: number;
  function?: string;
  /** `done`, or `gone` when OVH had already forgotten the task and the resource's state decided. */
  outcome: 'done' | 'gone';
}

export interface PollSchedule {
  /** First re-check after this long. */
  initialIntervalSeconds: number;
  /** Each wait is this many times the previous one... */
  backoffCoefficient: number;
  /** ...up to this cap. */
  maximumIntervalSeconds: number;
}

/** How runs wait for OVH, set by whoever starts them (from configuration); every field optional. */
export interface RunSettings {
  poll?: PollSchedule;
  /** Default per-step deadline when the input gives none. */
  stepDeadlineMinutes?: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialIntervalSeconds: 2, backoffCoefficient: 2, maximumIntervalSeconds: 120 };
export const DEFAULT_STEP_DEADLINE_MINUTES = 60;
