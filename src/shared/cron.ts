// Scheduled tasks (cron jobs) as runs see them: a job is identified by what it runs — its command, the path of a
// script relative to the home, with its arguments — never by OVH's id, which changes when a job is re-created. The
// frequency is a crontab line whose minutes field OVH ignores (it picks the minute itself): it is checked here, as
// OVH reads it, so a malformed one is refused before anything starts. Sandbox-safe: workflows import it.
import type { CronLanguage, CronStatus } from './inputs/ovh-enums.js';

export const CRON_STEPS = [
  { name: 'preflight', title: 'Read the cron jobs and what the hosting offers' },
  { name: 'apply', title: "Add, change or delete the job and wait for OVH's task" },
] as const;

export const CRON_ACTIONS = ['add', 'update', 'delete'] as const;
export type CronAction = (typeof CRON_ACTIONS)[number];

/** A job's settings as OVH keeps them (`hosting.web.Cron` without its id and state). */
export interface CronJobSettings {
  command: string;
  frequency: string;
  language: string;
  description: string | null;
  email: string | null;
  status: string;
}

/** A job as it is on OVH. */
export interface CronJobState extends CronJobSettings {
  id: number;
  state: string;
}

/** What a run asks of one job: the settings given (the others are left as they are, or OVH's defaults). */
export interface CronJobRequest {
  action: CronAction;
  command: string;
  frequency?: string;
  language?: CronLanguage;
  description?: string;
  email?: string;
  status?: CronStatus;
}

export interface CronSettingChange {
  field: keyof CronJobSettings;
  found: string | null;
  asked: string | null;
}

/** What a run will do to one job, decided from what OVH has (preflight). */
export type CronPlan =
  | { command: string; write: 'none'; reason: string; job: CronJobState | null }
  | { command: string; write: 'create'; after: CronJobSettings }
  | { command: string; write: 'update'; before: CronJobState; after: CronJobSettings; changes: CronSettingChange[] }
  | { command: string; write: 'delete'; before: CronJobState };

/** Preflight's answer: the plan, a refusal (nothing written), or the job busy with an OVH task (wait, then ask again). */
export type CronPreflight = { refusal: string } | { plan: CronPlan } | { busy: CronJobState };

export interface CronJobOutcome {
  command: string;
  /** created, updated, deleted, or unchanged (nothing written). */
  outcome: 'created' | 'updated' | 'deleted' | 'unchanged';
  note: string;
  changes?: CronSettingChange[];
  job: CronJobSettings | null;
}

export interface CronRunResult {
  serviceName: string;
  action: CronAction;
  command: string;
  changed: boolean;
  outcome: CronJobOutcome['outcome'];
  note: string;
  changes: CronSettingChange[];
  before: CronJobSettings | null;
  after: CronJobSettings | null;
  /** Always said: OVH runs the job at a minute of its choosing, whatever the minutes field. */
  minutesNote?: string;
}

const FIELDS = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** One space between the five fields: the form OVH stores and ovhflow compares. */
export function normalizeFrequency(frequency: string): string {
  return frequency.trim().split(/\s+/).join(' ');
}

/**
 * Why OVH would refuse this frequency, or undefined: five crontab fields (minutes hours day-of-month month
 * day-of-week) of numbers, `*`, ranges `a-b`, lists `a,b` and steps `/n`; names (`mon`, `jan`) and `@daily` are not
 * part of OVH's format.
 */
export function frequencyIssue(frequency: string): string | undefined {
  const fields = normalizeFrequency(frequency).split(' ').filter((field) => field !== '');
  if (fields.length !== FIELDS.length) {
    return `a frequency is 5 crontab fields "minutes hours day-of-month month day-of-week" (e.g. "0 3 * * *"), not ${fields.length}`;
  }
  for (const [index, field] of fields.entries()) {
    const { name, min, max } = FIELDS[index]!;
    for (const item of field.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      const numbers = match ? [match[2], match[3]].filter((n): n is string => n !== undefined).map(Number) : [];
      if (!match || numbers.some((n) => n < min || n > max) || (numbers.length === 2 && numbers[0]! > numbers[1]!) || match[4] === '0') {
        return `"${item}" is not a valid ${name} field: use numbers ${min}-${max}, *, ranges a-b, lists a,b and steps /n`;
      }
    }
  }
  return undefined;
}

