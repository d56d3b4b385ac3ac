// `ovhflow domain update`: change an attached domain's settings (PUT /hosting/web/{serviceName}/attachedDomain/{domain})
// as its own run. The flags are validated exactly as the workflow validates them, before anything starts (a bad value
// exits 2 with nothing started); a domain that already has the settings completes with nothing written.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { requestIdIssue } from '../../shared/backups.js';
import { parseUpdateAttachedDomainInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError, invalidInput } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';
import { attachedDomainOptionsFromFlags, withAttachedDomainOptionFlags, type AttachedDomainOptionFlags } from './domain-option-flags.js';

interface DomainUpdateFlags extends AttachedDomainOptionFlags {
  account?: string;
  service: string;
  domain: string;
  path?: string;
  ssl?: string;
  stepDeadline?: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

export function registerDomainCommands(program: Command): void {
  const domain = program.command('domain').description("an attached domain's settings");
  const update = domain
    .command('update')
    .description("change an attached domain's settings (only what differs is sent; nothing to change writes nothing)")
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-shop.ovh')
    .requiredOption('--domain <fqdn>', 'the attached domain')
    .option('--path <folder>', 'its root folder, relative to the hosting home')
    .option('--ssl <on|off>', 'include it in the hosting certificate');
  withAttachedDomainOptionFlags(update)
    .option('--step-deadline <minutes>', "how long the change may wait for OVH's task")
    .option('--request-id <id>', 'names this change: the same id twice is one run (default: a new run each time)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action(async (flags: DomainUpdateFlags) => {
      const parsed = parseUpdateAttachedDomainInput({
        serviceName: flags.service,
        domain: flags.domain,
        ...(flags.path !== undefined ? { path: flags.path } : {}),
        ...(flags.ssl !== undefined ? { ssl: flags.ssl } : {}),
        ...attachedDomainOptionsFromFlags(flags),
        ...(flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {}),
      });
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const requestId = flags.requestId ?? randomUUID();
      const issue = requestIdIssue(requestId);
      if (issue) throw new UsageError(`invalid input, nothing was started:\n--request-id: ${issue}`);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('update-domain', parsed.value, { account: flags.account, requestId: requestId });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
        return followRun(runs, ref.workflowId, flags);
      });
    });
}
