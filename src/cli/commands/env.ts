// `ovhflow env set|unset`: a hosting's environment variables as a run. Values come from the command line
// (`NAME=VALUE`), a file (`--from-file NAME=PATH`) or this process's environment (`--from-env NAME=ENVNAME`) — the
// last two keep a password out of the shell's history and the process list. A type is given per variable
// (`NAME:password=…`, `NAME:integer=…`) or for all of them (`--type`). Everything is validated before anything starts
// (exit 2, nothing started); a value is never quoted back, since it may be a password.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { requestIdIssue } from '../../shared/backups.js';
import { formatIssues, parseSetEnvVarsInput, rawSettingOf, type InputIssue } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { collect, readValueEnv, readValueFile, refused, settingsFrom } from '../env-values.js';
import { ACCOUNT_OPTION_HELP, EXIT } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';

interface EnvFlags {
  account?: string;
  service: string;
  type?: string;
  fromFile: string[];
  fromEnv: string[];
  unset: string[];
  stepDeadline?: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

/** `set[1].value` names a variable for whoever typed it: `set[1] (API_KEY).value`. */
function namedIssues(issues: readonly InputIssue[], raw: { set?: Array<{ name: string }> }): InputIssue[] {
  return issues.map((issue) => {
    const match = /^set\[(\d+)\]/.exec(issue.field);
    const name = match ? raw.set?.[Number(match[1])]?.name : undefined;
    return name && /^[A-Za-z0-9_]{1,64}$/.test(name) ? { ...issue, field: issue.field.replace(/^set\[\d+\]/, name) } : issue;
  });
}

async function startEnvRun(flags: EnvFlags, raw: { serviceName: string; set?: unknown[]; unset?: string[]; stepDeadlineMinutes?: number }): Promise<void> {
  const parsed = parseSetEnvVarsInput(raw);
  if (!parsed.ok) throw refused(formatIssues(namedIssues(parsed.issues, raw as { set?: Array<{ name: string }> })));
  const requestId = flags.requestId ?? randomUUID();
  const issue = requestIdIssue(requestId);
  if (issue) throw refused(`--request-id: ${issue}`);
  process.exitCode = await withRuns(async (runs) => {
    const ref = await runs.start('env', parsed.value, { account: flags.account, requestId });
    if (!flags.wait) {
      await reportStarted(runs, ref, flags);
      return EXIT.ok;
    }
    if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
    return followRun(runs, ref.workflowId, flags);
  });
}

function commonOptions(command: Command): Command {
  return command
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
    .option('--step-deadline <minutes>', "how long the writes may wait for OVH's tasks")
    .option('--request-id <id>', 'names this change: the same id twice is one run (default: a new run each time)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output');
}

const deadline = (flags: EnvFlags) => (flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {});

export function registerEnvCommands(program: Command): void {
  const env = program.command('env').description("a hosting's environment variables");
  commonOptions(
    env
      .command('set [assignments...]')
      .description('set variables: NAME=VALUE, or NAME:TYPE=VALUE (TYPE: string, integer or password); only what differs is written; abort puts them back')
      .option('--type <type>', 'the type of every variable given without one: string (default), integer or password')
      .option('--from-file <name=path>', "a variable's value from a file (its last line break dropped); NAME:password=PATH for a password", collect, [])
      .option('--from-env <name=envname>', "a variable's value from this environment's variable ENVNAME; NAME:password=ENVNAME for a password", collect, [])
      .option('--unset <name>', 'also remove this variable in the same run', collect, []),
  ).action(async (assignments: string[], flags: EnvFlags) => {
    // Not quoted back: a mistyped argument may be a password.
    const bare = assignments.flatMap((a, index) => (rawSettingOf(a) === undefined ? [`argument ${index + 1}`] : []));
    if (bare.length > 0) throw refused(`${bare.join(', ')}: expected NAME=VALUE (to remove a variable: ovhflow env unset --service ${flags.service} NAME)`);
    const set = [
      ...assignments.map((a) => rawSettingOf(a, flags.type)!),
      ...settingsFrom('--from-file', flags.fromFile, flags.type, readValueFile),
      ...settingsFrom('--from-env', flags.fromEnv, flags.type, readValueEnv),
    ];
    await startEnvRun(flags, { serviceName: flags.service, set, ...(flags.unset.length ? { unset: flags.unset } : {}), ...deadline(flags) });
  });
  commonOptions(env.command('unset <names...>').description('remove variables (absent ones are left alone); abort creates them again')).action(async (names: string[], flags: EnvFlags) => {
    await startEnvRun(flags, { serviceName: flags.service, unset: names, ...deadline(flags) });
  });
}
