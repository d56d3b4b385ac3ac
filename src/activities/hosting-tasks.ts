// Waiting for an OVH hosting task: ONE check per activity attempt. A task still running throws a retryable
// `OvhTaskPending`, so the activity's retry policy does the polling with exponential backoff up to a cap, and the
// whole wait costs three history events however long the task takes. The step deadline is the activity's
// schedule-to-close timeout.
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { OvhClient } from '../ovh/client.js';
import { OvhApiError } from '../ovh/errors.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { RemovableResource, RemoveCreatedResult, TrackedResource, WaitForTaskInput, WaitForTaskResult } from '../shared/hosting-tasks.js';
import { ovhCall, permanentFailure, stillPending, toActivityFailure } from './failures.js';
import { findInstalledModule } from './module-lookup.js';

type ResourceState = { exists: false } | { exists: true; status: string; taskId?: number | null };

const FINAL_STATUS: Record<TrackedResource['kind'], string> = {
  attachedDomain: 'created',
  database: 'created',
  module: 'created',
  user: 'created',
  dump: 'created',
  ssl: 'created',
};

export function createHostingTaskActivities({ ovh }: { ovh: OvhClient }) {
  async function resourceState(serviceName: string, resource: TrackedResource): Promise<ResourceState> {
    try {
      const found = await ovhCall<{ status: string; taskId?: number | null } | undefined>(() => {
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
        }
      });
      return found ? { exists: true, status: found.status, taskId: found.taskId } : { exists: false };
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
  async function verifyResource(input: WaitForTaskInput, taskFinished: boolean): Promise<void> {
    const state = await resourceState(input.serviceName, input.resource);
    const what = describe(input.resource);
    if (input.expect === 'absent') {
      if (!state.exists) return;
      if (state.status === 'deleting' || !taskFinished) throw stillPending(`${what} is still ${state.status}`);
      throw permanentFailure(FAILURE_TYPES.resourceNotReady, `task ${input.taskId} finished but ${what} still exists (${state.status})`);
    }
    if (!state.exists) {
      if (!taskFinished) throw stillPending(`${what} does not exist yet`);
      throw permanentFailure(FAILURE_TYPES.resourceNotReady, `task ${input.taskId} finished but ${what} does not exist`);
    }
    if (state.status === FINAL_STATUS[input.resource.kind]) return;
    // The task is over but the resource still moves (OVH updates both separately): look again on the next attempt.
    throw stillPending(`${what} is ${state.status}`);
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
      if (state.status !== FINAL_STATUS[input.resource.kind]) {
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
      const { info } = Context.current();
      let task;
      try {
        task = await ovh.getTask(input.serviceName, input.taskId);
      } catch (error) {
        if (error instanceof OvhApiError && error.kind === 'notFound') {
          // OVH forgets finished tasks after a while: the resource's own state decides.
          await verifyResource(input, true);
          return { taskId: input.taskId, outcome: 'gone' };
        }
        throw toActivityFailure(error);
      }
      if (task.status === 'cancelled') {
        throw permanentFailure(FAILURE_TYPES.taskCancelled, `OVH cancelled task ${task.id} (${task.function})`, {
          hint: `task ${task.id} (${task.function}) was cancelled by OVH`,
        });
      }
      if (task.status !== 'done') {
        throw stillPending(`task ${task.id} (${task.function}) is ${task.status} (check ${info.attempt})`, { taskStatus: task.status });
      }
      await verifyResource(input, true);
      return { taskId: task.id, function: task.function, outcome: 'done' };
    },
  };
}

