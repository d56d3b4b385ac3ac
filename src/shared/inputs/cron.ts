// A cron run's input: one job of a hosting, named by its command (the script's path relative to the home, with its
// arguments), and what to do with it. `add` needs a frequency; `update` at least one setting; `delete` only the
// command. The frequency is checked as OVH reads it (five crontab fields; OVH ignores the minutes) and the language
// against the 2026 schema's `hosting.web.LanguagesEnum`; whether the hosting offers it is checked by the run against
// `cronAvailableLanguage`, before any write.
import { z } from 'zod';
import { CRON_ACTIONS, frequencyIssue, normalizeCronCommand, normalizeFrequency, type CronAction } from '../cron.js';
import { serviceNameSchema, wholeNumberSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { CRON_LANGUAGES, CRON_STATUSES, type CronLanguage, type CronStatus } from './ovh-enums.js';
import { STEP_DEADLINE_RULES } from './provision-site-rules.js';
import { objectError, parseWith } from './zod-parse.js';

export interface CronJobInput {
  serviceName: string;
  action: CronAction;
  /** Normalized: relative to the home, no leading `./`, single spaces. */
  command: string;
  frequency?: string;
  language?: CronLanguage;
  description?: string;
  email?: string;
  status?: CronStatus;
  stepDeadlineMinutes?: number;
}

export const CRON_SETTINGS = ['frequency', 'language', 'description', 'email', 'status'] as const;

const commandSchema = z
  .string({ error: 'must be the path of a script relative to the home, e.g. "www/cron/cleanup.php"' })
  .transform((raw, ctx) => {
    const command = normalizeCronCommand(raw);
    const script = command.split(' ')[0] ?? '';
    if (command === '' || command.length > 1024) ctx.addIssue({ code: 'custom', message: 'must be the path of a script relative to the home, e.g. "www/cron/cleanup.php"' });
    else if (script.startsWith('/') || script.split('/').includes('..')) ctx.addIssue({ code: 'custom', message: `"${script}" must be relative to the home, without "..": e.g. "www/cron/cleanup.php"` });
    else if (/[\n\r;&|`$<>]/.test(command)) ctx.addIssue({ code: 'custom', message: 'must be a script and its arguments, without shell operators (; & | ` $ < >)' });
    return command;
  });

const frequencySchema = z.string({ error: 'must be a crontab frequency such as "0 3 * * *"' }).transform((raw, ctx) => {
  const issue = frequencyIssue(raw);
  if (issue) ctx.addIssue({ code: 'custom', message: issue });
  return normalizeFrequency(raw);
});

export const cronJobInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      action: z.enum(CRON_ACTIONS),
      command: commandSchema,
      frequency: frequencySchema.optional(),
      language: z.enum(CRON_LANGUAGES).optional(),
      description: z.string().max(255).optional(),
      email: z.email('must be an email address').optional(),
      status: z.enum(CRON_STATUSES).optional(),
      // Not provision-site.ts's schema: that module imports this one (provisioning takes cron jobs).
      stepDeadlineMinutes: wholeNumberSchema(STEP_DEADLINE_RULES).optional(),
    },
    { error: objectError('an object with "serviceName", "action" (add, update or delete), "command" and, to add, "frequency"') },
  )
  .superRefine((input, ctx) => {
    if (input.action === 'add' && input.frequency === undefined) ctx.addIssue({ code: 'custom', path: ['frequency'], message: 'a job to add needs a frequency, e.g. "0 3 * * *"' });
    if (input.action === 'update' && CRON_SETTINGS.every((key) => input[key] === undefined)) {
      ctx.addIssue({ code: 'custom', message: `give at least one setting to change: ${CRON_SETTINGS.join(', ')}` });
    }
    if (input.action === 'delete') {
      for (const key of CRON_SETTINGS) if (input[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'a job is deleted by its command alone' });
    }
  })
  .transform((input): CronJobInput => withoutUndefined({ ...input }));

/** A cron job a provisioning adds for its site: what `cron add` takes, without the service. */
export interface SiteCronJob {
  command: string;
  frequency: string;
  language?: CronLanguage;
  description?: string;
  email?: string;
  status?: CronStatus;
}

/** One job as `cron add` takes it, without the service (a provisioning's job, a fleet file's). */
export const cronJobSpecSchema = z.strictObject(
  {
    command: commandSchema,
    frequency: frequencySchema,
    language: z.enum(CRON_LANGUAGES).optional(),
    description: z.string().max(255).optional(),
    email: z.email('must be an email address').optional(),
    status: z.enum(CRON_STATUSES).optional(),
  },
  { error: objectError('an object with "command" (a script relative to the home) and "frequency", e.g. "0 3 * * *"') },
);

export const siteCronJobsSchema = z
  .array(cronJobSpecSchema)
  .max(20)
  .superRefine((jobs, ctx) => {
    const seen = new Set<string>();
    jobs.forEach((job, index) => {
      if (seen.has(job.command)) ctx.addIssue({ code: 'custom', path: [index, 'command'], message: `"${job.command}" is given twice: a job is known by its command` });
      seen.add(job.command);
    });
  })
  .transform((jobs): SiteCronJob[] => jobs.map((job) => withoutUndefined({ ...job })));

/** `"0 3 * * * www/site/cron.php --full"` (a crontab line: five fields, then the command) as a raw job. */
export function cronLineOf(line: string): { frequency: string; command: string } {
  const words = line.trim().split(/\s+/);
  return { frequency: words.slice(0, 5).join(' '), command: words.slice(5).join(' ') };
}

export type CronJobRequestBody = z.input<typeof cronJobInputSchema>;

export function parseCronJobInput(raw: unknown): ParseResult<CronJobInput> {
  return parseWith(cronJobInputSchema, raw);
}
