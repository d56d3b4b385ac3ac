// Undoing what a run created, the same way for every resource kind: wait until the resource has settled (a resource
// still being created cannot be deleted), delete it, then wait until OVH has really removed it. Idempotent: a
// resource already gone is reported as such, not as undone.
import { DEFAULT_POLL_SCHEDULE, type PollSchedule, type RemovableResource } from '../shared/hosting-tasks.js';
import { waitingActivities } from './activity-options.js';
import type { Undo } from './run-control.js';

export function removeCreated(serviceName: string, resource: RemovableResource, deadlineMinutes: () => number, poll?: PollSchedule): Undo {
  return async () => {
    const waiting = waitingActivities(deadlineMinutes(), poll);
    const removal = await waiting.removeCreated({ serviceName, resource });
    if (removal.outcome === 'absent') return 'absent';
    if (removal.taskId) await waiting.waitForHostingTask({ serviceName, taskId: removal.taskId, resource, expect: 'absent', poll: poll ?? DEFAULT_POLL_SCHEDULE });
    else await waiting.waitForResource({ serviceName, resource, expect: 'absent' });
    return 'undone';
  };
}
