// `ovhflow schedule ...`: the nightly-dumps Temporal Schedule — create or update (idempotent), list, pause, unpause,
// trigger now, delete.
import type { Command } from 'commander';
import { cronIssue, DEFAULT_NIGHTLY_SCHEDULE_ID, isKnownTimeZone, SCHEDULE_ID } from '../../shared/backups.js';
import { formatIssues, parseNightlyDumpsInput } from '../../shared/inputs/index.js';
import {
  DEFAULT_NIGHTLY_CRON,
  DEFAULT_NIGHTLY_TIMEZONE,
  deleteNightlySchedule,
  describeNightlySchedule,
  listNightlySchedules,
  pauseNightlySchedule,
  ScheduleNotFoundError,
  triggerNightlySchedule,
  unpauseNightlySchedule,
  upsertNightlySchedule,
  type NightlyScheduleView,
} from '../../schedules/nightly.js';
import type { RunService } from '../../runs/service.js';
import { resolveAccount } from '../../shared/accounts.js';
import { withRuns } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';

interface NightlyFlags {
  id?: string;
  account?: string;
  cron: string;
  timezone: string;
  service?: string[];
  concurrency?: string;
  json?: boolean;
}

function checkScheduleId(id: string): string {
  if (!SCHEDULE_ID.test(id)) throw new UsageError(`schedule id "${id.slice(0, 100)}": use 1 to 100 letters, digits, ".", "_" or "-"`);
  return id;
}

function isInvalidArgument(error: unknown): boolean {
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  return code === 3;
}

async function onSchedule<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new UsageError(`no schedule with id "${error.scheduleId}"`);
    if (isInvalidArgument(error)) throw new UsageError(`Temporal refused the schedule: ${(error as Error).message}`);
    throw error;
  }
}

function renderSchedule(view: NightlyScheduleView): string {
  const lines = [`${view.scheduleId}  ${view.paused ? 'PAUSED' : 'active'}  ${view.cron ?? '?'} (${view.timezone ?? 'UTC'})`];
  lines.push(`  services: ${view.services && view.services.length > 0 ? view.services.join(', ') : 'all of the account'}${view.account ? ` (account ${view.account})` : ''}; concurrency ${view.concurrency ?? '?'}`);
  if (view.note) lines.push(`  note: ${view.note}`);
  if (view.unreadable) lines.push(`  ${view.unreadable}`);
  if (view.nextRuns.length > 0) lines.push(`  next: ${view.nextRuns.join(', ')}`);
  for (const run of view.recentRuns.slice(-3)) lines.push(`  ran: ${run.scheduledAt}  ${run.workflowId}`);
  return lines.join('\n');
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('the nightly-dumps Temporal Schedule');

  schedule
    .command('nightly-dumps')
    .description('create or update the schedule that dumps every database each night (idempotent)')
    .option('--id <scheduleId>', `schedule id (default: ${DEFAULT_NIGHTLY_SCHEDULE_ID}, or ${DEFAULT_NIGHTLY_SCHEDULE_ID}.<account> for another account than the default)`)
    .option('--account <name>', 'the OVH account whose databases are dumped (default: the default account)')
    .option('--cron <expression>', 'when, as a cron expression', DEFAULT_NIGHTLY_CRON)
    .option('--timezone <zone>', 'IANA time zone of the cron expression, e.g. Europe/Paris', DEFAULT_NIGHTLY_TIMEZONE)
    .option('--service <serviceName...>', 'only these hosting services (default: every service of the account)')
    .option('--concurrency <n>', 'databases dumped at the same time')
    .option('--json', 'machine-readable output')
    .action(async (flags: NightlyFlags) => {
      const problems: string[] = [];
      const cronProblem = cronIssue(flags.cron);
      if (cronProblem) problems.push(`--cron: ${cronProblem}`);
      if (!isKnownTimeZone(flags.timezone)) problems.push(`--timezone: "${flags.timezone.slice(0, 64)}" is not a known IANA time zone (e.g. Europe/Paris, UTC)`);
      const parsed = parseNightlyDumpsInput({
        services: flags.service ?? [],
        ...(flags.concurrency !== undefined ? { concurrency: /^\d+$/.test(flags.concurrency) ? Number(flags.concurrency) : flags.concurrency } : {}),
      });
      if (!parsed.ok) problems.push(formatIssues(parsed.issues));
      if (problems.length > 0 || !parsed.ok) throw new UsageError(`invalid input, nothing was changed:\n${problems.join('\n')}`, parsed.ok ? undefined : parsed.issues);
      await withRuns(async (runs) => {
        const account = resolveAccount(runs.accounts, flags.account);
        // One schedule per account: another account's gets its own id unless one is given.
        const scheduleId = checkScheduleId(flags.id ?? (account === runs.accounts.defaultAccount ? DEFAULT_NIGHTLY_SCHEDULE_ID : `${DEFAULT_NIGHTLY_SCHEDULE_ID}.${account}`));
        const { created } = await onSchedule(() =>
          upsertNightlySchedule(runs.client, {
            scheduleId,
            account,
            cron: flags.cron.trim(),
            timezone: flags.timezone,
            input: parsed.value,
            taskQueue: runs.taskQueue,
            settings: runs.settings,
          }),
        );
        const view = await onSchedule(() => describeNightlySchedule(runs.client, scheduleId));
        if (flags.json) printJson({ ...view, created });
        else process.stdout.write(`${created ? 'created' : 'updated'}: ${renderSchedule(view)}\n`);
      });
      process.exitCode = EXIT.ok;
    });

  schedule
    .command('list')
    .description("ovhflow's schedules")
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      await withRuns(async (runs) => {
        const views = await listNightlySchedules(runs.client);
        if (flags.json) printJson(views);
        else process.stdout.write(views.length === 0 ? 'no schedules\n' : `${views.map(renderSchedule).join('\n\n')}\n`);
      });
      process.exitCode = EXIT.ok;
    });

  const simple = (name: string, description: string, act: (runs: RunService, id: string) => Promise<void>, done: string) =>
    schedule
      .command(`${name} <scheduleId>`)
      .description(description)
      .option('--json', 'machine-readable output')
      .action(async (id: string, flags: { json?: boolean }) => {
        const scheduleId = checkScheduleId(id);
        await withRuns(async (runs) => {
          await onSchedule(() => act(runs, scheduleId));
          if (flags.json) printJson({ scheduleId, action: name, ok: true });
          else process.stdout.write(`${done}: ${scheduleId}\n`);
        });
        process.exitCode = EXIT.ok;
      });

  schedule
    .command('describe <scheduleId>')
    .description('one schedule: timing, services, next and recent runs')
    .option('--json', 'machine-readable output')
    .action(async (id: string, flags: { json?: boolean }) => {
      const scheduleId = checkScheduleId(id);
      await withRuns(async (runs) => {
        const view = await onSchedule(() => describeNightlySchedule(runs.client, scheduleId));
        if (flags.json) printJson(view);
        else process.stdout.write(`${renderSchedule(view)}\n`);
      });
      process.exitCode = EXIT.ok;
    });
  simple('pause', 'stop starting nights until unpaused', (runs, id) => pauseNightlySchedule(runs.client, id), 'paused');
  simple('unpause', 'start nights again', (runs, id) => unpauseNightlySchedule(runs.client, id), 'unpaused');
  simple('trigger', 'run a night now (not while one is running)', (runs, id) => triggerNightlySchedule(runs.client, id), 'triggered');
  simple('delete', 'delete the schedule (runs already started go on)', (runs, id) => deleteNightlySchedule(runs.client, id), 'deleted');
}
