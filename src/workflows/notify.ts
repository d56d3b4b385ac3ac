// Starting a notification from a workflow: a deliverNotification workflow of its own, left to deliver (however long
// the receiver is down) while the run goes on. Used by RunControl and by the runs without one (the certificate watch).
import { CancellationScope, ChildWorkflowCancellationType, log, ParentClosePolicy, patched, startChild, workflowInfo } from '@temporalio/workflow';
import { notificationWorkflowId, type NotificationEvent, type NotificationInput } from '../shared/notifications.js';
import { ACCOUNT } from '../shared/search-attributes.js';
import { lookup } from './activity-options.js';
import { deliverNotification } from './deliver-notification.js';

/** Runs notify (webhooks) when they need a person, fail or are aborted: new commands, so replayed runs skip them. */
export const NOTIFY_PATCH = 'ovhflow-notify-1';

/** What a notification says beyond what the run knows itself. */
export type NotificationAbout = Omit<NotificationInput, 'event' | 'deliveryId' | 'occurredAt' | 'runId' | 'temporalRunId' | 'kind'>;

/** Numbers each event of one run: the n of its delivery ids. One per run (a RunControl, a watch). */
export class Notifier {
  private readonly counts = new Map<NotificationEvent, number>();
  private readonly started: Array<Promise<void>> = [];

  constructor(private readonly kind: () => string) {}

  /** Starts the notification; resolves nothing, awaits nothing: see {@link allStarted}. */
  notify(event: NotificationEvent, about: NotificationAbout): void {
    if (!patched(NOTIFY_PATCH)) return;
    const info = workflowInfo();
    const n = (this.counts.get(event) ?? 0) + 1;
    this.counts.set(event, n);
    const deliveryId = `${info.workflowId}/${info.runId}/${event}/${n}`;
    const account = info.typedSearchAttributes.get(ACCOUNT);
    const input: NotificationInput = {
      event,
      deliveryId,
      occurredAt: new Date().toISOString(),
      runId: info.workflowId,
      temporalRunId: info.runId,
      kind: this.kind(),
      ...(account ? { account } : {}),
      ...Object.fromEntries(Object.entries(about).filter(([, value]) => value !== undefined)),
      message: about.message,
    };
    // Not cancellable: a run cancelled meanwhile still gets its notification started, and never cancels one. The
    // workers are asked first whether any receiver wants the event: none, no notification workflow.
    const started = CancellationScope.nonCancellable(async () => {
      if (!(await lookup.notificationWanted(event))) return;
      await startChild(deliverNotification, {
        workflowId: notificationWorkflowId(info.runId, event, n),
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        cancellationType: ChildWorkflowCancellationType.ABANDON,
      });
    });
    this.started.push(
      started.then(
        () => undefined,
        (error: unknown) => log.warn('could not start a notification', { event, deliveryId, error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  }

  /** The run waits for its notifications to be started (never delivered) before it ends. */
  async allStarted(): Promise<void> {
    await CancellationScope.nonCancellable(() => Promise.all(this.started));
  }
}
