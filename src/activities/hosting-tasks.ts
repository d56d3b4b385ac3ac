// Waiting for an OVH hosting task: ONE check per activity attempt. A task still running throws a retryable
// `OvhTaskPending`, so the activity's retry policy does the polling with exponential backoff up to a cap, and the
// whole wait costs three history events however long the task takes. The step deadline is the activity's
// schedule-to-close timeout.
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { OvhClient } from '../ovh/client.js';
import { OvhApiError } from '../ovh/errors.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { type FoundResource, type PollSchedule, type RemovableResource, type RemoveCreatedResult, type TrackedResource, type WaitForTaskInput, type WaitForTaskResult } from '../shared/hosting-tasks.js';
import { ovhCall, permanentFailure, stillPending, toActivityFailure } from './failures.js';
import { findCronJob } from './cron-lookup.js';
import { findInstalledModule, moduleServes } from './module-lookup.js';
import { currentOvhConfigAt } from './php-config.js';
import { taskDurations } from './task-durations.js';
import { ovhTaskDuration } from '../metrics/registry.js';

const round = (seconds: number) => Math.round(seconds * 10) / 10;

type ResourceRecord = { status: string; taskId?: number | null };
type ResourceState = { exists: false } | { exists: true; status: string; taskId?: number | null; record: ResourceRecord };

/** Resources whose own status follows their task: one read of the resource says both "done" and "verified". */
const READ_RESOURCE_FIRST = new Set<TrackedResource['kind']>(['attachedDomain', 'database', 'user']);
/**
 * While such a resource stays in a transitional status, the task is also read (was it cancelled?) from this check on
 * and every other check after: a short task costs no extra call, a long one about one per two checks' doubling.
 */
const TASK_CHECKS_FROM_ATTEMPT = 4;

/** Waits of one kind take about the same time: what the worker learns is kept per kind (task-durations.ts). */
function waitKind(input: Pick<WaitForTaskInput, 'resource' | 'expect'>): string {
  return `${input.resource.kind}:${input.expect}`;
}

/**
 * A first check this soon is waited for inside the wait's first attempt. Failing the attempt instead (the retry policy
 * then brings the check) costs the Temporal server an attempt failure, a retry timer and a second dispatch, and
 * Temporal never retries sooner than ~1 s: with tasks of a few seconds or less, that was most of a provisioning's
 * time and a quarter of the server's CPU per run (docs/BENCHMARKS.md, issue 22). Short enough that the attempt holds
 * its slot briefly and stays well inside the heartbeat timeout.
 */
const IN_ATTEMPT_FIRST_CHECK_MAX_SECONDS = 2;

/**
 * Before a wait's first check (attempt 1; no call before it): waits the learned time here when it is short, else
 * fails the attempt so that the retry policy makes the first check then. Cancellable like any activity sleep.
 */
export async function untilFirstCheck(kind: string, poll: PollSchedule): Promise<void> {
  const seconds = taskDurations.firstCheckSeconds(kind, poll);
  if (seconds > IN_ATTEMPT_FIRST_CHECK_MAX_SECONDS) throw stillPending(`first check in ${round(seconds)} s`, undefined, seconds);
  await Context.current().sleep(Math.round(seconds * 1000));
}

/** This wait (all attempts of one activity). */
export function waitId(): string {
  const { workflowExecution, activityId } = Context.current().info;
  return `${workflowExecution?.workflowId}/${workflowExecution?.runId}/${activityId}`;
}

/** Seconds since the wait began (its first attempt was scheduled right after the write). */
export function elapsedSeconds(): number {
  return (Date.now() - Context.current().info.scheduledTimestampMs) / 1000;
}

/** The fields of a resource a workflow goes on with (never a secret: OVH does not send passwords back). */
function foundOf(kind: TrackedResource['kind'], resource: ResourceRecord): FoundResource {
  const record = resource as unknown as Record<string, unknown>;
  if (kind === 'database') {
    return { name: String(record.name), server: typeof record.server === 'string' ? record.server : '', port: Number(record.port), user: String(record.user) };
  }
  if (kind === 'module') {
    return { id: Number(record.id), moduleId: Number(record.moduleId), url: String(record.targetUrl), adminName: String(record.adminName) };
  }
  return {};
}

