// `ovhflow cron add|update|delete`: one scheduled task (cron job) of a hosting, known by the command it runs, as its
// own run. The flags are validated as the run validates them before anything starts (a malformed frequency or an
// unknown language exits 2 with nothing started); OVH ignoring the minutes of the frequency is said on stderr; what
// the hosting cannot take (no crontab, no room, a language it does not offer, `add` of a job that exists with other
// settings, `update` of a missing one) is refused by the run before any write (exit 2 with --wait).
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { requestIdIssue } from '../../shared/backups.js';
import { minutesNote, type CronAction } from '../../shared/cron.js';
import { formatIssues, parseCronJobInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';

interface CronFlags {
  account?: string;
  service: string;
  command: string;
  frequency?: string;
  language?: string;
  description?: string;
  email?: string;
  status?: string;
  stepDeadline?: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

const ACTIONS: Array<{ action: CronAction; description: string }> = [
  { action: 'add', description: 'add a cron job (an identical one: nothing written; one with other settings: refused, use update)' },
  { action: 'update', description: 'change the given settings of a cron job (a missing job: refused)' },
  { action: 'delete', description: 'delete a cron job (a missing job: nothing to do)' },
];

export function registerCronCommands(program: Command): void {
  const cron = program.command('cron').description('scheduled tasks (cron jobs), known by the command they run');
  for (const { action, description } of ACTIONS) {
    const command = cron
      .command(action)
      .description(description)
      .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
      .requiredOption('--command <path>', 'the script, relative to the home, and its arguments: what identifies the job');
    if (action !== 'delete') {
      command
        .option('--frequency <crontab>', 'five crontab fields, e.g. "0 3 * * *" (OVH ignores the minutes and picks the minute itself)')
        .option('--language <phpX.Y>', "what runs the script, e.g. php8.3, node14, python3 (add's default: the newest PHP the hosting offers)")
        .option('--description <text>', 'a note for you')
        .option('--email <address>', 'where OVH sends the errors (stderr) of the job')
        .option('--status <enabled|disabled>', 'enabled (default for add) or disabled');
    }
    command
      .option('--step-deadline <minutes>', "how long the change may wait for OVH's task")
      .option('--request-id <id>', 'names this request: the same id twice is one run (default: a new run each time)')
      .option('--wait', 'follow the run until it completes or needs attention')
      .option('--account <name>', ACCOUNT_OPTION_HELP)
      .option('--json', 'machine-readable output')
      .action(async (flags: CronFlags) => {
        const given = <T>(value: T | undefined, key: string) => (value !== undefined ? { [key]: value } : {});
        const parsed = parseCronJobInput({
          serviceName: flags.service,
          action,
          command: flags.command,
          ...given(flags.frequency, 'frequency'),
          ...given(flags.language, 'language'),
          ...given(flags.description, 'description'),
          ...given(flags.email, 'email'),
          ...given(flags.status, 'status'),
          ...(flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {}),
        });
        if (!parsed.ok) throw new UsageError(`invalid input, nothing was started:\n${formatIssues(parsed.issues)}`);
        const requestId = flags.requestId ?? randomUUID();
        const issue = requestIdIssue(requestId);
        if (issue) throw new UsageError(`invalid input, nothing was started:\n--request-id: ${issue}`);
        if (parsed.value.frequency !== undefined) process.stderr.write(`ovhflow: warning: ${minutesNote(parsed.value.frequency)}\n`);
        process.exitCode = await withRuns(async (runs) => {
          const ref = await runs.start('cron', parsed.value, { account: flags.account, requestId });
          if (!flags.wait) {
            await reportStarted(runs, ref, flags);
            return EXIT.ok;
          }
          if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
          return followRun(runs, ref.workflowId, flags);
        });
      });
  }
}
