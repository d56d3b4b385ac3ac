// Scheduled tasks (cron jobs) as runs read and write them, each write an ensure: a job is found by its command, so a
// creation whose answer was lost is found and adopted instead of made twice, a deletion already under way is
// followed, and a change already made is not sent again. Preflight decides what to do (nothing, create, change,
// delete) or refuses, before any write: no crontab on the offer, no room left, a language the hosting does not offer,
// an `add` of a job that exists with other settings, an `update` of a job that does not exist.
import type { OvhClient } from '../ovh/client.js';
import type { CronJob, CronJobBody } from '../ovh/types.js';
import {
  CRON_JOBS_PER_OFFER,
  cronJobDifferences,
  cronSettingChanges,
  cronUnderPath,
  normalizeCronCommand,
  normalizeFrequency,
  type CronJobRequest,
  type CronJobSettings,
  type CronJobState,
  type CronPreflight,
} from '../shared/cron.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { findCronJob, listCronJobs } from './cron-lookup.js';
import { ovhCall, permanentFailure } from './failures.js';

export function cronStateOf(job: CronJob): CronJobState {
  return {
    id: job.id,
    command: normalizeCronCommand(job.command),
    frequency: normalizeFrequency(job.frequency),
    language: job.language,
    description: job.description ?? null,
    email: job.email ?? null,
    status: job.status ?? 'enabled',
    state: job.state ?? 'created',
  };
}

function bodyOf(settings: CronJobSettings): CronJobBody {
  return {
    command: settings.command,
    frequency: settings.frequency,
    language: settings.language,
    ...(settings.description !== null ? { description: settings.description } : {}),
    ...(settings.email !== null ? { email: settings.email } : {}),
    ...(settings.status === 'enabled' || settings.status === 'disabled' ? { status: settings.status } : {}),
  };
}

function settingsOf(job: CronJobState): CronJobSettings {
  const { command, frequency, language, description, email, status } = job;
  return { command, frequency, language, description, email, status };
}

/** The newest PHP the hosting offers for jobs: what `add` runs a job with when no language is given. */
function defaultLanguage(languages: string[]): string | undefined {
  const php = languages.filter((language) => /^php\d/.test(language));
  const version = (language: string) => language.slice(3).split('.').map(Number);
  return php.sort((a, b) => {
    const [x, y] = [version(a), version(b)];
    return (x[0]! - y[0]!) || ((x[1] ?? 0) - (y[1] ?? 0));
  }).at(-1);
}


