import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { EXIT, UsageError } from './exit-codes.js';
import { asTyped, rememberInvocation } from './invocation.js';

type Register = (program: Command) => void;

interface CommandModule {
  /** The top-level commands the module registers, each with its line of `ovhflow --help` (term and summary). */
  commands: Array<[term: string, summary: string]>;
  load: () => Promise<Register>;
}

// A command's module (and with it Temporal, zod, fastify, the worker...) is imported only when that command runs:
// `ovhflow --help` lists the commands from this table and imports none of them. The lines must read as the modules'
// own help would (test/cli/startup.test.ts compares the two), in the order the commands are registered.
const COMMAND_MODULES: CommandModule[] = [
  { commands: [['dev [options]', 'start the whole system on this machine: Temporal dev server (UI on :8233), OVH simulator, worker and HTTP API']], load: async () => (await import('./commands/dev.js')).registerDevCommand },
  { commands: [['worker [options]', 'run a worker against the configured Temporal server (TEMPORAL_ADDRESS); scale out by running more']], load: async () => (await import('./commands/worker.js')).registerWorkerCommand },
  { commands: [['provision [options]', 'provision a site: attach the domain, create its database, install a module wired to it, turn on HTTPS']], load: async () => (await import('./commands/provision.js')).registerProvisionCommand },
  { commands: [['ftp-user [options]', 'create an FTP/SSH user confined to a folder of the hosting (password generated unless given); update, delete or list users']], load: async () => (await import('./commands/ftp-user.js')).registerFtpUserCommand },
  {
    commands: [
      ['runs [options]', 'list runs'],
      ['status [options] <run>', "a run's steps and state; live with --watch"],
      ['retry [options] <run>', 'run the failed step again, optionally with corrected inputs'],
      ['skip [options] <run>', 'skip the failed step and go on'],
      ['abort [options] <run>', 'stop the run and undo what it created, in reverse order'],
      ['confirm [options] <run>', 'give its go-ahead to a destructive run started without --yes (a restore, a decommission, …) that waits for it'],
    ],
    load: async () => (await import('./commands/runs.js')).registerRunCommands,
  },
  {
    commands: [
      ['backup [options]', 'dump a database now, wait for OVH, and verify the dump'],
      ['restore [options]', 'restore a database from a dump or from an OVH backup (destructive: needs --yes or `ovhflow confirm`)'],
    ],
    load: async () => (await import('./commands/backup.js')).registerBackupCommands,
  },
  { commands: [['schedule', "ovhflow's Temporal Schedules: nightly dumps, fleet drift checks"]], load: async () => (await import('./commands/schedule.js')).registerScheduleCommands },
  { commands: [['sim [options]', 'run the OVH API simulator alone (HTTPS with its own CA; see docs/simulator.md)']], load: async () => (await import('./commands/sim.js')).registerSimCommand },
  { commands: [['ls [options] <kind>', 'inventory, read through the worker: services, databases, modules, users, dumps, tasks, php, env, websites, crons, runtimes']], load: async () => (await import('./commands/ls.js')).registerLsCommand },
  {
    commands: [['credentials', "an OVH account's credentials: request a least-privilege consumer key, check the current credentials, print a service account's IAM policy"]],
    load: async () => (await import('./commands/credentials.js')).registerCredentialsCommands,
  },
  { commands: [['api [options]', 'serve the HTTP API (and the codec endpoint for the Temporal UI); needs OVHFLOW_API_TOKEN']], load: async () => (await import('./commands/api.js')).registerApiCommand },
  { commands: [['dns', "a domain's DNS: what it points at, what to change"]], load: async () => (await import('./commands/dns.js')).registerDnsCommands },
  { commands: [['renew-cert [options]', "replace the hosting's certificate with a new custom one, or regenerate Let's Encrypt"]], load: async () => (await import('./commands/renew-cert.js')).registerRenewCertCommand },
  {
    commands: [['decommission [options]', 'remove one site: safety dump, module, database, domain, certificate coverage (needs --yes or `ovhflow confirm`)']],
    load: async () => (await import('./commands/decommission.js')).registerDecommissionCommand,
  },
  { commands: [['domain', "an attached domain's settings"]], load: async () => (await import('./commands/domain.js')).registerDomainCommands },
  { commands: [['rotate', "a new password for an FTP/SSH user, a module's admin or a database user"]], load: async () => (await import('./commands/rotate.js')).registerRotateCommands },
  {
    commands: [['doctor [options]', 'can this installation work? Temporal, workers, and per OVH account: endpoint, clock, credentials, rights, API operations (exit 0 = all pass)']],
    load: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
  },
  { commands: [['php', "a folder's PHP and .ovhconfig"]], load: async () => (await import('./commands/php.js')).registerPhpCommands },
  {
    commands: [
      ['fleet', 'your fleet as code: the file of every site, its schema, its export'],
      ['plan [options] <file>', 'what applying FILE would change, read from OVH (nothing is written)'],
    ],
    load: async () => (await import('./commands/fleet.js')).registerFleetCommands,
  },
  { commands: [['env', "a hosting's environment variables"]], load: async () => (await import('./commands/env.js')).registerEnvCommands },
  {
    commands: [['deploy [options]', "deploy a folder from a GitHub repository's branch; prints the commit and the push webhook for GitHub"]],
    load: async () => (await import('./commands/deploy.js')).registerDeployCommand,
  },
  { commands: [['cron', 'scheduled tasks (cron jobs), known by the command they run']], load: async () => (await import('./commands/cron.js')).registerCronCommands },
  {
    commands: [['apply [options] <file>', 'make OVH what FILE declares: one run per change, after a confirmation']],
    load: async () => (await import('./commands/apply.js')).registerApplyCommand,
  },
  { commands: [['drift', 'what differs from the fleet file, as the drift schedule last saw it']], load: async () => (await import('./commands/drift.js')).registerDriftCommands },
];

