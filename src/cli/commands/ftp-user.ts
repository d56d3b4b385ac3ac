// `ovhflow ftp-user`: create an FTP/SSH user (the original form, a stable contract), and `ftp-user update|delete|list`.
// Create, update and delete are durable runs; delete is destructive and waits for `ovhflow confirm` unless --yes;
// list is read-only inventory answered by the worker (the only process with OVH credentials).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseCreateFtpUserInput, parseDeleteFtpUserInput, parseUpdateFtpUserInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError, invalidInput } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';
import { requestIdOf, startedOrFollowed } from './backup.js';
import { inventoryRequestFromFlags, printInventory } from './ls.js';
import { asTyped } from '../invocation.js';

interface FtpUserFlags {
  account?: string;
  service?: string;
  login?: string;
  home?: string;
  ssh?: string;
  passwordFile?: string;
  wait?: boolean;
  json?: boolean;
  showSecrets?: boolean;
}

interface ChangeFlags {
  account?: string;
  service: string;
  login: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

const invalid = (issues: Parameters<typeof invalidInput>[0]) => invalidInput(issues);

export function registerFtpUserCommand(program: Command): void {
  // The create form's options are checked by hand rather than declared required: commander checks a command's required
  // options for its subcommands too, and `ftp-user list` has no --home. The messages are commander's own.
  const ftpUser = program
    .command('ftp-user')
    .description('create an FTP/SSH user confined to a folder of the hosting (password generated unless given); update, delete or list users')
    .option('--service <serviceName>', 'the hosting service (required)')
    .option('--login <login>', "the login: the hosting's primary login, a hyphen, a name (e.g. demoagen-dev) (required)")
    .option('--home <folder>', 'the folder it is confined to, relative to the hosting home (required)')
    .option('--ssh <state>', 'active, none (default) or sftponly')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--password-file <file>', 'read the password from this file instead of generating one')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .option('--show-secrets', 'print the generated password in the result')
    .action(async (flags: FtpUserFlags, command: Command) => {
      for (const [flag, value] of [['--service <serviceName>', flags.service], ['--login <login>', flags.login], ['--home <folder>', flags.home]] as const) {
        if (value === undefined) command.error(`error: required option '${flag}' not specified`);
      }
      let password: string | undefined;
      if (flags.passwordFile) {
        try {
          password = readFileSync(flags.passwordFile, 'utf8').trim();
        } catch (error) {
          throw new UsageError(`--password-file: cannot read ${flags.passwordFile} (${(error as Error).message})`);
        }
      }
      const parsed = parseCreateFtpUserInput({
        serviceName: flags.service,
        login: flags.login,
        home: flags.home,
        ...(flags.ssh ? { sshState: flags.ssh } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      if (!parsed.ok) throw invalid(parsed.issues);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('ftp-user', parsed.value, { account: flags.account });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        return followRun(runs, ref.workflowId, flags);
      });
    });

  ftpUser
    .command('update')
    .description("change an FTP/SSH user's home and/or SSH access (a run that waits for OVH's task)")
    .requiredOption('--service <serviceName>', 'the hosting service')
    .requiredOption('--login <login>', 'the FTP/SSH login')
    .option('--home <folder>', 'its new folder, relative to the hosting home ("." for the whole home)')
    .option('--ssh <state>', 'its new SSH access: active, none or sftponly')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--request-id <id>', 'names this change: the same id twice is one change (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .action(async (flags: ChangeFlags & { home?: string; ssh?: string }) => {
      const parsed = parseUpdateFtpUserInput({
        serviceName: flags.service,
        login: flags.login,
        ...(flags.home !== undefined ? { home: flags.home } : {}),
        ...(flags.ssh !== undefined ? { sshState: flags.ssh } : {}),
      });
      if (!parsed.ok) throw invalid(parsed.issues);
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => startedOrFollowed(runs, await runs.start('ftp-user-update', parsed.value, { account: flags.account, requestId: requestId }), flags));
    });

  ftpUser
    .command('delete')
    .description('delete an FTP/SSH user (destructive: shows the user and waits for `ovhflow confirm RUN` unless --yes); its files stay')
    .requiredOption('--service <serviceName>', 'the hosting service')
    .requiredOption('--login <login>', 'the FTP/SSH login (never the primary one)')
    .option('--yes', 'confirm the deletion now (otherwise the run waits for `ovhflow confirm RUN`)')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--request-id <id>', 'names this deletion: the same id twice is one deletion (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .action(async (flags: ChangeFlags & { yes?: boolean }) => {
      const parsed = parseDeleteFtpUserInput({ serviceName: flags.service, login: flags.login, confirmed: flags.yes ?? false });
      if (!parsed.ok) throw invalid(parsed.issues);
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('ftp-user-delete', parsed.value, { account: flags.account, requestId: requestId });
        const reminder = parsed.value.confirmed
          ? undefined
          : () => process.stdout.write(asTyped(`nothing is deleted until you confirm: ovhflow confirm ${ref.workflowId}   (or: ovhflow abort ${ref.workflowId})\n`));
        return startedOrFollowed(runs, ref, flags, reminder);
      });
    });

  ftpUser
    .command('list')
    .description('the FTP/SSH users of a hosting service (read through the worker; same as `ovhflow ls users --service S`)')
    .requiredOption('--service <serviceName>', 'the hosting service')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--timeout <seconds>', "how long to wait for the worker's answer")
    .option('--json', 'machine-readable output: an array of users')
    .action((flags: { service: string; account?: string; timeout?: string; json?: boolean }) => printInventory(inventoryRequestFromFlags('users', { service: flags.service }), flags));
}
