// The nightly-dumps Temporal Schedule: created or updated in one idempotent call, listed, paused, triggered, deleted.
// Overlap policy SKIP (a night still running when the next one is due is not doubled up) and a catch-up window of a
// few hours (a worker or server back after an outage runs a missed night if it is still night, not a year of them).
// The action's arguments are encoded by the client's data converter, so they are encrypted like every payload.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSummary,
} from '@temporalio/client';
import { DEFAULT_NIGHTLY_SCHEDULE_ID, scheduledNightlyWorkflowId, type NightlyOptions } from '../shared/backups.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import type { NightlyDumpsInput } from '../shared/inputs/index.js';
import { ACCOUNT, RUN_STATUS, RUN_TYPE } from '../shared/search-attributes.js';
import type { nightlyDumps } from '../workflows/nightly-dumps.js';

export const DEFAULT_NIGHTLY_CRON = '0 2 * * *';
export const DEFAULT_NIGHTLY_TIMEZONE = 'UTC';
/** Missed nights are caught up only within this window after their time (Temporal's default is a year). */
export const NIGHTLY_CATCHUP_WINDOW = '4 hours';

export { ScheduleNotFoundError };

export interface NightlyScheduleRequest {
  scheduleId?: string;
  cron?: string;
  timezone?: string;
  input: NightlyDumpsInput;
  taskQueue: string;
  /** Run settings every night starts with (poll schedule, step deadline). */
  settings?: RunSettings;
  /** The OVH account whose services are dumped (its name): every night runs in it (search attribute). */
  account?: string;
}

/** What `ovhflow schedule list` shows of one schedule. */
export interface NightlyScheduleView {
  scheduleId: string;
  paused: boolean;
  note?: string;
  cron?: string;
  timezone?: string;
  services?: string[];
  concurrency?: number;
  /** The OVH account it dumps (absent: the default account). */
  account?: string;
  nextRuns: string[];
  recentRuns: Array<{ scheduledAt: string; workflowId: string }>;
  /** Its settings are encrypted under a key this process does not hold (another deployment's, or a retired key). */
  unreadable?: string;
}

interface ScheduleMemo {
  cron: string;
  timezone: string;
  account?: string;
}

function actionOf(scheduleId: string, request: NightlyScheduleRequest, memo: ScheduleMemo): ScheduleOptionsStartWorkflowAction<typeof nightlyDumps> {
  const options: NightlyOptions = { timezone: memo.timezone };
  return {
    type: 'startWorkflow',
    workflowType: 'nightlyDumps',
    // Temporal appends `-<scheduled time>` to this id for each run.
    workflowId: scheduledNightlyWorkflowId(scheduleId),
    taskQueue: request.taskQueue,
    args: [request.input, request.settings ?? {}, options],
    memo: { schedule: { id: scheduleId, ...memo } },
    typedSearchAttributes: [
      { key: RUN_TYPE, value: 'nightly' },
      { key: RUN_STATUS, value: 'running' },
      // The account each night acts for: the workflow interceptor hands it to every activity and child.
      ...(request.account ? [{ key: ACCOUNT, value: request.account }] : []),
    ],
  };
}

/** Creates the schedule, or updates its timing, services and settings if it exists (keeping its paused state). */
export async function upsertNightlySchedule(client: Client, request: NightlyScheduleRequest): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = request.scheduleId ?? DEFAULT_NIGHTLY_SCHEDULE_ID;
  const memo: ScheduleMemo = {
    cron: request.cron ?? DEFAULT_NIGHTLY_CRON,
    timezone: request.timezone ?? DEFAULT_NIGHTLY_TIMEZONE,
    ...(request.account ? { account: request.account } : {}),
  };
  const spec = { cronExpressions: [memo.cron], timezone: memo.timezone };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: NIGHTLY_CATCHUP_WINDOW, pauseOnFailure: false };
  const action = actionOf(scheduleId, request, memo);
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { note: 'nightly database dumps (ovhflow)' } });
    return { scheduleId, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return { scheduleId, created: false };
}

function viewOf(description: ScheduleDescription): NightlyScheduleView {
  const action = description.action;
  const [input, , options] = (action.args ?? []) as [Partial<NightlyDumpsInput> | undefined, unknown, NightlyOptions | undefined];
  const memo = (action.memo?.schedule ?? {}) as Partial<ScheduleMemo>;
  return {
    scheduleId: description.scheduleId,
    paused: description.state.paused,
    ...(description.state.note ? { note: description.state.note } : {}),
    ...(memo.cron ? { cron: memo.cron } : {}),
    ...(memo.account ? { account: memo.account } : {}),
    ...(memo.timezone ?? options?.timezone ? { timezone: memo.timezone ?? options?.timezone } : {}),
    ...(input?.services ? { services: input.services } : {}),
    ...(input?.concurrency ? { concurrency: input.concurrency } : {}),
    nextRuns: description.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString()),
    recentRuns: description.info.recentActions.map((run) => ({ scheduledAt: run.scheduledAt.toISOString(), workflowId: run.action.workflow.workflowId })),
  };
}

export async function describeNightlySchedule(client: Client, scheduleId: string): Promise<NightlyScheduleView> {
  return viewOf(await client.schedule.getHandle(scheduleId).describe());
}

/**
 * What the listing alone knows of a schedule that could not be described (its settings encrypted with a key this
 * process lacks), and why the rest is not shown.
 */
export function unreadableScheduleView(summary: ScheduleSummary, error: unknown) {
  return {
    scheduleId: summary.scheduleId,
    paused: summary.state.paused,
    nextRuns: (summary.info?.nextActionTimes ?? []).slice(0, 3).map((time) => time.toISOString()),
    recentRuns: [],
    unreadable: `its settings cannot be read here: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
  };
}

/** ovhflow's schedules (those that start nightlyDumps), described. */
export async function listNightlySchedules(client: Client): Promise<NightlyScheduleView[]> {
  const views: NightlyScheduleView[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType !== 'nightlyDumps') continue;
    try {
      views.push(await describeNightlySchedule(client, summary.scheduleId));
    } catch (error) {
      // Deleted between the listing and the description (the listing is eventually consistent).
      if (error instanceof ScheduleNotFoundError) continue;
      // One schedule whose settings this key cannot decrypt must not hide the others: list what is readable.
      views.push(unreadableScheduleView(summary, error));
    }
  }
  return views.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function pauseNightlySchedule(client: Client, scheduleId: string, note = 'paused with ovhflow'): Promise<void> {
  await client.schedule.getHandle(scheduleId).pause(note);
}

export async function unpauseNightlySchedule(client: Client, scheduleId: string, note = 'unpaused with ovhflow'): Promise<void> {
  await client.schedule.getHandle(scheduleId).unpause(note);
}

/** Runs the schedule's action now; like the schedule itself, it does not start a night while one is running. */
export async function triggerNightlySchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
}

export async function deleteNightlySchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).delete();
}
