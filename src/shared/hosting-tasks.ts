// What waiting for an OVH task checks once the task is over: the resource's own state, not just the task's.

export type TrackedResource =
  | { kind: 'attachedDomain'; domain: string }
  | { kind: 'database'; name: string }
  | { kind: 'module'; domain: string; path: string }
  | { kind: 'user'; login: string }
  | { kind: 'dump'; databaseName: string; id: number }
  | { kind: 'ssl' }
  /** An attached domain's own certificate (2026). */
  | { kind: 'domainSsl'; domain: string }
  /** A folder's `.ovhconfig`, by OVH's id: changed and rolled back, never created or removed by a run. */
  | { kind: 'ovhConfig'; id: number }
  /** The current `.ovhconfig` of a folder, whatever its id: what OVH's `ovhConfigRefresh` finds. */
  | { kind: 'ovhConfigFolder'; path: string }
  /** An environment variable, by name: setEnvVars undoes its own writes (ensureEnvVars), not removeCreated. */
  | { kind: 'envVar'; name: string }
  /** A folder's Git website link (2026), by its folder: removing it also empties the folder (`deleteFiles`). */
  | { kind: 'website'; path: string }
  /** A scheduled task, by what it runs (OVH's id changes when a job is re-created). */
  | { kind: 'cron'; command: string };

/** What a run can create, and so may have to remove when it is aborted or cancelled. */
export type RemovableResource = Exclude<TrackedResource, { kind: 'dump' } | { kind: 'ovhConfig' } | { kind: 'ovhConfigFolder' } | { kind: 'envVar' } | { kind: 'cron' }>;

export type RemoveCreatedResult = { outcome: 'absent' } | { outcome: 'removing'; taskId?: number };

export interface WaitForTaskInput {
  serviceName: string;
  taskId: number;
  resource: TrackedResource;
  /** `present`: the resource must exist in its final state; `absent`: a deletion must have removed it. */
  expect: 'present' | 'absent';
  /**
   * The schedule of the checks, when the workflow gives it (runs started since the lean step design): the first
   * check comes one interval after the write instead of at once, and a resource with its own status (attached
   * domain, database, user) is read instead of the task, one call per check. Without it: the original behaviour.
   */
  poll?: PollSchedule;
  /**
   * The write created the resource (it did not exist before): its own status then says when the task is done, and the
   * wait reads the resource instead of the task. Not for a change of an existing resource (a dump, a restore), whose
   * status may still say `created` before its task has even started.
   */
  created?: boolean;
}

/** What a wait saw of the resource it verified: a database's coordinates, an installed module's identity. */
export interface FoundResource {
  name?: string;
  server?: string;
  port?: number;
  user?: string;
  id?: number;
  moduleId?: number;
  url?: string;
  adminName?: string;
}

export interface WaitForTaskResult {
  taskId: number;
  function?: string;
  /** `done`, or `gone` when OVH had already forgotten the task and the resource's state decided. */
  outcome: 'done' | 'gone';
  /** The resource as the last check saw it, when the wait was given a poll schedule. */
  found?: FoundResource;
}

export interface PollSchedule {
  /** First re-check after this long. */
  initialIntervalSeconds: number;
  /** Each wait is this many times the previous one... */
  backoffCoefficient: number;
  /** ...up to this cap. */
  maximumIntervalSeconds: number;
  /**
   * Waits given the schedule (runs since the lean step design) check this many times at the initial interval before
   * backing off (default 4); the first check comes when tasks of that kind recently ended (see task-durations.ts).
   */
  steadyChecks?: number;
}

/** How runs wait for OVH, set by whoever starts them (from configuration); every field optional. */
export interface RunSettings {
  poll?: PollSchedule;
  /** Default per-step deadline when the input gives none. */
  stepDeadlineMinutes?: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialIntervalSeconds: 2, backoffCoefficient: 2, maximumIntervalSeconds: 120 };
export const DEFAULT_STEP_DEADLINE_MINUTES = 60;

/**
 * After `checksDone` checks that found the task still running, how long until the next one: every
 * `initialIntervalSeconds` for the first few checks (a short task is seen as soon as with a fixed 2 s poll), then
 * doubling up to `maximumIntervalSeconds` (a long task costs about log(duration) calls). With the default schedule:
 * 2, 2, 2, 2, 4, 8, ... 120 s apart.
 */
export function secondsUntilNextCheck(poll: PollSchedule, checksDone: number): number {
  const steady = poll.steadyChecks ?? DEFAULT_STEADY_CHECKS;
  if (checksDone <= steady) return poll.initialIntervalSeconds;
  return Math.min(poll.initialIntervalSeconds * poll.backoffCoefficient ** (checksDone - steady), poll.maximumIntervalSeconds);
}

/** Checks at the initial interval before backing off, when a schedule does not say. */
export const DEFAULT_STEADY_CHECKS = 4;
