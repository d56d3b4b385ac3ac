// One webhook delivery: the body in the receiver's format, signed like GitHub's webhooks — `X-Ovhflow-Signature-256:
// sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with OVHFLOW_NOTIFY_SECRET>` — with the event's delivery id,
// the same on every retry, so a receiver drops a repeat.
import { createHmac } from 'node:crypto';
import type { NotificationInput } from '../shared/notifications.js';
import type { NotifyFormat, NotifyTarget } from './settings.js';

const TIMEOUT_MS = 10_000;

/** What a JSON receiver gets (format=json). */
export interface NotificationBody {
  event: NotificationInput['event'];
  deliveryId: string;
  occurredAt: string;
  runId: string;
  temporalRunId: string;
  kind: string;
  account: string;
  step: string | null;
  failureType: string | null;
  message: string;
  ovhMessage: string | null;
  queryId: string | null;
  hint: string | null;
  /** The run in the operator console, when OVHFLOW_CONSOLE_URL is set. */
  consoleUrl: string | null;
  details?: Record<string, unknown>;
}

export function notificationBody(input: NotificationInput, account: string, consoleUrl: string | undefined): NotificationBody {
  return {
    event: input.event,
    deliveryId: input.deliveryId,
    occurredAt: input.occurredAt,
    runId: input.runId,
    temporalRunId: input.temporalRunId,
    kind: input.kind,
    account,
    step: input.step ?? null,
    failureType: input.failureType ?? null,
    message: input.message,
    ovhMessage: input.ovhMessage ?? null,
    queryId: input.queryId ?? null,
    hint: input.hint ?? null,
    consoleUrl: consoleUrl ? `${consoleUrl}/console/run?id=${encodeURIComponent(input.runId)}` : null,
    ...(input.details ? { details: input.details } : {}),
  };
}

const HEADLINES: Record<NotificationInput['event'], string> = {
  'run.needs_attention': 'needs an operator',
  'run.failed': 'failed',
  'run.aborted': 'was aborted',
  'nightly.failed': 'could not dump every database',
  'certificate.expiring': 'certificate expiring',
  'fleet.drift': 'found drift from the fleet file',
};

/** The body as sent: ovhflow's JSON, or a chat message (Slack's and Teams' incoming webhooks). */
export function formatBody(body: NotificationBody, format: NotifyFormat): string {
  if (format === 'json') return JSON.stringify(body);
  const lines = [
    `${body.kind} run ${body.runId} ${HEADLINES[body.event]}${body.step ? ` at step ${body.step}` : ''} (account ${body.account})`,
    body.message,
    ...(body.ovhMessage ? [`OVH: ${body.ovhMessage}${body.queryId ? ` (query id ${body.queryId})` : ''}`] : []),
    ...(body.hint ? [`hint: ${body.hint}`] : []),
  ];
  if (format === 'slack') {
    if (body.consoleUrl) lines.push(`<${body.consoleUrl}|open the run in the console>`);
    return JSON.stringify({ text: lines.join('\n') });
  }
  // Teams' incoming webhook connector: a MessageCard.
  return JSON.stringify({
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: lines[0],
    title: lines[0],
    text: lines.slice(1).join('\n\n'),
    ...(body.consoleUrl ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open the run', targets: [{ os: 'default', uri: body.consoleUrl }] }] } : {}),
  });
}

/** `sha256=<hex>`: what X-Ovhflow-Signature-256 carries. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; status?: number; reason: string };

/** POSTs the notification to one receiver; a 2xx answer is a delivery, anything else is retried by the caller. */
export async function deliverTo(target: NotifyTarget, body: NotificationBody, secret: string): Promise<DeliveryOutcome> {
  const text = formatBody(body, target.format);
  try {
    const answer = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'ovhflow-webhook',
        'X-Ovhflow-Event': body.event,
        'X-Ovhflow-Delivery': body.deliveryId,
        'X-Ovhflow-Signature-256': signatureOf(text, secret),
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await answer.body?.cancel().catch(() => undefined);
    return answer.ok ? { ok: true, status: answer.status } : { ok: false, status: answer.status, reason: `HTTP ${answer.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: cause ?? (error as Error).name ?? 'error' };
  }
}
