// `ovhflow ls services|databases|modules|users|dumps|tasks|php|env|websites|crons|runtimes`: read-only inventory, answered by the worker (the only
// process with OVH credentials) through the `inventory` workflow.
import Table from 'cli-table3';
import type { Command } from 'commander';
import {
  INVENTORY_COLUMNS,
  INVENTORY_KINDS,
  INVENTORY_WORKFLOW_PREFIX,
  inventoryRequestIssue,
  type InventoryKind,
  type InventoryRequest,
  type InventoryResult,
  type InventoryRow,
} from '../../shared/inventory.js';
import { loadConfig } from '../../config.js';
import { askWorker, DEFAULT_ASK_TIMEOUT_SECONDS, reportWorkerAnswerError, WorkerAnswerError } from '../ask-worker.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';

interface LsFlags {
  account?: string;
  allAccounts?: boolean;
  service?: string;
  database?: string;
  installed?: boolean;
  status?: string;
  function?: string;
  limit?: string;
  timeout?: string;
  json?: boolean;
}

export function inventoryRequestFromFlags(kind: string, flags: LsFlags): InventoryRequest {
  if (!(INVENTORY_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown inventory "${kind}": one of ${INVENTORY_KINDS.join(', ')}`);
  if (flags.limit !== undefined && !/^\d+$/.test(flags.limit)) throw new UsageError('--limit: a whole number');
  const filters = {
    ...(flags.installed ? { installed: true } : {}),
    ...(flags.status !== undefined ? { status: flags.status } : {}),
    ...(flags.function !== undefined ? { function: flags.function } : {}),
    ...(flags.limit !== undefined ? { limit: Number(flags.limit) } : {}),
  };
  const request: InventoryRequest = {
    kind: kind as InventoryKind,
    ...(flags.service !== undefined ? { serviceName: flags.service } : {}),
    ...(flags.database !== undefined ? { database: flags.database } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
  };
  const issue = inventoryRequestIssue(request);
  if (issue) throw new UsageError(issue);
  return request;
}

export function timeoutFromFlag(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_ASK_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) throw new UsageError('--timeout: seconds, from 1 to 3600');
  return Number(timeout);
}

function cell(value: InventoryRow[string] | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export function renderInventoryTable(request: InventoryRequest, result: InventoryResult): string {
  const columns = INVENTORY_COLUMNS[request.kind === 'modules' && request.filters?.installed ? 'installedModules' : request.kind];
  if (result.rows.length === 0) return `no ${request.kind}${request.serviceName ? ` on ${request.serviceName}` : ''}`;
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const row of result.rows) table.push(columns.map((column) => cell(row[column])));
  const more = result.omitted ? `\n(${result.omitted} older ${request.kind} not shown: raise --limit)` : '';
  return `${table.toString()}${more}`;
}

export function registerLsCommand(program: Command): void {
  program
    .command('ls <kind>')
    .description(`inventory, read through the worker: ${INVENTORY_KINDS.join(', ')}`)
    .option('--service <serviceName>', 'one hosting service (required for dumps, tasks, php, env, websites, crons, runtimes and --installed)')
    .option('--database <name>', 'databases / dumps: one database')
    .option('--installed', 'modules: the modules installed on --service, instead of the catalog')
    .option('--status <status>', 'tasks: todo, init, doing, done or cancelled; others: rows with this status')
    .option('--function <function>', 'tasks: one task function, e.g. database/create')
    .option('--limit <n>', 'tasks: the most recent N (default 50)')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--all-accounts', 'every configured OVH account, one after the other (rows gain an `account` field)')
    .option('--timeout <seconds>', `how long to wait for the worker's answer (default ${DEFAULT_ASK_TIMEOUT_SECONDS})`)
    .option('--json', 'machine-readable output: an array of rows')
    .action((kind: string, flags: LsFlags) => printInventory(inventoryRequestFromFlags(kind, flags), flags));
}

/** Asks the worker for one listing (in one account, or each) and prints it: a table, or with --json an array of rows. */
export async function printInventory(request: InventoryRequest, flags: { timeout?: string; json?: boolean; account?: string; allAccounts?: boolean }): Promise<void> {
  const timeoutSeconds = timeoutFromFlag(flags.timeout);
  if (flags.allAccounts && flags.account !== undefined) throw new UsageError('--account and --all-accounts: give one, not both');
  // Across accounts: the same request in each, asked of the worker account by account.
  const accounts: Array<string | undefined> = flags.allAccounts ? loadConfig().accounts.names : [flags.account];
  const answers: Array<{ account: string | undefined; result: InventoryResult }> = [];
  try {
    for (const account of accounts) {
      answers.push({ account, result: await askWorker<InventoryResult>({ workflowType: 'inventory', idPrefix: INVENTORY_WORKFLOW_PREFIX, args: [request], timeoutSeconds, account }) });
    }
  } catch (error) {
    if (!(error instanceof WorkerAnswerError)) throw error;
    reportWorkerAnswerError(error);
    process.exitCode = EXIT.runFailed;
    return;
  }
  if (!flags.allAccounts) {
    const { result } = answers[0] as { result: InventoryResult };
    if (flags.json) printJson(result.rows);
    else process.stdout.write(`${renderInventoryTable(request, result)}\n`);
  } else if (flags.json) printJson(answers.flatMap(({ account, result }) => result.rows.map((row) => ({ account, ...row }))));
  else for (const { account, result } of answers) process.stdout.write(`account ${account}:\n${renderInventoryTable(request, result)}\n\n`);
  process.exitCode = EXIT.ok;
}
