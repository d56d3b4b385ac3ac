// Finding a scheduled task by what it runs: OVH's `command` filter is a LIKE pattern and its ids change when a job is
// re-created, so the list is read and each job's command compared exactly (normalized as inputs are).
import type { OvhClient } from '../ovh/client.js';
import type { CronJob } from '../ovh/types.js';
import { normalizeCronCommand } from '../shared/cron.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { ovhCall, permanentFailure } from './failures.js';
import { OvhApiError } from '../ovh/errors.js';

/** Every job of a hosting; a job deleted between the list and its read is left out. */
export async function listCronJobs(ovh: OvhClient, serviceName: string, filter: { command?: string } = {}): Promise<CronJob[]> {
  const ids = await ovhCall(() => ovh.listCrons(serviceName, filter));
  const jobs = await ovhCall(() =>
    Promise.all(
      ids.map(async (id) => {
        try {
          return await ovh.getCron(serviceName, id);
        } catch (error) {
          if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
          throw error;
        }
      }),
    ),
  );
  return jobs.filter((job): job is CronJob => job !== undefined);
}

/** The job that runs exactly this command, or undefined; two jobs running it is a problem for an operator. */
export async function findCronJob(ovh: OvhClient, serviceName: string, command: string): Promise<CronJob | undefined> {
  const wanted = normalizeCronCommand(command);
  // The filter narrows the list OVH answers; `%` and `_` would be wildcards in it, so such commands are listed whole.
  const filter = /[%_]/.test(wanted) ? {} : { command: wanted };
  const matching = (await listCronJobs(ovh, serviceName, filter)).filter((job) => normalizeCronCommand(job.command) === wanted);
  if (matching.length > 1) {
    throw permanentFailure(FAILURE_TYPES.conflict, `${matching.length} cron jobs of ${serviceName} run "${wanted}" (ids ${matching.map((job) => job.id).join(', ')}): ovhflow knows a job by its command`, {
      hint: 'delete the duplicates in the OVH Control Panel (keep one), then retry',
    });
  }
  return matching[0];
}
