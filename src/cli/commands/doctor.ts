// `ovhflow doctor [--account A] [--json]`: whether this installation can work — Temporal, the workers, and per OVH
// account the endpoint, its clock, the credentials, their rights and whether the live API still offers every call
// ovhflow makes. Each check prints a verdict and, when it fails, what to do. Exit 0 when all pass, 1 otherwise.
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { doctorReport, runDoctor, temporalUnreachable } from '../../runs/doctor.js';
import { connectClient } from '../../runs/temporal-client.js';
import { devKeyringIfPresent } from '../../secrets/dev-key.js';
import { resolveAccount } from '../../shared/accounts.js';
import type { DoctorReport } from '../../shared/doctor.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';

export function renderDoctorReport(report: DoctorReport): string {
  const lines = report.checks.map((check) => `${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.verdict}${check.ok || !check.fix ? '' : `\n        what to do: ${check.fix}`}`);
  lines.push(report.ok ? 'all checks pass' : `${report.checks.filter((check) => !check.ok).length} check(s) failed`);
  return lines.join('\n');
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('can this installation work? Temporal, workers, and per OVH account: endpoint, clock, credentials, rights, API operations (exit 0 = all pass)')
    .option('--account <name>', `${ACCOUNT_OPTION_HELP}; default: every configured account`)
    .option('--json', 'machine-readable output: the report as one object')
    .action(async (flags: { account?: string; json?: boolean }) => {
      const config = loadConfig();
      const account = flags.account === undefined ? undefined : resolveAccount(config.accounts, flags.account);
      const keyring = config.keyring ?? devKeyringIfPresent();
      if (!keyring) throw new UsageError('OVHFLOW_ENCRYPTION_KEY: not set, and no dev key in .data/ (start `npm start` here, or set the key the workers use)');
      let report: DoctorReport;
      let connection: Awaited<ReturnType<typeof connectClient>> | undefined;
      try {
        connection = await connectClient(config.temporal, keyring);
      } catch (error) {
        report = doctorReport([temporalUnreachable(config.temporal.address, (error as Error).message)]);
      }
      if (connection) {
        try {
          report = await runDoctor(connection.client, { temporal: config.temporal }, config.accounts, account);
        } finally {
          await connection.close();
        }
      }
      if (flags.json) printJson(report!);
      else process.stdout.write(`${renderDoctorReport(report!)}\n`);
      process.exitCode = report!.ok ? EXIT.ok : EXIT.runFailed;
    });
}
