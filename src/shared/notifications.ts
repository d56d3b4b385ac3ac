// Notifications: what a run tells the outside world (webhooks, src/notify/) when a person should know. Shared by the
// workflows (which decide when) and the worker (which delivers): no secret, no URL here.

export const NOTIFICATION_EVENTS = ['run.needs_attention', 'run.failed', 'run.aborted', 'nightly.failed', 'certificate.expiring', 'fleet.drift'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** What the run hands its notification (the deliverNotification child workflow, then its activity). */
export interface NotificationInput {
  event: NotificationEvent;
  /**
   * Stable per event: `<workflowId>/<runId>/<event>/<n>` (n counts that event in the run). Sent as
   * `X-Ovhflow-Delivery`, so a receiver drops a repeat.
   */
  deliveryId: string;
  occurredAt: string;
  /** The run's workflow id (what `ovhflow status` and the console take). */
  runId: string;
  temporalRunId: string;
  kind: string;
  /** Absent: the account of the run's header (the activity's), else `default`. */
  account?: string;
  step?: string;
  failureType?: string;
  message: string;
  ovhMessage?: string;
  queryId?: string;
  hint?: string;
  /** Event-specific figures (a nightly run's failed databases, a certificate's expiry). */
  details?: Record<string, unknown>;
}

export interface NotificationResult {
  /** Target names (never their URLs: a Slack or Teams URL is a secret) that took the notification. */
  delivered: string[];
}

/**
 * The notification workflow's id: one per event of a run (Temporal's run ids are unique). Not the run's workflow id:
 * a command's child id is checked on replay, and the replay tests replay histories under another workflow id.
 */
export function notificationWorkflowId(temporalRunId: string, event: NotificationEvent, n: number): string {
  return `ovhflow-notify/${temporalRunId}/${event}/${n}`;
}