/** What OVH does with the minutes field: said on the CLI and noted in the run, every time. */
export function minutesNote(frequency: string): string {
  const minutes = normalizeFrequency(frequency).split(' ')[0] ?? '*';
  const hourly = minutes === '*' || minutes.includes('/') || minutes.includes(',') || minutes.includes('-');
  return `OVH ignores the minutes field ("${minutes}") and picks the minute itself${hourly ? ': the job runs at most once an hour, not every minute' : ''}`;
}

/** The command as OVH compares it: relative to the home, without a leading `./`, single spaces. */
export function normalizeCronCommand(command: string): string {
  return command.trim().replace(/^\.\//, '').replace(/\s+/g, ' ');
}

/** The script a command runs (its first word), relative to the home. */
export function cronScript(command: string): string {
  return normalizeCronCommand(command).split(' ')[0] ?? '';
}

/**
 * Whether a job's script belongs to a site's folder. A site at the home itself (`''` or `.`) owns only the scripts
 * directly in the home: the other folders may be other sites', and a job removed by mistake is a job lost.
 */
export function cronUnderPath(command: string, path: string): boolean {
  const folder = path.replace(/^\.\/?/, '').replace(/^\/+|\/+$/g, '');
  const script = cronScript(command);
  return folder === '' ? !script.includes('/') : script.startsWith(`${folder}/`);
}

/** The settings asked for that the job does not have (only what was given counts). */
export function cronSettingChanges(current: CronJobSettings, asked: Omit<CronJobRequest, 'action' | 'command'>): CronSettingChange[] {
  const wanted: Partial<CronJobSettings> = {
    ...(asked.frequency !== undefined ? { frequency: normalizeFrequency(asked.frequency) } : {}),
    ...(asked.language !== undefined ? { language: asked.language } : {}),
    ...(asked.description !== undefined ? { description: asked.description } : {}),
    ...(asked.email !== undefined ? { email: asked.email } : {}),
    ...(asked.status !== undefined ? { status: asked.status } : {}),
  };
  return (['frequency', 'language', 'description', 'email', 'status'] as const).flatMap((field) => {
    const value = wanted[field];
    if (value === undefined) return [];
    const found = field === 'frequency' ? normalizeFrequency(current.frequency) : current[field];
    return value === found || (value === '' && found === null) ? [] : [{ field, found, asked: value }];
  });
}

/** Every setting in which `current` differs from `wanted` (both whole jobs). */
export function cronJobDifferences(current: CronJobSettings, wanted: CronJobSettings): CronSettingChange[] {
  return (['command', 'frequency', 'language', 'description', 'email', 'status'] as const).flatMap((field) => {
    const [found, asked] = field === 'frequency' ? [normalizeFrequency(current.frequency), normalizeFrequency(wanted.frequency)] : [current[field], wanted[field]];
    return found === asked ? [] : [{ field, found, asked }];
  });
}

/**
 * How many jobs each offer (`hosting.web.OfferEnum`) may hold, as OVHcloud's plans publish them; 0: no crontab. No
 * API call gives the number, so a run checks it against this table before writing; an offer missing here is left to
 * OVH, whose refusal then reaches an operator with its message.
 */
export const CRON_JOBS_PER_OFFER: Readonly<Record<string, number>> = {
  START: 0,
  PERSO: 10,
  PRO: 50,
  PERFORMANCE_1: 100,
  PERFORMANCE_2: 100,
  PERFORMANCE_3: 100,
  PERFORMANCE_4: 100,
};

/** Each request is its own run: the same job asked twice finds nothing to do the second time. */
export function cronWorkflowId(serviceName: string, action: CronAction, requestId: string): string {
  return `cron/${serviceName}/${action}/${requestId}`;
}

export function describeCronJob(job: Pick<CronJobSettings, 'frequency' | 'language' | 'status'>): string {
  return `"${job.frequency}", ${job.language}, ${job.status}`;
}
