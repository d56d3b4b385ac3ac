// ovhflow's own metrics, in one registry per process (prom-client): what the OVH client, the activities, the worker's
// sinks and the needs-attention poller record, and what the metrics endpoint (server.ts) serves. Labels are bounded:
// an OVH operation is its name in the operations table (src/ovh/operations.ts), never a path with ids or domains.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ovhflow_process_' });

export const ovhRequests = new Counter({
  name: 'ovhflow_ovh_requests_total',
  help: 'OVH API calls by account, operation (operations-table name) and HTTP status (or the failure kind when no answer came)',
  labelNames: ['account', 'operation', 'status'] as const,
  registers: [registry],
});

export const ovhRequestDuration = new Histogram({
  name: 'ovhflow_ovh_request_duration_seconds',
  help: 'Time from sending an OVH API call to its answer (rate-limit and Retry-After waits excluded)',
  labelNames: ['account', 'operation'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const ovhRefused = new Counter({
  name: 'ovhflow_ovh_refused_total',
  help: 'OVH API calls refused with 429 (too many requests)',
  labelNames: ['account', 'operation'] as const,
  registers: [registry],
});

export const ovhWaitSeconds = new Counter({
  name: 'ovhflow_ovh_wait_seconds_total',
  help: "Seconds OVH calls spent waiting before being sent: on the client's rate limit (reason=rate-limit) or on OVH's Retry-After (reason=retry-after)",
  labelNames: ['account', 'reason'] as const,
  registers: [registry],
});

export const ovhTaskDuration = new Histogram({
  name: 'ovhflow_ovh_task_duration_seconds',
  help: "How long OVH's hosting tasks took, by function (from the task's own start and done dates)",
  labelNames: ['function'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [registry],
});

export const runsFinished = new Counter({
  name: 'ovhflow_runs_finished_total',
  help: 'Runs that ended on this worker, by kind and outcome (completed, failed, aborted, cancelled, terminated or timed-out are not seen by workers)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const runsNeedingAttention = new Gauge({
  name: 'ovhflow_runs_needing_attention',
  help: "Open runs waiting for an operator, by kind and account (from Temporal's visibility, refreshed periodically)",
  labelNames: ['kind', 'account'] as const,
  registers: [registry],
});

export const attentionPollErrors = new Counter({
  name: 'ovhflow_visibility_poll_errors_total',
  help: "Failed refreshes of the needs-attention gauge from Temporal's visibility",
  registers: [registry],
});

export const nightlyDumpFailures = new Counter({
  name: 'ovhflow_nightly_dump_failures_total',
  help: 'Databases a nightly dumps run could not dump (each also needs an operator or was reported failed)',
  labelNames: ['account'] as const,
  registers: [registry],
});

export const nightlyRuns = new Counter({
  name: 'ovhflow_nightly_runs_total',
  help: 'Nightly dumps runs that ended, by whether every database was dumped (result=ok) or not (result=failures)',
  labelNames: ['account', 'result'] as const,
  registers: [registry],
});

/** What the certificate watch last read, per certificate: the gauge counts down from it at each scrape. */
const certificateReadings = new Map<string, { labels: Record<'account' | 'service' | 'domain' | 'provider', string>; expiresAt: number; readAt: number }>();
/** A reading older than this is dropped: the certificate was renewed, detached, or read by another worker since. */
const CERTIFICATE_READING_TTL_MS = 2 * 24 * 3600 * 1000;

export const certificateExpiryDays = new Gauge({
  name: 'ovhflow_certificate_expiry_days',
  help: "Days until the certificate a domain serves expires (negative: expired), from the certificate watch's last reading on this worker (kept 2 days)",
  labelNames: ['account', 'service', 'domain', 'provider'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const now = Date.now();
    for (const [key, reading] of certificateReadings) {
      if (now - reading.readAt > CERTIFICATE_READING_TTL_MS) certificateReadings.delete(key);
      else this.set(reading.labels, Math.round(((reading.expiresAt - now) / 86_400_000) * 100) / 100);
    }
  },
});

export function recordCertificateExpiry(labels: { account: string; service: string; domain: string; provider: string }, expiresAt: Date): void {
  certificateReadings.set(`${labels.account}|${labels.service}|${labels.domain}`, { labels, expiresAt: expiresAt.getTime(), readAt: Date.now() });
}

export const notificationsSent = new Counter({
  name: 'ovhflow_notifications_total',
  help: 'Webhook delivery attempts by event and result (delivered, failed)',
  labelNames: ['event', 'result'] as const,
  registers: [registry],
});

export const apiRequests = new Counter({
  name: 'ovhflow_api_requests_total',
  help: 'HTTP API requests by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

/** The account label of a call: the run's account, or `default` (a worker without an accounts file). */
export function accountLabel(account: string | undefined): string {
  return account ?? 'default';
}
