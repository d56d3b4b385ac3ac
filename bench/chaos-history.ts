// What the chaos suite reads from the runs' histories once they are over (event timestamps come from the Temporal
// server, on the same clock as the suite's own record of when it killed the worker):
// - how long runs stood still after each worker kill: for every run in flight at the kill — a workflow task or an OVH
//   call (activity) scheduled and not yet closed — the time from the kill to the run's next sign of life: an activity
//   attempt starting (ActivityTaskStarted, whose timestamp is the start of the attempt that closed the activity), a
//   workflow task completing (which is also when local activities are recorded), or the run closing. Waits that poll
//   OVH (one check per attempt, the retry policy polling) are left out: history records only their last check, so a
//   run that went on polling after the kill would look stalled until its task was done;
// - when each aborted or cancelled run was undoing what it had created: from the abort (update accepted) or the
//   cancel request to the run's close, to count the kills that landed during compensation.
import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunHistory {
  workflowId: string;
  events: HistoryEvent[];
}

/** An event id: a number, or a protobuf Long. */
const id = (value: number | { toString(): string } | null | undefined) => (typeof value === 'number' ? value : Number(value?.toString() ?? 0));
const at = (event: HistoryEvent) => tsToMs(event.eventTime);

function closeEvent(event: HistoryEvent): boolean {
  return Boolean(
    event.workflowExecutionCompletedEventAttributes ||
      event.workflowExecutionFailedEventAttributes ||
      event.workflowExecutionCanceledEventAttributes ||
      event.workflowExecutionTimedOutEventAttributes ||
      event.workflowExecutionTerminatedEventAttributes ||
      event.workflowExecutionContinuedAsNewEventAttributes,
  );
}

interface Busy {
  from: number;
  to: number;
  /** The activity type, or "workflow task". */
  what: string;
}

/** Workflow tasks and activities, each from when it was scheduled to when it closed (open: Infinity). */
function busyIntervals(events: HistoryEvent[]): Busy[] {
  const opened = new Map<number, Omit<Busy, 'to'>>();
  const intervals: Busy[] = [];
  const close = (scheduledEventId: Parameters<typeof id>[0], event: HistoryEvent) => {
    const busy = opened.get(id(scheduledEventId));
    if (busy === undefined) return;
    opened.delete(id(scheduledEventId));
    intervals.push({ ...busy, to: at(event) });
  };
  for (const event of events) {
    if (event.workflowTaskScheduledEventAttributes) opened.set(id(event.eventId), { from: at(event), what: 'workflow task' });
    const activityType = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (activityType) opened.set(id(event.eventId), { from: at(event), what: activityType });
    const wft = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes ?? event.workflowTaskTimedOutEventAttributes;
    if (wft) close(wft.scheduledEventId, event);
    const activity =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (activity) close(activity.scheduledEventId, event);
  }
  for (const busy of opened.values()) intervals.push({ ...busy, to: Infinity });
  return intervals;
}

/** Activities that poll OVH through their retry policy: their checks after a kill are not in the history. */
const POLLING_WAITS = new Set(['waitForHostingTask', 'waitForSsl', 'waitForResource', 'removeCreated', 'verifyNewDump']);

/** When the run showed it was moving: an activity attempt starting, a workflow task completing, the run closing. */
function signsOfLife(events: HistoryEvent[]): number[] {
  return events
    .filter((e) => e.activityTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes || closeEvent(e))
    .map(at)
    .sort((a, b) => a - b);
}

export interface StallSplit {
  runsInFlight: number;
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
}

export interface StallFigures {
  /** Kills measured (not within the Temporal server's restart, which stalls every run by itself). */
  kills: number;
  /** Kills left out because the Temporal server was down within 30 s after them. */
  killsLeftOut: number;
  /** Runs in flight at a kill (a workflow task or an OVH call, not a polling wait), summed over the kills. */
  runsInFlight: number;
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
  /** Run-kill pairs where the run stood still longer than 15 s. */
  over15s: number;
  /** Runs that had only OVH calls in flight (what activity heartbeats bound) and runs with a workflow task in flight. */
  ovhCalls: StallSplit;
  workflowTasks: StallSplit;
  /** The longest stalls: which run, the kill (seconds after the first kill), and what it had in flight. */
  longest: Array<{ workflowId: string; killAtSeconds: number; seconds: number; inFlight: string }>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** For every kill and every run in flight at it: seconds until the run's next sign of life. */
export function stallsAfterKills(histories: RunHistory[], kills: number[], temporalDown: Array<[number, number]>): StallFigures {
  const runs = histories.map((h) => ({ workflowId: h.workflowId, busy: busyIntervals(h.events), life: signsOfLife(h.events) }));
  const stalls: number[] = [];
  const byKind = { ovhCalls: [] as number[], workflowTasks: [] as number[] };
  const pairs: StallFigures['longest'] = [];
  let measured = 0;
  let leftOut = 0;
  for (const kill of kills) {
    if (temporalDown.some(([from, to]) => from < kill + 30_000 && to > kill)) {
      leftOut += 1;
      continue;
    }
    measured += 1;
    for (const run of runs) {
      const busy = run.busy.filter(({ from, to, what }) => from <= kill && kill < to && !POLLING_WAITS.has(what));
      if (busy.length === 0) continue;
      const next = run.life.find((t) => t > kill);
      if (next === undefined) continue;
      stalls.push((next - kill) / 1000);
      (busy.some((b) => b.what === 'workflow task') ? byKind.workflowTasks : byKind.ovhCalls).push((next - kill) / 1000);
      pairs.push({ workflowId: run.workflowId, killAtSeconds: (kill - (kills[0] ?? kill)) / 1000, seconds: (next - kill) / 1000, inFlight: busy.map((b) => b.what).join(' + ') });
    }
  }
  stalls.sort((a, b) => a - b);
  const round = (s: number) => Math.round(s * 10) / 10;
  const split = (values: number[]): StallSplit => {
    const sorted = [...values].sort((a, b) => a - b);
    return { runsInFlight: sorted.length, p50Seconds: round(percentile(sorted, 50)), p99Seconds: round(percentile(sorted, 99)), maxSeconds: round(sorted.at(-1) ?? 0) };
  };
  return {
    kills: measured,
    killsLeftOut: leftOut,
    runsInFlight: stalls.length,
    p50Seconds: round(percentile(stalls, 50)),
    p99Seconds: round(percentile(stalls, 99)),
    maxSeconds: round(stalls.at(-1) ?? 0),
    over15s: stalls.filter((s) => s > 15).length,
    ovhCalls: split(byKind.ovhCalls),
    workflowTasks: split(byKind.workflowTasks),
    longest: pairs
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 5)
      .map((p) => ({ ...p, killAtSeconds: round(p.killAtSeconds), seconds: round(p.seconds) })),
  };
}

/** From the abort (update accepted) or the cancel request to the run's close: when the run was undoing. */
export function compensationWindow(events: HistoryEvent[]): [number, number] | undefined {
  const stop = events.find(
    (e) => e.workflowExecutionCancelRequestedEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'abort',
  );
  const close = events.find(closeEvent);
  if (!stop) return undefined;
  return [at(stop), close ? at(close) : Infinity];
}
