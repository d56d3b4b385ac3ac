// `ovhflow backup` and `ovhflow restore`: inputs are validated exactly as the workflows validate
// them, before anything starts (a bad input exits 2 with nothing started).
import type { Command } from 'commander';
import { minuteRequestId, requestIdIssue } from '../../shared/backups.js';
import { parseBackupDatabaseInput, parseRestoreDatabaseInput } from '../../shared/inputs/index.js';
import type { RunRef, RunService } from '../../runs/service.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError, invalidInput } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';
import { asTyped } from '../invocation.js';

interface CommonFlags {
  account?: string;
  service: string;
  database: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

interface BackupFlags extends CommonFlags {
  sendEmail?: boolean;
}

interface RestoreFlags extends CommonFlags {
  dump?: string;
  latest?: boolean;
  before?: string;
  ovhBackup?: string;
  safetyDump: boolean;
  yes?: boolean;
}

/** The run's request id: `--request-id`, or the current minute (a double click dedupes, a later request runs again). */
export function requestIdOf(flags: { requestId?: string }): string {
  const requestId = flags.requestId ?? minuteRequestId(new Date());
  const issue = requestIdIssue(requestId);
  if (issue) throw new UsageError(`invalid input, nothing was started:\n--request-id: ${issue}`);
  return requestId;
}

/** The restore flags as the raw input the HTTP API would receive; the dump selector comes from exactly one flag. */
export function restoreInputFromFlags(flags: RestoreFlags): unknown {
  const selectors = [
    flags.dump !== undefined ? { id: /^\d+$/.test(flags.dump.trim()) ? Number(flags.dump.trim()) : flags.dump } : undefined,
    flags.latest ? { latest: true } : undefined,
    flags.before !== undefined ? { latestBefore: flags.before } : undefined,
    flags.ovhBackup !== undefined ? { ovhBackup: flags.ovhBackup } : undefined,
  ].filter((selector) => selector !== undefined);
  if (selectors.length !== 1) {
    throw new UsageError(
      `say which dump to restore with exactly one of --dump ID, --latest, --before ISO-TIME, --ovh-backup daily.1|weekly.1${selectors.length > 1 ? ` (${selectors.length} given)` : ''}`,
    );
  }
  return {
    serviceName: flags.service,
    databaseName: flags.database,
    dump: selectors[0],
    safetyDump: flags.safetyDump,
    confirmed: flags.yes ?? false,
  };
}

/** Without --wait: says the run started (or exists); with it: follows the run to its outcome. */
export async function startedOrFollowed(runs: RunService, ref: RunRef, flags: { wait?: boolean; json?: boolean; showSecrets?: boolean }, afterStart?: () => void): Promise<number> {
  if (!flags.wait) {
    await reportStarted(runs, ref, flags, afterStart);
    return EXIT.ok;
  }
  if (!flags.json) {
    process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
    afterStart?.();
  }
  return followRun(runs, ref.workflowId, flags);
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('dump a database now, wait for OVH, and verify the dump')
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
    .requiredOption('--database <name>', 'the database to dump')
    .option('--send-email', 'let OVH e-mail the account when the dump is ready')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--request-id <id>', 'names this backup: the same id twice is one backup (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .action(async (flags: BackupFlags) => {
      const parsed = parseBackupDatabaseInput({ serviceName: flags.service, databaseName: flags.database, sendEmail: flags.sendEmail ?? false });
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => startedOrFollowed(runs, await runs.start('backup', parsed.value, { account: flags.account, requestId: requestId }), flags));
    });

  program
    .command('restore')
    .description('restore a database from a dump or from an OVH backup (destructive: needs --yes or `ovhflow confirm`)')
    .requiredOption('--service <serviceName>', 'the hosting service')
    .requiredOption('--database <name>', 'the database to overwrite')
    .option('--dump <id>', 'restore this dump')
    .option('--latest', 'restore the newest finished dump')
    .option('--before <iso-time>', 'restore the newest dump created before this time, e.g. 2025-03-01T02:00:00Z')
    .option('--ovh-backup <date>', "restore OVH's own backup: daily.1 or weekly.1")
    .option('--no-safety-dump', 'do not dump the database as it is before overwriting it')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--yes', 'confirm the overwrite now (otherwise the run waits for `ovhflow confirm RUN`)')
    .option('--request-id <id>', 'names this restore: the same id twice is one restore (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .action(async (flags: RestoreFlags) => {
      const parsed = parseRestoreDatabaseInput(restoreInputFromFlags(flags));
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('restore', parsed.value, { account: flags.account, requestId: requestId });
        const reminder = parsed.value.confirmed
          ? undefined
          : () =>
              process.stdout.write(
                asTyped(`nothing is overwritten until you confirm: ovhflow confirm ${ref.workflowId}   (or: ovhflow abort ${ref.workflowId})\n`),
              );
        return startedOrFollowed(runs, ref, flags, reminder);
      });
    });
}
