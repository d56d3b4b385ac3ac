import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatIssues, parseCreateFtpUserInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';

interface FtpUserFlags {
  account?: string;
  service: string;
  login: string;
  home: string;
  ssh?: string;
  passwordFile?: string;
  wait?: boolean;
  json?: boolean;
  showSecrets?: boolean;
}

export function registerFtpUserCommand(program: Command): void {
  program
    .command('ftp-user')
    .description("create an FTP/SSH user confined to a folder of the hosting (password generated unless given)")
    .requiredOption('--service <serviceName>', 'the hosting service')
    .requiredOption('--login <login>', "the login: the hosting's primary login, a hyphen, a name (e.g. demoagen-dev)")
    .requiredOption('--home <folder>', 'the folder it is confined to, relative to the hosting home')
    .option('--ssh <state>', 'active, none (default) or sftponly')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--password-file <file>', 'read the password from this file instead of generating one')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .option('--show-secrets', 'print the generated password in the result')
    .action(async (flags: FtpUserFlags) => {
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
      if (!parsed.ok) throw new UsageError(`invalid input, nothing was started:\n${formatIssues(parsed.issues)}`);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.startFtpUser(parsed.value, { account: flags.account });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        return followRun(runs, ref.workflowId, flags);
      });
    });
}
