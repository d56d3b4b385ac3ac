// Delivering a run's notification to every receiver that wants its event. One activity per event, retried for hours
// with a capped backoff (src/workflows/deliver-notification.ts): a receiver down for an hour gets it when it is back.
// The receivers already served are kept in the attempt's heartbeat details, so a retry sends only to the others:
// one notification per event and receiver, never one per retry (and the delivery id lets a receiver drop a repeat).
import { ApplicationFailure } from '@temporalio/common';
import { Context, log } from '@temporalio/activity';
import { deliverTo, notificationBody } from '../notify/deliver.js';
import type { NotifySettings } from '../notify/settings.js';
import { currentAccount } from '../ovh/account-context.js';
import { notificationsSent } from '../metrics/registry.js';
import type { NotificationInput, NotificationResult } from '../shared/notifications.js';

export function createNotificationActivities(deps: { notify?: NotifySettings | null }) {
  return {
    /**
     * Whether any receiver wants this event (a local activity, asked before a run starts a notification): without
     * one, no notification workflow is started at all.
     */
    async notificationWanted(event: NotificationInput['event']): Promise<boolean> {
      return deps.notify?.targets.some((target) => target.events.includes(event)) ?? false;
    },

    async deliverNotification(input: NotificationInput): Promise<NotificationResult> {
      const settings = deps.notify;
      const targets = settings?.targets.filter((target) => target.events.includes(input.event)) ?? [];
      if (!settings || targets.length === 0) return { delivered: [] };
      const context = Context.current();
      const previous = context.info.heartbeatDetails as { delivered?: unknown } | undefined;
      const delivered = new Set(Array.isArray(previous?.delivered) ? previous.delivered.filter((n): n is string => typeof n === 'string') : []);
      const body = notificationBody(input, input.account ?? currentAccount() ?? 'default', settings.consoleUrl);
      const failures: string[] = [];
      for (const target of targets) {
        if (delivered.has(target.name)) continue;
        const outcome = await deliverTo(target, body, settings.secret);
        notificationsSent.inc({ event: input.event, result: outcome.ok ? 'delivered' : 'failed' });
        if (outcome.ok) {
          delivered.add(target.name);
          context.heartbeat({ delivered: [...delivered] });
          log.info('notification delivered', { event: input.event, deliveryId: input.deliveryId, receiver: target.name, status: outcome.status });
        } else {
          failures.push(`${target.name}: ${outcome.reason}`);
        }
      }
      if (failures.length > 0) {
        // Retryable: the retry policy tries again later, with only these receivers.
        throw ApplicationFailure.retryable(`notification ${input.deliveryId} not delivered to ${failures.join('; ')}`, 'OvhflowNotificationNotDelivered');
      }
      return { delivered: [...delivered] };
    },
  };
}
