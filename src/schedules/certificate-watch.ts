// The certificate watch's Temporal Schedule (daily by default): created or updated in one idempotent call, like the
// nightly one (nightly.ts). A missed day is caught up within a few hours; two watches never overlap.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  DEFAULT_CERTIFICATE_WATCH_CRON,
  DEFAULT_CERTIFICATE_WATCH_SCHEDULE_ID,
  type CertificateWatchInput,
} from '../shared/certificate-watch.js';
import { ACCOUNT } from '../shared/search-attributes.js';
import type { certificateWatch } from '../workflows/certificate-watch.js';

export interface CertificateWatchScheduleRequest {
  taskQueue: string;
  scheduleId?: string;
  cron?: string;
  timezone?: string;
  input?: CertificateWatchInput;
  /** The OVH account whose hostings are watched (absent: the default account). */
  account?: string;
}

export async function upsertCertificateWatchSchedule(client: Client, request: CertificateWatchScheduleRequest): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = request.scheduleId ?? DEFAULT_CERTIFICATE_WATCH_SCHEDULE_ID;
  const spec = { cronExpressions: [request.cron ?? DEFAULT_CERTIFICATE_WATCH_CRON], timezone: request.timezone ?? 'UTC' };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 hours', pauseOnFailure: false };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'certificateWatch',
    workflowId: `certificate-watch/${scheduleId}`,
    taskQueue: request.taskQueue,
    args: [request.input ?? {}] as Parameters<typeof certificateWatch>,
    ...(request.account ? { typedSearchAttributes: [{ key: ACCOUNT, value: request.account }] } : {}),
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { note: 'certificate expiry watch (ovhflow)' } });
    return { scheduleId, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return { scheduleId, created: false };
}
