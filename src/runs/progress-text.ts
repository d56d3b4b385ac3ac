// How a run's progress reads, the same in the CLI and the console: the OVH check a step is on, and whether steps that
// never started will still run.
import type { PendingCheck, RunView } from './service.js';

/**
 * What the OVH check in progress says, once: an activity that counts its own checks ("is creating (check 2)") or has
 * not checked yet ("first check in 2 s") is not given a second, different count.
 */
export function describeCheck(pending: PendingCheck): string {
  const said = pending.lastFailure;
  if (said && /\(check \d+\)|first check/.test(said)) return said;
  return said ? `${said} (check ${pending.attempt})` : `check ${pending.attempt}`;
}

/**
 * The step the run's pending OVH check belongs to. Steps can wait at the same time (HTTPS while the module installs):
 * a check that names its task belongs to the step waiting on that task, and otherwise to the only step waiting.
 */
export function stepOfPendingCheck(view: RunView): string | undefined {
  if (!view.pending) return undefined;
  const steps = view.progress?.steps ?? [];
  const task = /\btask (\d+)\b/.exec(view.pending.lastFailure ?? '')?.[1];
  if (task !== undefined) return steps.find((step) => String(step.task?.id) === task)?.name;
  const waiting = steps.filter((step) => step.state === 'waiting-for-ovh-task');
  if (waiting.length === 1) return waiting[0]?.name;
  const active = steps.filter((step) => step.state === 'running');
  return waiting.length === 0 && active.length === 1 ? active[0]?.name : undefined;
}

/** A run that has ended: its steps that never started will not run any more. */
export function hasEnded(view: RunView): boolean {
  return view.status !== 'running' && view.status !== 'needs-attention';
}

