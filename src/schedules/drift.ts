// The drift schedule: a Temporal Schedule whose action runs `fleetDrift` on a fleet file (the file travels in the
// action's arguments, encrypted by the client's data converter like every payload; it holds references, never secret
// values). Created or updated in one idempotent call, like the nightly one (nightly.ts); paused, triggered and deleted
// by the same `ovhflow schedule` commands. The latest report is the result of its newest completed run.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { FleetFile } from '../fleet/file.js';
import { DEFAULT_DRIFT_CRON, DRIFT_WORKFLOW_PREFIX, type DriftReport, type FleetDriftInput } from '../shared/fleet-drift.js';
import type { fleetDrift } from '../workflows/fleet-drift.js';
import { unreadableScheduleView } from './nightly.js';

export const DRIFT_WORKFLOW_TYPE = 'fleetDrift';

export interface DriftScheduleRequest {
  scheduleId: string;
  cron?: string;
  timezone?: string;
  file: FleetFile;
  source?: string;
  taskQueue: string;
}

/** What `ovhflow schedule list|describe` shows of a drift schedule. */
export interface DriftScheduleView {
  scheduleId: string;
  kind: 'fleet-drift';
  paused: boolean;
  note?: string;
  cron?: string;
  timezone?: string;
  source?: string;
  accounts?: string[];
  /** Sites the scheduled file declares. */
  sites?: number;
  nextRuns: string[];
  recentRuns: Array<{ scheduledAt: string; workflowId: string }>;
  /** Why its settings are not shown (its input encrypted with a key this process lacks). */
  unreadable?: string;
}

interface DriftMemo {
  cron: string;
  timezone: string;
}

export async function upsertDriftSchedule(client: Client, request: DriftScheduleRequest): Promise<{ scheduleId: string; created: boolean }> {
  const memo: DriftMemo = { cron: request.cron ?? DEFAULT_DRIFT_CRON, timezone: request.timezone ?? 'UTC' };
  const spec = { cronExpressions: [memo.cron], timezone: memo.timezone };
  // A check still running when the next is due is not doubled; a missed morning is caught up within a few hours.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 hours', pauseOnFailure: false };
  const input: FleetDriftInput = { file: request.file, ...(request.source !== undefined ? { source: request.source } : {}) };
  // No account search attribute: the check spans the file's accounts, each read by a child acting for its own.
  const action: ScheduleOptionsStartWorkflowAction<typeof fleetDrift> = {
    type: 'startWorkflow',
    workflowType: DRIFT_WORKFLOW_TYPE,
    workflowId: `${DRIFT_WORKFLOW_PREFIX}${request.scheduleId}`,
    taskQueue: request.taskQueue,
    args: [input],
    memo: { schedule: { id: request.scheduleId, ...memo } },
  };
  try {
    await client.schedule.create({ scheduleId: request.scheduleId, spec, action, policies, state: { note: 'fleet drift check (ovhflow)' } });
    return { scheduleId: request.scheduleId, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(request.scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return { scheduleId: request.scheduleId, created: false };
}

export const isDriftSchedule = (description: Pick<ScheduleDescription, 'action'>): boolean => description.action.workflowType === DRIFT_WORKFLOW_TYPE;

export function driftViewOf(description: ScheduleDescription): DriftScheduleView {
  const [input] = (description.action.args ?? []) as [Partial<FleetDriftInput> | undefined];
  const memo = (description.action.memo?.schedule ?? {}) as Partial<DriftMemo>;
  const services = Object.values(input?.file?.accounts ?? {}).flatMap((account) => Object.values(account.services ?? {}));
  return {
    scheduleId: description.scheduleId,
    kind: 'fleet-drift',
    paused: description.state.paused,
    ...(description.state.note ? { note: description.state.note } : {}),
    ...(memo.cron ? { cron: memo.cron } : {}),
    ...(memo.timezone ? { timezone: memo.timezone } : {}),
    ...(input?.source ? { source: input.source } : {}),
    ...(input?.file ? { accounts: Object.keys(input.file.accounts), sites: services.reduce((n, s) => n + (s.sites?.length ?? 0), 0) } : {}),
    nextRuns: description.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString()),
    recentRuns: description.info.recentActions.map((run) => ({ scheduledAt: run.scheduledAt.toISOString(), workflowId: run.action.workflow.workflowId })),
  };
}

/**
 * The drift schedules, described (the listing is eventually consistent: one deleted meanwhile is left out). One that
 * cannot be described (its input encrypted with a key this process lacks) must not hide the others: it is listed with
 * what the listing knows of it, and why the rest is not shown.
 */
export async function listDriftSchedules(client: Client): Promise<DriftScheduleView[]> {
  const views: DriftScheduleView[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType !== DRIFT_WORKFLOW_TYPE) continue;
    try {
      views.push(driftViewOf(await client.schedule.getHandle(summary.scheduleId).describe()));
    } catch (error) {
      if ((error as Error).name === 'ScheduleNotFoundError') continue;
      views.push({ ...unreadableScheduleView(summary, error), kind: 'fleet-drift' });
    }
  }
  return views.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export class NotADriftScheduleError extends Error {
  override name = 'NotADriftScheduleError';
  constructor(readonly scheduleId: string) {
    super(`schedule "${scheduleId}" is not a drift schedule (create one with \`ovhflow schedule drift FILE\`)`);
  }
}

/** The latest report, and the run that made it; `running` when a newer check has not finished yet. */
export interface LatestDrift {
  scheduleId: string;
  report?: DriftReport;
  workflowId?: string;
  /** A newer check of this schedule, not finished (its report will replace this one). */
  running?: string;
  /** The newest checks that did not complete (failed, timed out), newest first. */
  notCompleted: Array<{ workflowId: string; status: string }>;
}

/** The result of the schedule's newest completed run (the schedule remembers its last ten). */
export async function latestDriftReport(client: Client, scheduleId: string): Promise<LatestDrift> {
  const description = await client.schedule.getHandle(scheduleId).describe();
  if (!isDriftSchedule(description)) throw new NotADriftScheduleError(scheduleId);
  const latest: LatestDrift = { scheduleId, notCompleted: [] };
  const newestFirst = [...description.info.recentActions].sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime());
  for (const { action } of newestFirst) {
    const handle = client.workflow.getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId);
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (error) {
      // Past the namespace's retention: older ones are gone as well.
      if (error instanceof WorkflowNotFoundError) break;
      throw error;
    }
    if (status === 'RUNNING') {
      latest.running ??= action.workflow.workflowId;
      continue;
    }
    if (status !== 'COMPLETED') {
      latest.notCompleted.push({ workflowId: action.workflow.workflowId, status });
      continue;
    }
    latest.report = (await handle.result()) as DriftReport;
    latest.workflowId = action.workflow.workflowId;
    break;
  }
  return latest;
}