export function createCronJobActivities({ ovh }: { ovh: OvhClient }) {
  return {
    /**
     * What a job request comes to on this hosting, read before any write: a plan, a refusal (nothing written), or the
     * job busy with an OVH task (the workflow waits for it, then asks again).
     */
    async planCronJob(args: { serviceName: string; job: CronJobRequest }): Promise<CronPreflight> {
      const { serviceName, job } = args;
      const command = normalizeCronCommand(job.command);
      const service = await ovhCall(() => ovh.getService(serviceName));
      if (service.state !== 'active') return { refusal: `${serviceName} is ${service.state}: OVH refuses any change to it` };
      const existing = await findCronJob(ovh, serviceName, command);
      if (existing && (existing.state ?? 'created') !== 'created') return { busy: cronStateOf(existing) };
      const current = existing ? cronStateOf(existing) : null;

      if (job.action === 'delete') {
        return { plan: current ? { command, write: 'delete', before: current } : { command, write: 'none', reason: `no cron job runs "${command}" on ${serviceName}: nothing to delete`, job: null } };
      }

      const capabilities = await ovhCall(() => ovh.getOfferCapabilities(service.offer));
      if (capabilities.crontab === false) return { refusal: `the ${service.offer} offer of ${serviceName} has no scheduled tasks (crontab)` };
      const languages = await ovhCall(() => ovh.listCronLanguages(serviceName));
      if (job.language !== undefined && !languages.includes(job.language) && job.language !== current?.language) {
        return { refusal: `${serviceName} does not run cron jobs in ${job.language}; it offers ${languages.join(', ') || 'none'}` };
      }

      if (job.action === 'update') {
        if (!current) return { refusal: `no cron job runs "${command}" on ${serviceName}: there is nothing to update (\`ovhflow cron add\` creates it)` };
        const changes = cronSettingChanges(current, job);
        if (changes.length === 0) return { plan: { command, write: 'none', reason: `the job running "${command}" already has these settings`, job: current } };
        const after: CronJobSettings = { ...settingsOf(current), ...Object.fromEntries(changes.map((change) => [change.field, change.asked])) };
        return { plan: { command, write: 'update', before: current, after, changes } };
      }

      // add
      if (current) {
        const changes = cronSettingChanges(current, job);
        if (changes.length === 0) return { plan: { command, write: 'none', reason: `a job already runs "${command}" with these settings`, job: current } };
        return {
          refusal: `a cron job already runs "${command}" with other settings (${changes.map((c) => `${c.field} ${c.found ?? 'none'}, asked ${c.asked ?? 'none'}`).join('; ')}): \`add\` never changes a job — use \`ovhflow cron update\``,
        };
      }
      const limit = CRON_JOBS_PER_OFFER[service.offer];
      if (limit !== undefined) {
        const count = (await ovhCall(() => ovh.listCrons(serviceName))).length;
        if (count >= limit) return { refusal: `${serviceName} already has ${count} cron jobs, the most its ${service.offer} offer allows (${limit}): delete one first` };
      }
      const language = job.language ?? defaultLanguage(languages);
      if (language === undefined) return { refusal: `${serviceName} offers no PHP for cron jobs: give --language (it offers ${languages.join(', ') || 'none'})` };
      const after: CronJobSettings = {
        command,
        frequency: normalizeFrequency(job.frequency ?? ''),
        language,
        description: job.description ?? null,
        email: job.email ?? null,
        status: job.status ?? 'enabled',
      };
      return { plan: { command, write: 'create', after } };
    },

    /** The job that runs this command now, or null. */
    async readCronJob(args: { serviceName: string; command: string }): Promise<CronJobState | null> {
      const job = await findCronJob(ovh, args.serviceName, args.command);
      return job ? cronStateOf(job) : null;
    },

    /** Creates the job unless it exists already (an earlier attempt whose answer was lost): answers the task, if any. */
    async createCronJob(args: { serviceName: string; job: CronJobSettings }): Promise<{ taskId?: number; adopted: boolean }> {
      const existing = await findCronJob(ovh, args.serviceName, args.job.command);
      if (existing) return { adopted: true };
      const task = await ovhCall(() => ovh.createCron(args.serviceName, bodyOf(args.job)));
      return { taskId: task.id, adopted: false };
    },

    /**
     * Sends the job's settings unless it has them already or is being changed (an earlier attempt: adopted). PUT
     * answers nothing: the job's own state says when OVH is done.
     */
    async updateCronJob(args: { serviceName: string; to: CronJobSettings }): Promise<{ adopted: boolean }> {
      const existing = await findCronJob(ovh, args.serviceName, args.to.command);
      if (!existing) throw permanentFailure(FAILURE_TYPES.notFound, `no cron job runs "${args.to.command}" on ${args.serviceName} any more`);
      const now = cronStateOf(existing);
      if (now.state === 'updating' || cronJobDifferences(now, args.to).length === 0) {
        return { adopted: true };
      }
      await ovhCall(() => ovh.updateCron(args.serviceName, existing.id, bodyOf(args.to)));
      return { adopted: false };
    },

    /** Deletes the job that runs this command; nothing to do when there is none; a deletion under way is followed. */
    async deleteCronJob(args: { serviceName: string; command: string }): Promise<{ outcome: 'absent' } | { outcome: 'removing'; taskId?: number }> {
      const existing = await findCronJob(ovh, args.serviceName, args.command);
      if (!existing) return { outcome: 'absent' };
      if (existing.state === 'deleting') return { outcome: 'removing' };
      const task = await ovhCall(() => ovh.deleteCron(args.serviceName, existing.id));
      return { outcome: 'removing', taskId: task.id };
    },

    /**
     * For decommission: starts deleting every job whose script lives under a site's folder (`''` or `.`: only the
     * scripts directly in the home, never other folders'). Answers each job and the task that removes it (none for one already being deleted); wait for each with
     * `waitForHostingTask({ resource: { kind: 'cron', command }, expect: 'absent' })`.
     */
    async removeCronJobsUnderPath(args: { serviceName: string; path: string; only?: string[] }): Promise<Array<{ command: string; job: CronJobSettings; taskId?: number }>> {
      // `only`: the commands a decommission's plan listed (a job added since is not its to remove).
      const jobs = (await listCronJobs(ovh, args.serviceName)).map(cronStateOf).filter((job) => cronUnderPath(job.command, args.path) && (!args.only || args.only.includes(job.command)));
      const removed: Array<{ command: string; job: CronJobSettings; taskId?: number }> = [];
      for (const job of jobs) {
        if (job.state === 'deleting') {
          removed.push({ command: job.command, job: settingsOf(job) });
          continue;
        }
        const task = await ovhCall(() => ovh.deleteCron(args.serviceName, job.id));
        removed.push({ command: job.command, job: settingsOf(job), taskId: task.id });
      }
      return removed;
    },
  };
}