const FINAL_STATUS: Record<TrackedResource['kind'], string> = {
  attachedDomain: 'created',
  database: 'created',
  module: 'created',
  user: 'created',
  dump: 'created',
  ssl: 'created',
  domainSsl: 'created',
  ovhConfig: 'created',
  ovhConfigFolder: 'created',
  envVar: 'created',
  website: 'created',
  cron: 'created',
};

/** Statuses a resource can be removed from: settled ones (a Git link whose last deployment failed is settled too). */
function removable(kind: TrackedResource['kind'], status: string): boolean {
  return status === FINAL_STATUS[kind] || (kind === 'website' && (status === 'error' || status === 'initialError'));
}

/** The Git website link of a folder (OVH holds at most one per folder), if any. */
export async function websiteAt(ovh: OvhClient, serviceName: string, path: string) {
  const [id] = await ovh.listWebsites(serviceName, { path });
  return id === undefined ? undefined : ovh.getWebsite(serviceName, id);
}

export function createHostingTaskActivities({ ovh }: { ovh: OvhClient }) {
  async function resourceState(serviceName: string, resource: TrackedResource): Promise<ResourceState> {
    try {
      const found = await ovhCall<ResourceRecord | undefined>(() => {
        switch (resource.kind) {
          case 'attachedDomain':
            return ovh.getAttachedDomain(serviceName, resource.domain);
          case 'database':
            return ovh.getDatabase(serviceName, resource.name);
          case 'module':
            return findInstalledModule(ovh, serviceName, resource.domain, resource.path);
          case 'user':
            return ovh.getUser(serviceName, resource.login);
          case 'dump':
            return ovh.getDump(serviceName, resource.databaseName, resource.id);
          case 'ssl':
            return ovh.getSsl(serviceName);
          case 'domainSsl':
            return ovh.getDomainSsl(serviceName, resource.domain);
          case 'ovhConfig':
            return ovh.getOvhConfig(serviceName, resource.id);
          case 'ovhConfigFolder':
            return currentOvhConfigAt(ovh, serviceName, resource.path);
          case 'envVar':
            return ovh.getEnvVar(serviceName, resource.name);
          case 'website':
            return websiteAt(ovh, serviceName, resource.path);
          case 'cron':
            // A job's progress is its `state` (its `status` is the owner's on/off switch).
            return findCronJob(ovh, serviceName, resource.command).then((job) => (job ? { ...job, status: job.state ?? 'created', taskId: null } : undefined));
        }
      });
      return found ? { exists: true, status: found.status, taskId: found.taskId, record: found } : { exists: false };
    } catch (error) {
      if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.notFound) return { exists: false };
      throw error;
    }
  }

  function describe(resource: TrackedResource): string {
    const { kind, ...rest } = resource;
    return `${kind} ${Object.values(rest).join('/')}`.trim();
  }

  /** Fails (retryably while it may still change) unless the resource reached what the task was for. */
  async function verifyResource(input: WaitForTaskInput, taskFinished: boolean, known?: ResourceState): Promise<FoundResource | undefined> {
    const state = known ?? (await resourceState(input.serviceName, input.resource));
    const what = describe(input.resource);
    const next = nextCheck(input);
    if (input.expect === 'absent') {
      if (!state.exists) return undefined;
      if (state.status === 'deleting' || !taskFinished) throw stillPending(`${what} is still ${state.status}`, undefined, next);
      throw permanentFailure(FAILURE_TYPES.resourceNotReady, `task ${input.taskId} finished but ${what} still exists (${state.status})`);
    }
    if (!state.exists) {
      if (!taskFinished) throw stillPending(`${what} does not exist yet`, undefined, next);
      throw permanentFailure(FAILURE_TYPES.resourceNotReady, `task ${input.taskId} finished but ${what} does not exist`);
    }
    if (state.status === FINAL_STATUS[input.resource.kind]) return foundOf(input.resource.kind, state.record);
    // The task is over but the resource still moves (OVH updates both separately): look again on the next attempt.
    throw stillPending(`${what} is ${state.status}`, undefined, next);
  }

  /**
   * When the next check comes, for a wait given a poll schedule (none: the retry policy's own interval). Called when
   * a check found the task still running (or, on the first attempt, before any check).
   */
  function nextCheck(input: Pick<WaitForTaskInput, 'poll' | 'resource' | 'expect'>): number | undefined {
    if (!input.poll) return undefined;
    // With a poll schedule, a first attempt checks only after untilFirstCheck: it has done one check. A later attempt
    // cannot tell whether the first one checked and counts as if it did not (at worst one more check at the steady
    // interval before the doubling).
    const { attempt } = Context.current().info;
    return taskDurations.stillRunning(waitKind(input), waitId(), elapsedSeconds(), Math.max(1, attempt - 1), input.poll);
  }

  /** The task's verdict alone: throws when it was cancelled or still runs; answers whether OVH still knows it. */
  async function taskVerdict(input: WaitForTaskInput): Promise<{ known: false } | { known: true; function: string; seconds?: number; objectId?: string }> {
    let task;
    try {
      task = await ovh.getTask(input.serviceName, input.taskId);
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') return { known: false };
      throw toActivityFailure(error);
    }
    if (task.status === 'cancelled') {
      throw permanentFailure(FAILURE_TYPES.taskCancelled, `OVH cancelled task ${task.id} (${task.function})`, {
        hint: `task ${task.id} (${task.function}) was cancelled by OVH`,
      });
    }
    if (task.status !== 'done') {
      // With a poll schedule, attempt 1 only waits for the first check: checks are counted as the other messages count them.
      const { attempt } = Context.current().info;
      throw stillPending(`task ${task.id} (${task.function}) is ${task.status} (check ${input.poll ? attempt - 1 : attempt})`, { taskStatus: task.status }, nextCheck(input));
    }
    const seconds = task.doneDate && task.startDate ? (Date.parse(task.doneDate) - Date.parse(task.startDate)) / 1000 : undefined;
    if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) ovhTaskDuration.observe({ function: task.function }, seconds);
    return {
      known: true,
      function: task.function,
      ...(seconds !== undefined && Number.isFinite(seconds) ? { seconds } : {}),
      ...(task.objectId ? { objectId: task.objectId } : {}),
    };
  }

  /** Deletes a resource; answers the task that removes it, when OVH answers with one. */
  async function deleteResource(serviceName: string, resource: RemovableResource): Promise<number | undefined> {
    switch (resource.kind) {
      case 'attachedDomain':
        return (await ovh.detachDomain(serviceName, resource.domain)).id;
      case 'database':
        return (await ovh.deleteDatabase(serviceName, resource.name)).id;
      case 'module': {
        const found = await findInstalledModule(ovh, serviceName, resource.domain, resource.path);
        return found ? (await ovh.deleteModule(serviceName, found.id)).id : undefined;
      }
      case 'user':
        return (await ovh.deleteUser(serviceName, resource.login)).id;
      case 'ssl':
        await ovh.deleteSsl(serviceName);
        return undefined;
      case 'domainSsl':
        await ovh.deleteDomainSsl(serviceName, resource.domain);
        return undefined;
      case 'website': {
        // The files go with the link: ovhflow removes a link only when the folder was empty before it (OVH's rule for
        // creating one), when replacing it with another repository, or when decommissioning the site.
        const found = await websiteAt(ovh, serviceName, resource.path);
        return found ? (await ovh.deleteWebsite(serviceName, found.id, true)).id : undefined;
      }
    }
  }

  /**
   * The module an install task names (its `objectId`), read directly — one call instead of listing the hosting's
   * modules — when it is the one serving this domain and path; otherwise undefined, and the listing decides.
   */
  async function moduleOfTask(input: WaitForTaskInput, objectId: string | undefined): Promise<ResourceState | undefined> {
    if (input.resource.kind !== 'module' || !objectId || !/^\d+$/.test(objectId)) return undefined;
    const { domain, path } = input.resource;
    try {
      const module = await ovh.getModule(input.serviceName, Number(objectId));
      return moduleServes(module, domain, path) ? { exists: true, status: module.status, taskId: module.taskId, record: module } : undefined;
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
      throw toActivityFailure(error);
    }
  }

  return {
    /**
     * The first half of undoing what a run created: starts removing the resource, or says it is already gone. A
     * resource still being created (or changed) cannot be deleted yet — OVH answers 409 — so this check fails as
     * "still pending" and the retry policy looks again, like any wait. One check per attempt.
     */
    async removeCreated(input: { serviceName: string; resource: RemovableResource }): Promise<RemoveCreatedResult> {
      const state = await resourceState(input.serviceName, input.resource);
      if (!state.exists) return { outcome: 'absent' };
      if (state.status === 'deleting') return { outcome: 'removing', ...(state.taskId ? { taskId: state.taskId } : {}) };
      if (!removable(input.resource.kind, state.status)) {
        throw stillPending(`${describe(input.resource)} is ${state.status}: it can be removed once it settles`);
      }
      const taskId = await ovhCall(() => deleteResource(input.serviceName, input.resource));
      return { outcome: 'removing', ...(taskId ? { taskId } : {}) };
    },

    /** Waits on the resource alone (no task to follow): one check per attempt, like {@link waitForHostingTask}. */
    async waitForResource(input: Omit<WaitForTaskInput, 'taskId'>): Promise<void> {
      await verifyResource({ ...input, taskId: 0 }, false);
    },

    async waitForHostingTask(input: WaitForTaskInput): Promise<WaitForTaskResult> {
      const { attempt } = Context.current().info;
      if (input.poll) {
        // The first check comes when tasks of this kind recently ended (or after one interval): no call before it.
        if (attempt === 1) await untilFirstCheck(waitKind(input), input.poll);
        if (input.created && input.expect === 'present' && READ_RESOURCE_FIRST.has(input.resource.kind)) {
          // One read of the resource: its own status follows the task, and "created" is both done and verified.
          const state = await resourceState(input.serviceName, input.resource);
          if (state.exists && state.status === FINAL_STATUS[input.resource.kind]) {
            taskDurations.done(waitKind(input), waitId(), elapsedSeconds());
            return { taskId: input.taskId, outcome: 'done', found: foundOf(input.resource.kind, state.record) };
          }
          // Still moving: after a few checks, or when it is not there at all, the task says whether OVH cancelled it.
          if (state.exists && (input.taskId === 0 || attempt < TASK_CHECKS_FROM_ATTEMPT || attempt % 2 !== 0)) {
            throw stillPending(`${describe(input.resource)} is ${state.status} (check ${Math.max(1, attempt - 1)})`, undefined, nextCheck(input));
          }
          if (input.taskId === 0) return { taskId: 0, outcome: 'gone', found: await verifyResource(input, false, state) };
          const verdict = await taskVerdict(input);
          const found = await verifyResource(input, true, state);
          taskDurations.done(waitKind(input), waitId(), elapsedSeconds(), verdict.known ? verdict.seconds : undefined);
          return { taskId: input.taskId, outcome: verdict.known ? 'done' : 'gone', ...(verdict.known ? { function: verdict.function } : {}), ...(found ? { found } : {}) };
        }
      }
      const verdict = await taskVerdict(input);
      // OVH forgets finished tasks after a while (404): then the resource's own state decides.
      const found = await verifyResource(input, true, input.poll && verdict.known ? await moduleOfTask(input, verdict.objectId) : undefined);
      if (input.poll) taskDurations.done(waitKind(input), waitId(), elapsedSeconds(), verdict.known ? verdict.seconds : undefined);
      return {
        taskId: input.taskId,
        outcome: verdict.known ? 'done' : 'gone',
        ...(verdict.known ? { function: verdict.function } : {}),
        ...(input.poll && found ? { found } : {}),
      };
    },
  };
}

