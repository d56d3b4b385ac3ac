// `ovhflow schedule ...`: ovhflow's Temporal Schedules — nightly dumps and fleet drift checks: create or update
// (idempotent), list, pause, unpause, trigger now, delete.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseFleetFile } from '../../fleet/file.js';
import { driftViewOf, isDriftSchedule, listDriftSchedules, upsertDriftSchedule, type DriftScheduleView } from '../../schedules/drift.js';
import { DEFAULT_DRIFT_CRON, DEFAULT_DRIFT_SCHEDULE_ID } from '../../shared/fleet-drift.js';
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
import { EXIT, invalidInput, UsageError } from '../exit-codes.js';
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

function renderSchedule(view: NightlyScheduleView | DriftScheduleView): string {
  if ('kind' in view) return renderDriftSchedule(view);
  const lines = [`${view.scheduleId}  ${view.paused ? 'PAUSED' : 'active'}  ${view.cron ?? '?'} (${view.timezone ?? 'UTC'})`];
  lines.push(`  services: ${view.services && view.services.length > 0 ? view.services.join(', ') : 'all of the account'}${view.account ? ` (account ${view.account})` : ''}; concurrency ${view.concurrency ?? '?'}`);
  if (view.note) lines.push(`  note: ${view.note}`);
  if (view.unreadable) lines.push(`  ${view.unreadable}`);
  if (view.nextRuns.length > 0) lines.push(`  next: ${view.nextRuns.join(', ')}`);
  for (const run of view.recentRuns.slice(-3)) lines.push(`  ran: ${run.scheduledAt}  ${run.workflowId}`);
  return lines.join('\n');
}

function renderDriftSchedule(view: DriftScheduleView): string {
  const lines = [`${view.scheduleId}  ${view.paused ? 'PAUSED' : 'active'}  ${view.cron ?? '?'} (${view.timezone ?? 'UTC'})`];
  lines.push(`  fleet drift check of ${view.source ?? 'a fleet file'}: ${view.sites ?? '?'} site(s) in account(s) ${view.accounts?.join(', ') ?? '?'}`);
  if (view.unreadable) lines.push(`  ${view.unreadable}`);
  if (view.nextRuns.length > 0) lines.push(`  next: ${view.nextRuns.join(', ')}`);
  for (const run of view.recentRuns.slice(-3)) lines.push(`  ran: ${run.scheduledAt}  ${run.workflowId}`);
  return lines.join('\n');
}

interface DriftFlags {
  id?: string;
  cron: string;
  timezone: string;
  json?: boolean;
}

async function scheduleDrift(path: string, flags: DriftFlags): Promise<void> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`fleet file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseFleetFile(text, path);
  if (!parsed.ok) throw invalidInput(parsed.issues, 'fleet file', 'nothing was changed');
  const problems: string[] = [];
  const cronProblem = cronIssue(flags.cron);
  if (cronProblem) problems.push(`--cron: ${cronProblem}`);
  if (!isKnownTimeZone(flags.timezone)) problems.push(`--timezone: "${flags.timezone.slice(0, 64)}" is not a known IANA time zone (e.g. Europe/Paris, UTC)`);
  if (problems.length > 0) throw new UsageError(`invalid input, nothing was changed:\n${problems.join('\n')}`);
  const scheduleId = checkScheduleId(flags.id ?? DEFAULT_DRIFT_SCHEDULE_ID);
  await withRuns(async (runs) => {
    // Every account of the file must be one the workers have: found now, not at six in the morning.
    for (const account of Object.keys(parsed.value.accounts)) resolveAccount(runs.accounts, account);
    const { created } = await onSchedule(() =>
      upsertDriftSchedule(runs.client, { scheduleId, cron: flags.cron.trim(), timezone: flags.timezone, file: parsed.value, source: path, taskQueue: runs.taskQueue }),
    );
    const view = driftViewOf(await onSchedule(() => runs.client.schedule.getHandle(scheduleId).describe()));
    if (flags.json) printJson({ ...view, created });
    else process.stdout.write(`${created ? 'created' : 'updated'}: ${renderDriftSchedule(view)}\n  report: \`ovhflow drift report ${scheduleId}\`; now: \`ovhflow schedule trigger ${scheduleId}\`\n`);
  });
  process.exitCode = EXIT.ok;
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description("ovhflow's Temporal Schedules: nightly dumps, fleet drift checks");

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
    .command('drift <file>')
    .description('create or update the schedule that plans FILE and keeps what differs: the drift report (idempotent; nothing is written)')
    .option('--id <scheduleId>', `schedule id (default: ${DEFAULT_DRIFT_SCHEDULE_ID})`)
    .option('--cron <expression>', 'when, as a cron expression', DEFAULT_DRIFT_CRON)
    .option('--timezone <zone>', 'IANA time zone of the cron expression, e.g. Europe/Paris', 'UTC')
    .option('--json', 'machine-readable output')
    .action((file: string, flags: DriftFlags) => scheduleDrift(file, flags));

  schedule
    .command('list')
    .description("ovhflow's schedules")
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      await withRuns(async (runs) => {
        const views = [...(await listNightlySchedules(runs.client)), ...(await listDriftSchedules(runs.client))].sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
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
        const description = await onSchedule(() => runs.client.schedule.getHandle(scheduleId).describe());
        const view = isDriftSchedule(description) ? driftViewOf(description) : await onSchedule(() => describeNightlySchedule(runs.client, scheduleId));
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
