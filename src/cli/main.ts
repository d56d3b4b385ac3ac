import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { UnknownAccountError } from '../shared/accounts.js';
import { registerApiCommand } from './commands/api.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerCredentialsCommands } from './commands/credentials.js';
import { registerDevCommand } from './commands/dev.js';
import { registerDnsCommands } from './commands/dns.js';
import { registerLsCommand } from './commands/ls.js';
import { registerFtpUserCommand } from './commands/ftp-user.js';
import { registerProvisionCommand } from './commands/provision.js';
import { registerRotateCommands } from './commands/rotate.js';
import { registerRunCommands } from './commands/runs.js';
import { registerScheduleCommands } from './commands/schedule.js';
import { registerSimCommand } from './commands/sim.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerRenewCertCommand } from './commands/renew-cert.js';
import { registerDecommissionCommand } from './commands/decommission.js';
import { registerDomainCommands } from './commands/domain.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerPhpCommands } from './commands/php.js';
import { EXIT, UsageError } from './exit-codes.js';
import { DecisionNotTakenError } from '../runs/service.js';

export function buildProgram(): Command {
  const program = new Command('ovhflow')
    .description('Durable OVHcloud Web Hosting automation on Temporal')
    .exitOverride()
    .showHelpAfterError()
    // A command's options belong to it, not to its subcommands: `ftp-user --service S ...` creates, while
    // `ftp-user update --service S ...` gives --service to update.
    .enablePositionalOptions();
  registerDevCommand(program);
  registerWorkerCommand(program);
  registerProvisionCommand(program);
  registerFtpUserCommand(program);
  registerRunCommands(program);
  registerBackupCommands(program);
  registerScheduleCommands(program);
  registerSimCommand(program);
  registerLsCommand(program);
  registerCredentialsCommands(program);
  registerApiCommand(program);
  registerDnsCommands(program);
  registerRenewCertCommand(program);
  registerDecommissionCommand(program);
  registerDomainCommands(program);
  registerRotateCommands(program);
  registerDoctorCommand(program);
  registerPhpCommands(program);
  return program;
}

/** Runs the CLI and returns its exit code (0 ok, 1 run failed / needs attention, 2 bad usage or input). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // Commands set process.exitCode for outcomes that are not errors (a run that needs attention exits 1).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof UnknownAccountError) {
      process.stderr.write(`ovhflow: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof DecisionNotTakenError) {
      // The run still waits for its operator: exit as a run that needs attention does.
      process.stderr.write(`ovhflow: ${error.message}\n`);
      return EXIT.runFailed;
    }
    process.stderr.write(`ovhflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.runFailed;
  }
}
