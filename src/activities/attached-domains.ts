// Attached domains as ovhflow compares and changes them: the settings read from OVH, and updateAttachedDomain's
// activities (read the domain, PUT the change, put the old settings back on abort). The PUT answers nothing: the
// change is an `attachedDomain/update` task, which the domain names in its `taskId` while it runs.
import type { OvhClient } from '../ovh/client.js';
import type { AttachedDomain } from '../ovh/types.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { AttachedDomainSettings } from '../shared/inputs/attached-domain.js';
import type { AttachedDomainChange } from '../shared/domain-update.js';
import { ovhCall, permanentFailure } from './failures.js';

/** What an attached domain has, in the shape runs compare (OVH leaves unset options out or null). */
export function settingsOf(found: AttachedDomain): AttachedDomainSettings {
  return {
    path: found.path.replace(/^\.\//, ''),
    ssl: Boolean(found.ssl),
    cdn: found.cdn,
    firewall: found.firewall,
    ownLog: found.ownLog ?? null,
    runtimeId: found.runtimeId ?? null,
    ipLocation: found.ipLocation ?? null,
  };
}

/** Whether the domain has every setting of `asked` (paths compared without "./" and trailing "/", log domains without case). */
function hasSettings(found: AttachedDomainSettings, asked: Record<string, unknown>): boolean {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const relative = (path: unknown) => text(path).replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return Object.entries(asked).every(([key, value]) => {
    const have = found[key as keyof AttachedDomainSettings];
    if (key === 'path') return relative(have) === relative(value);
    if (key === 'ownLog') return text(have).toLowerCase() === text(value).toLowerCase();
    return (have ?? null) === (value ?? null);
  });
}

export function createAttachedDomainActivities({ ovh }: { ovh: OvhClient }) {
  return {
    /** The domain's settings and status; a domain that is not attached is a clear, permanent failure. */
    async readAttachedDomain(args: { serviceName: string; domain: string }): Promise<{ settings: AttachedDomainSettings; status: string; taskId?: number }> {
      let found: AttachedDomain;
      try {
        found = await ovhCall(() => ovh.getAttachedDomain(args.serviceName, args.domain));
      } catch (error) {
        if ((error as { type?: string })?.type === FAILURE_TYPES.notFound) {
          throw permanentFailure(FAILURE_TYPES.notFound, `${args.domain} is not attached to ${args.serviceName}: nothing to update`, {
            hint: 'check the domain name (GET /hosting/web/{serviceName}/attachedDomain lists them), or attach it with `ovhflow provision`; then abort this run',
          });
        }
        throw error;
      }
      return { settings: settingsOf(found), status: found.status, ...(found.taskId ? { taskId: found.taskId } : {}) };
    },

    /**
     * Sends the change unless an earlier attempt whose answer was lost (a worker killed mid-call) already did: the
     * domain is being updated (a second PUT would be refused as busy), or already has every asked setting (its task is
     * over). Answers the task to wait for, found on the domain itself. The run compared before it called this, so
     * "already as asked" here is this run's own write, adopted rather than made twice.
     */
    async updateAttachedDomain(args: { serviceName: string; domain: string; change: AttachedDomainChange }): Promise<{ taskId?: number }> {
      const before = await ovhCall(() => ovh.getAttachedDomain(args.serviceName, args.domain));
      if (before.status === 'updating' && before.taskId) return { taskId: before.taskId };
      // Only the settings that change; null (compensation putting back "none") is sent as null.
      const body = Object.fromEntries(Object.entries(args.change).filter(([, value]) => value !== undefined));
      if (before.status === 'created' && hasSettings(settingsOf(before), body)) return {};
      await ovhCall(() => ovh.updateAttachedDomain(args.serviceName, args.domain, body));
      const after = await ovhCall(() => ovh.getAttachedDomain(args.serviceName, args.domain));
      return after.taskId ? { taskId: after.taskId } : {};
    },
  };
}
