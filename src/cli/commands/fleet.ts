// `ovhflow fleet schema|export` and `ovhflow plan FILE`: the fleet as code. Plan and export read OVH through the
// worker (the only process with OVH credentials), one `fleetRead` run per account; plan writes nothing, anywhere at
// OVH, whatever the file says.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fleetJsonSchema, parseFleetFile, renderFleetFile } from '../../fleet/file.js';
import { exportFleet, planFleet, renderPlan, savedPlanOf, unknownSites, type AskFleetRead } from '../../fleet/plan.js';
import { resolveAccount } from '../../shared/accounts.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../../shared/fleet.js';
import { askWorkerWith, reportWorkerAnswerError, WorkerAnswerError } from '../ask-worker.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, invalidInput, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';

/** A big fleet at OVH's rate limit takes minutes to read: the worker's answer is waited for longer than an `ls`. */
const DEFAULT_FLEET_TIMEOUT_SECONDS = 900;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function timeoutOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_FLEET_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600) throw new UsageError('--timeout: seconds, from 1 to 3600');
  return Number(raw);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Runs `body` with a way to ask the worker for one account's fleet read, every account resolved first. */
async function withFleetReads<T>(accounts: string[], timeoutSeconds: number, body: (ask: AskFleetRead, resolved: string[]) => Promise<T>): Promise<T> {
  return withRuns(async (runs, config) => {
    const resolved = accounts.map((account) => resolveAccount(config.accounts, account === '' ? undefined : account));
    const ask: AskFleetRead = (account, request) =>
      askWorkerWith<FleetReadResult>(runs.client, config, { workflowType: 'fleetRead', idPrefix: FLEET_READ_WORKFLOW_PREFIX, args: [request], timeoutSeconds, account });
    return body(ask, resolved);
  });
}

interface PlanFlags {
  site?: string[];
  json?: boolean;
  out?: string;
  timeout?: string;
}

async function planCommand(path: string, flags: PlanFlags): Promise<void> {
  const parsed = parseFleetFile(readText(path, 'fleet file'), path);
  if (!parsed.ok) throw invalidInput(parsed.issues, 'fleet file', 'nothing was read');
  const file = parsed.value;
  const missing = unknownSites(file, flags.site ?? []);
  if (missing.length > 0) throw new UsageError(`--site ${missing.join(', ')}: no site of ${path} has this domain`);
  const timeoutSeconds = timeoutOf(flags.timeout);
  const plan = await withFleetReads(Object.keys(file.accounts), timeoutSeconds, (ask) => planFleet(file, { sites: flags.site ?? [] }, ask));
  if (flags.out !== undefined) writeFileSync(flags.out, `${JSON.stringify(savedPlanOf(file, plan, flags.site, new Date()), null, 2)}\n`);
  if (flags.json) printJson(plan);
  else process.stdout.write(renderPlan(plan));
  // A plan with changes is still a plan: only an incomplete read is a failure.
  process.exitCode = plan.failures.length > 0 ? EXIT.runFailed : EXIT.ok;
}

interface ExportFlags {
  account?: string;
  service?: string[];
  out?: string;
  timeout?: string;
  json?: boolean;
}

async function exportCommand(flags: ExportFlags): Promise<void> {
  const timeoutSeconds = timeoutOf(flags.timeout);
  let exported;
  try {
    exported = await withFleetReads([flags.account ?? ''], timeoutSeconds, (ask, [account]) => exportFleet(account as string, flags.service, ask));
  } catch (error) {
    if (!(error instanceof WorkerAnswerError)) throw error;
    reportWorkerAnswerError(error);
    process.exitCode = EXIT.runFailed;
    return;
  }
  if (exported.failures.length > 0) {
    // A partial file would make the next plan report what was not read as missing: none is written.
    for (const failure of exported.failures) process.stderr.write(`ovhflow: could not read ${failure.serviceName ?? 'the account'}: ${failure.message}\n`);
    process.exitCode = EXIT.runFailed;
    return;
  }
  const text = flags.json ? `${JSON.stringify(exported.file, null, 2)}\n` : renderFleetFile(exported.file);
  if (flags.out !== undefined) {
    writeFileSync(flags.out, text);
    const services = Object.values(exported.file.accounts).flatMap(({ services }) => Object.values(services));
    const sites = services.reduce((sum, s) => sum + (s.sites?.length ?? 0), 0);
    process.stderr.write(`wrote ${flags.out}: ${services.length} hosting service(s), ${sites} site(s) (${exported.reads} OVH reads)\n`);
  } else process.stdout.write(text);
  process.exitCode = EXIT.ok;
}

export function registerFleetCommands(program: Command): void {
  const fleet = program.command('fleet').description('your fleet as code: the file of every site, its schema, its export');
  fleet
    .command('schema')
    .description("the fleet file's JSON Schema (for editor completion)")
    .action(() => printJson(fleetJsonSchema()));
  fleet
    .command('export')
    .description('write the fleet file of what exists today (read through the worker)')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--service <serviceName>', 'only this hosting service (repeatable)', collect)
    .option('--out <file>', 'write the file there instead of stdout')
    .option('--json', 'JSON instead of YAML')
    .option('--timeout <seconds>', `how long to wait for the worker (default ${DEFAULT_FLEET_TIMEOUT_SECONDS})`)
    .action((flags: ExportFlags) => exportCommand(flags));

  program
    .command('plan <file>')
    .description('what applying FILE would change, read from OVH (nothing is written)')
    .option('--site <domain>', 'only this site (repeatable)', collect)
    .option('--json', 'machine-readable: { summary, sites, services, reads, failures }')
    .option('--out <plan>', 'save the plan, with a fingerprint of what it read, for a later apply')
    .option('--timeout <seconds>', `how long to wait for the worker (default ${DEFAULT_FLEET_TIMEOUT_SECONDS})`)
    .action((file: string, flags: PlanFlags) => planCommand(file, flags));
}
