// `ovhflow decommission`: remove one site (its module, its database after a safety dump, its domain, its share of
// the certificate). Destructive: without --yes the run shows its plan and waits for `ovhflow confirm RUN`.
import type { Command } from 'commander';
import { parseDecommissionSiteInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, invalidInput } from '../exit-codes.js';
import { requestIdOf, startedOrFollowed } from './backup.js';
import { asTyped } from '../invocation.js';

interface DecommissionFlags {
  account?: string;
  service: string;
  domain: string;
  path?: string;
  yes?: boolean;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

export function registerDecommissionCommand(program: Command): void {
  program
    .command('decommission')
    .description('remove one site: safety dump, module, database, domain, certificate coverage (needs --yes or `ovhflow confirm`)')
    .requiredOption('--service <serviceName>', 'the hosting service')
    .requiredOption('--domain <fqdn>', 'the site to remove')
    .option('--path <folder>', "the module's folder (default: the attached domain's folder)")
    .option('--yes', 'confirm the removal now (otherwise the run shows its plan and waits for `ovhflow confirm RUN`)')
    .option('--request-id <id>', 'names this decommission: the same id twice is one run (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action(async (flags: DecommissionFlags) => {
      const parsed = parseDecommissionSiteInput({
        serviceName: flags.service,
        domain: flags.domain,
        ...(flags.path !== undefined ? { path: flags.path } : {}),
        confirmed: flags.yes ?? false,
      });
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('decommission', parsed.value, { account: flags.account, requestId: requestId });
        const reminder = parsed.value.confirmed
          ? undefined
          : () => process.stdout.write(asTyped(`nothing is removed until you confirm: ovhflow confirm ${ref.workflowId}   (or: ovhflow abort ${ref.workflowId})\n`));
        return startedOrFollowed(runs, ref, flags, reminder);
      });
    });
}
