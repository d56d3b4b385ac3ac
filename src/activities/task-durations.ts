// When to look at an OVH task the first time. OVH's tasks of one kind take about the same time on a hosting
// (attaching a domain a few seconds, installing a CMS a little longer): a worker remembers, per kind of wait, how long
// they recently took, and makes its first check just after that instead of after a fixed interval. A task that ends
// before the first check costs one call and is seen within a fraction of a second; one that runs longer than usual
// falls back to the poll schedule (every `initialIntervalSeconds` for a few checks, then doubling up to the cap).
//
// What is learned is a lower bound: the longest time after the write at which a wait still saw its task running. A
// wait whose first check already finds the task done learns a slightly shorter time (probing down), so an estimate
// that was too long shrinks until a check comes too early, and then grows back: it hovers just under the real
// duration. Kept in memory, per worker: a new worker starts from the fixed schedule.
import { secondsUntilNextCheck, type PollSchedule } from '../shared/hosting-tasks.js';

/** How much after the learned duration the first check comes (the task's end is rarely exactly on time). */
const MARGIN_SECONDS = 0.25;
/** How much shorter a duration is assumed after a first check that found the task already done. */
const PROBE_DOWN_SECONDS = 0.25;
/** Recent waits remembered per kind: the estimate is their median, so one slow task does not move it much. */
const SAMPLES = 5;
/** Waits whose still-running checks are being followed (bounded: a wait that never ends is forgotten). */
const MAX_OPEN_WAITS = 5_000;

export class TaskDurationMemory {
  private readonly samples = new Map<string, number[]>();
  private readonly open = new Map<string, number>();

  /** Seconds from the write to the first check for a wait of this kind. */
  firstCheckSeconds(kind: string, poll: PollSchedule): number {
    const estimate = this.estimate(kind);
    return estimate === undefined ? poll.initialIntervalSeconds : Math.max(estimate + MARGIN_SECONDS, 0.5);
  }

  /** A check `elapsed` seconds after the write saw the task still running; answers when to check next. */
  stillRunning(kind: string, waitId: string, elapsed: number, checksDone: number, poll: PollSchedule): number {
    if (this.open.size >= MAX_OPEN_WAITS) this.open.delete(this.open.keys().next().value as string);
    this.open.set(waitId, Math.max(this.open.get(waitId) ?? 0, elapsed));
    return secondsUntilNextCheck(poll, checksDone);
  }

  /**
   * A check `elapsed` seconds after the write saw the task done (`exact`: OVH's own start and done dates said how
   * long it took). The task ended between the wait's last "still running" check and this one: the middle of the two
   * is learned; with no "still running" check, a little less than before (probing down).
   */
  done(kind: string, waitId: string, elapsed: number, exact?: number): void {
    const running = this.open.get(waitId);
    this.open.delete(waitId);
    const learned =
      exact ?? (running !== undefined ? (running + elapsed) / 2 : Math.max(0, Math.min(elapsed, this.estimate(kind) ?? elapsed) - PROBE_DOWN_SECONDS));
    const list = this.samples.get(kind) ?? [];
    list.push(learned);
    if (list.length > SAMPLES) list.shift();
    this.samples.set(kind, list);
  }

  private estimate(kind: string): number | undefined {
    const list = this.samples.get(kind);
    if (!list || list.length === 0) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
}

/** The worker's memory: activities of one process share it. */
export const taskDurations = new TaskDurationMemory();
