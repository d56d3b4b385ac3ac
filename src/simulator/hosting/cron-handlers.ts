// Scheduled tasks (`/cron`, `hosting.web.Cron`): a script of the hosting run at a crontab frequency whose minutes OVH
// ignores (it picks the minute itself). Only offers with a crontab have them, up to the offer's number; the language
// must be one the hosting offers (`cronAvailableLanguage`). POST and DELETE answer a task (`cron/create`,
// `cron/delete`); PUT answers a plain string, no task, and runs a `cron/update` task found through GET /tasks. While a task works on a
// job its `state` is creating/updating/deleting; `status` (enabled, disabled, suspended) is the owner's switch.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS, cronLanguages } from '../state/offers.js';
import type { CronRecord, HostingService } from '../state/records.js';
import { answerTask, requireRecord, requireService, requireWritableService, startTask, type Handler, type HandlerContext } from './handler-context.js';
import { matchesLike } from './rules.js';

const FIELDS = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** Why OVH refuses a frequency (five crontab fields of numbers, `*`, ranges, lists and steps), or undefined. */
export function frequencyIssue(frequency: string): string | undefined {
  const fields = frequency.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) return `a frequency has 5 fields (minutes hours day-of-month month day-of-week), not ${fields.length}`;
  for (const [index, field] of fields.entries()) {
    const { name, min, max } = FIELDS[index]!;
    for (const item of field.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      const numbers = match ? [match[2], match[3]].filter((n): n is string => n !== undefined).map(Number) : [];
      if (!match || numbers.some((n) => n < min || n > max) || (numbers.length === 2 && numbers[0]! > numbers[1]!) || match[4] === '0') {
        return `"${item}" is not a valid ${name} field (${min}-${max})`;
      }
    }
  }
  return undefined;
}

export function cronView(record: CronRecord): Record<string, unknown> {
  return {
    command: record.command,
    description: record.description,
    email: record.email,
    frequency: record.frequency,
    id: record.id,
    language: record.language,
    state: record.state,
    status: record.status,
  };
}

/** What OVH checks of a job, on creation and on change. */
function checkJob(service: HostingService, body: Record<string, unknown>): void {
  const command = typeof body.command === 'string' ? body.command.trim() : '';
  if (command === '' || command.startsWith('/') || command.split(/[\s/]/).includes('..')) {
    throw apiErrors.badRequest('[command] The command must be the path of a script relative to the root of the hosting');
  }
  const issue = frequencyIssue(typeof body.frequency === 'string' ? body.frequency : '');
  if (issue) throw apiErrors.badRequest(`[frequency] Invalid frequency: ${issue}`);
  const languages = cronLanguages(service.offer);
  if (!languages.includes(String(body.language))) {
    throw apiErrors.badRequest(`[language] The language ${String(body.language)} is not available on this hosting: available languages are ${languages.join(', ')}`);
  }
}

function requireIdleCron(record: CronRecord): void {
  if (record.state !== 'created') {
    throw apiErrors.conflict(`The cron ${record.id} is busy: its state is ${record.state}${record.taskId === null ? '' : ` (task ${record.taskId})`}; retry when it is created`);
  }
}

function cronOf(context: HandlerContext, service: HostingService): CronRecord {
  return requireRecord(service.crons, context.path.id as number, 'id');
}

export const cronHandlers = {
  'GET /hosting/web/{serviceName}/cron': (context) => {
    const service = requireService(context);
    const { query } = context;
    return [...service.crons.values()]
      .filter((cron) => matchesLike(cron.command, query.command) && matchesLike(cron.description, query.description) && matchesLike(cron.email, query.email))
      .filter((cron) => query.language === undefined || cron.language === query.language)
      .map((cron) => cron.id)
      .sort((a, b) => a - b);
  },

  'POST /hosting/web/{serviceName}/cron': (context) => {
    const service = requireWritableService(context);
    const limit = OFFERS[service.offer].cronJobs;
    if (limit === 0) throw apiErrors.forbidden(`The ${service.offer} offer does not allow scheduled tasks (crontab)`);
    checkJob(service, context.body);
    if (service.crons.size >= limit) throw apiErrors.forbidden(`You have reached the maximum number of scheduled tasks of the ${service.offer} offer (${limit})`);
    const { core } = context;
    const id = core.state.nextIds.cron ?? 1_100_001;
    core.state.nextIds.cron = id + 1;
    const task = startTask(context, service, { function: 'cron/create', objectType: 'Cron', objectId: String(id), subject: String(id) });
    const body = context.body;
    service.crons.set(id, {
      id,
      command: String(body.command).trim(),
      frequency: String(body.frequency).trim(),
      language: String(body.language),
      description: (body.description as string | undefined) ?? null,
      email: (body.email as string | undefined) ?? null,
      status: (body.status as CronRecord['status'] | undefined) ?? 'enabled',
      state: 'creating',
      taskId: task.id,
    });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/cron/{id}': (context) => cronView(cronOf(context, requireService(context))),

  'PUT /hosting/web/{serviceName}/cron/{id}': (context) => {
    const service = requireWritableService(context);
    const record = cronOf(context, service);
    const body = context.body;
    // The whole job is sent back (command, frequency and language are required); read-only fields are ignored.
    checkJob(service, body);
    requireIdleCron(record);
    const changes = {
      command: String(body.command).trim(),
      frequency: String(body.frequency).trim(),
      language: body.language,
      ...('description' in body ? { description: body.description ?? null } : {}),
      ...('email' in body ? { email: body.email ?? null } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
    };
    const task = startTask(context, service, { function: 'cron/update', objectType: 'Cron', objectId: String(record.id), subject: String(record.id), changes });
    record.state = 'updating';
    record.taskId = task.id;
    // The schema types the answer as a string (no task): OVH's word that the change is under way.
    return `The cron ${record.id} is being updated`;
  },

  'DELETE /hosting/web/{serviceName}/cron/{id}': (context) => {
    const service = requireWritableService(context);
    const record = cronOf(context, service);
    requireIdleCron(record);
    const task = startTask(context, service, { function: 'cron/delete', objectType: 'Cron', objectId: String(record.id), subject: String(record.id) });
    record.state = 'deleting';
    record.taskId = task.id;
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/cronAvailableLanguage': (context) => cronLanguages(requireService(context).offer),
} satisfies Partial<Record<ServedOperation, Handler>>;
