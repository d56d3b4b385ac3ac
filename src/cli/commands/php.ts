// `ovhflow php set`: a folder's PHP engine, version, environment, HTTP firewall and container (its .ovhconfig) as its
// own run. The flags are validated as the workflow validates them before anything starts (a bad value exits 2 with
// nothing started); a version the hosting does not offer is refused by the run before any write (exit 2 with --wait);
// a folder that already has the settings completes with nothing written.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { requestIdIssue } from '../../shared/backups.js';
import { formatIssues, parseSetPhpConfigInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';

interface PhpSetFlags {
  account?: string;
  service: string;
  path?: string;
  version?: string;
  engine?: string;
  environment?: string;
  firewall?: string;
  container?: string;
  stepDeadline?: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

export function registerPhpCommands(program: Command): void {
  const php = program.command('php').description("a folder's PHP and .ovhconfig");
  php
    .command('set')
    .description("set a folder's PHP (only what differs is sent; nothing to change writes nothing; abort rolls back)")
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
    .option('--path <folder>', "the site's folder, relative to the home (default: the home itself)")
    .option('--version <x.y>', 'PHP version, e.g. 8.3 (checked against what the hosting offers)')
    .option('--engine <php|phpcgi>', 'PHP engine')
    .option('--environment <production|development>', 'production, or development (errors shown, caches off)')
    .option('--firewall <security|none>', "OVH's HTTP application firewall (the schema's httpFirewall)")
    .option('--container <image>', 'the container image, e.g. stable64')
    .option('--step-deadline <minutes>', "how long the change may wait for OVH's task")
    .option('--request-id <id>', 'names this change: the same id twice is one run (default: a new run each time)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action(async (flags: PhpSetFlags) => {
      const given = <T>(value: T | undefined, key: string) => (value !== undefined ? { [key]: value } : {});
      const parsed = parseSetPhpConfigInput({
        serviceName: flags.service,
        ...given(flags.path, 'path'),
        ...given(flags.version, 'engineVersion'),
        ...given(flags.engine, 'engineName'),
        ...given(flags.environment, 'environment'),
        ...given(flags.firewall, 'httpFirewall'),
        ...given(flags.container, 'container'),
        ...(flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {}),
      });
      if (!parsed.ok) throw new UsageError(`invalid input, nothing was started:\n${formatIssues(parsed.issues)}`);
      const requestId = flags.requestId ?? randomUUID();
      const issue = requestIdIssue(requestId);
      if (issue) throw new UsageError(`invalid input, nothing was started:\n--request-id: ${issue}`);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('php', parsed.value, { account: flags.account, requestId });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
        return followRun(runs, ref.workflowId, flags);
      });
    });
}
