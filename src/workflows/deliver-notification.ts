// A run's notification, delivered by a workflow of its own that the run starts and leaves (ParentClosePolicy
// ABANDON): the run never waits for a receiver — it waits for its operator, or ends — and the delivery survives the
// run's end, a worker restart, and a receiver down for hours. Not a run kind: no OvhflowRunType, so `ovhflow runs`
// does not list it.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { NotificationInput, NotificationResult } from '../shared/notifications.js';

const { deliverNotification: deliver } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // Every 2 s, then doubling up to every 10 minutes, for a day: a receiver back within the day gets it.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function deliverNotification(input: NotificationInput): Promise<NotificationResult> {
  return deliver(input);
}
