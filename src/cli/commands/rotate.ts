// `ovhflow rotate ftp-user|module|database`: a new password for one account of a hosting, as a durable run. The
// password is set once per run (derived from the run's key), delivered in the run's encrypted result and masked unless
// --show-secrets. A database a CMS uses is refused unless --even-if-used-by-cms: the site breaks until its
// configuration gets the new password. `rotate module` stays, to refuse with the way to do it now: OVH removed the call.
import type { Command } from 'commander';
import { parseRotateCredentialsInput, type RotationTarget } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, UsageError, invalidInput } from '../exit-codes.js';
import { requestIdOf, startedOrFollowed } from './backup.js';

interface RotateFlags {
  account?: string;
  service: string;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
  showSecrets?: boolean;
}

function withRunFlags(command: Command): Command {
  return command
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--request-id <id>', 'names this rotation: the same id twice is one rotation (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .option('--show-secrets', 'print the new password in the result');
}

async function startRotation(flags: RotateFlags, target: Record<string, unknown>): Promise<void> {
  const parsed = parseRotateCredentialsInput({ serviceName: flags.service, target });
  if (!parsed.ok) throw invalidInput(parsed.issues);
  const requestId = requestIdOf(flags);
  process.exitCode = await withRuns(async (runs) => startedOrFollowed(runs, await runs.start('rotate', parsed.value, { account: flags.account, requestId: requestId }), flags));
}

export function registerRotateCommands(program: Command): void {
  const rotate = program.command('rotate').description('a new password for an FTP/SSH user, a module\'s admin or a database user');

  withRunFlags(
    rotate
      .command('ftp-user')
      .description('a new password for an FTP/SSH user (the primary login too), generated and delivered in the result')
      .requiredOption('--service <serviceName>', 'the hosting service')
      .requiredOption('--login <login>', 'the FTP/SSH login, e.g. demoagen or demoagen-dev'),
  ).action((flags: RotateFlags & { login: string }) => startRotation(flags, { kind: 'ftp-user', login: flags.login } satisfies RotationTarget));

  withRunFlags(
    rotate
      .command('module')
      .description("refused since 2026: OVH's API no longer changes a module's admin password (the message says how to do it in the CMS)")
      .requiredOption('--service <serviceName>', 'the hosting service')
      .option('--domain <domain>', 'the domain the module serves')
      .option('--path <folder>', 'its folder, when several modules serve the domain')
      .option('--module-id <id>', 'or the installed module\'s id (ovhflow ls modules --installed --service S)'),
  ).action((flags: RotateFlags & { domain?: string; path?: string; moduleId?: string }) => {
    if (flags.moduleId !== undefined && !/^\d+$/.test(flags.moduleId)) throw new UsageError('invalid input, nothing was started:\n--module-id: a whole number');
    return startRotation(flags, {
      kind: 'module',
      ...(flags.moduleId !== undefined ? { id: Number(flags.moduleId) } : {}),
      ...(flags.domain !== undefined ? { domain: flags.domain } : {}),
      ...(flags.path !== undefined ? { path: flags.path } : {}),
    });
  });

  withRunFlags(
    rotate
      .command('database')
      .description('a new password for a database user, generated and delivered in the result')
      .requiredOption('--service <serviceName>', 'the hosting service')
      .requiredOption('--database <name>', 'the database')
      .option('--even-if-used-by-cms', 'rotate even when a CMS installed on the hosting uses this database: its site breaks until you put the new password in its configuration'),
  ).action((flags: RotateFlags & { database: string; evenIfUsedByCms?: boolean }) =>
    startRotation(flags, { kind: 'database', name: flags.database, evenIfUsedByCms: flags.evenIfUsedByCms ?? false } satisfies RotationTarget),
  );
}