const nameOf = (term: string) => term.split(' ')[0] as string;

/** The version in package.json: the one beside src/ when run by tsx, beside dist/ when built. */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'ovhflow' && manifest.version) return manifest.version;
  }
  return 'unknown';
}

function newProgram(): Command {
  return (
    new Command('ovhflow')
      .description('Durable OVHcloud Web Hosting automation on Temporal')
      .version(packageVersion(), '-V, --version', 'print the version')
      .exitOverride()
      .showHelpAfterError()
      // A command's options belong to it, not to its subcommands: `ftp-user --service S ...` creates, while
      // `ftp-user update --service S ...` gives --service to update.
      .enablePositionalOptions()
  );
}

/** Every command, each module loaded (what `--help` shows is checked against this). */
export async function buildProgram(): Promise<Command> {
  const program = newProgram();
  for (const module of COMMAND_MODULES) (await module.load())(program);
  return program;
}

/**
 * The program for one command line: the module of the command it names is loaded and registered; every other command
 * is only its help line (a command that is not run needs nothing but its name and summary).
 */
export async function programFor(argv: string[]): Promise<Command> {
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  const program = newProgram();
  const terms = new Map<string, string>();
  for (const module of COMMAND_MODULES) {
    if (named !== undefined && module.commands.some(([term]) => nameOf(term) === named)) {
      (await module.load())(program);
      continue;
    }
    for (const [term, summary] of module.commands) {
      terms.set(nameOf(term), term);
      program.command(nameOf(term)).description(summary);
    }
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (command) => terms.get(command.name()) ?? help.subcommandTerm(command) });
  return program;
}

/**
 * With --json, a refusal is a JSON object on stdout as well (a script reads stdout, and an empty one tells it nothing):
 * `{ "error": { "code", "message", "issues"? } }`. The message stays on stderr for the person watching.
 */
function printJsonError(code: string, message: string, issues?: readonly unknown[]): void {
  process.stdout.write(`${JSON.stringify({ error: { code, message, ...(issues ? { issues } : {}) } }, null, 2)}\n`);
}

/** Runs the CLI and returns its exit code (0 ok, 1 run failed / needs attention, 2 bad usage or input). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.slice(2).includes('--json');
  rememberInvocation(argv[1]);
  try {
    await (await programFor(argv)).parseAsync(argv);
    // Commands set process.exitCode for outcomes that are not errors (a run that needs attention exits 1).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      if (json) printJsonError('usage', error.message.replace(/^error: /, ''));
      return EXIT.usage;
    }
    // Loaded only on the way out: these modules bring Temporal and the configuration along.
    const [{ ConfigError }, { UnknownAccountError }, { DecisionNotTakenError }] = await Promise.all([import('../config.js'), import('../shared/accounts.js'), import('../runs/service.js')]);
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof UnknownAccountError) {
      process.stderr.write(asTyped(`ovhflow: ${error.message}\n`));
      if (json) {
        const code = error instanceof ConfigError ? 'invalid_configuration' : error instanceof UnknownAccountError ? 'unknown_account' : error.issues ? 'invalid_input' : 'usage';
        printJsonError(code, error.message, error instanceof UsageError ? error.issues : undefined);
      }
      return EXIT.usage;
    }
    if (error instanceof DecisionNotTakenError) {
      // The run still waits for its operator: exit as a run that needs attention does.
      process.stderr.write(asTyped(`ovhflow: ${error.message}\n`));
      if (json) printJsonError('decision_not_taken', error.message);
      return EXIT.runFailed;
    }
    process.stderr.write(`ovhflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (json) printJsonError('failed', error instanceof Error ? error.message : String(error));
    return EXIT.runFailed;
  }
}
