// `ovhflow apply FILE|PLAN`: the plan, shown as `plan` shows it, then — once confirmed on the terminal, or with
// --yes — ONE parent run (`applyFleet`) that starts one child run per change. A saved plan (`plan --out`) is refused
// when what it read has changed since; a plan with nothing to do starts nothing. Secrets referenced by the file
// (env:NAME, file:PATH) are read here, where the apply is started, and go into the child inputs encrypted.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ApplyInputError, asSavedPlan, prepareApply, secretResolver } from '../../fleet/apply-items.js';
import { parseFleetFile, type FleetFile } from '../../fleet/file.js';
import { renderPlan, type AskFleetRead, type SavedPlan } from '../../fleet/plan.js';
import type { RunService } from '../../runs/service.js';
import { resolveAccount } from '../../shared/accounts.js';
import { DEFAULT_APPLY_PARALLEL, MAX_APPLY_PARALLEL, APPLY_CHILDREN_PER_EXECUTION, type ApplyFleetResult, type ApplyTask } from '../../shared/apply.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../../shared/fleet.js';
import { askWorkerWith } from '../ask-worker.js';
import { withRuns } from '../context.js';
import { EXIT, invalidInput, UsageError } from '../exit-codes.js';
import { asTyped } from '../invocation.js';
import { followRun } from '../output.js';

const FLEET_TIMEOUT_SECONDS = 900;

interface ApplyFlags {
  yes?: boolean;
  parallel?: string;
  wait?: boolean;
  prune?: boolean;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** A saved plan (`plan --out`, JSON) or a fleet file (YAML). */
function readSource(path: string): { file: FleetFile; saved?: SavedPlan } {
  const text = readText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: a fleet file in YAML
  }
  const saved = asSavedPlan(json);
  if (saved) {
    const parsed = parseFleetFile(JSON.stringify(saved.file), `${path} (its fleet file)`);
    if (!parsed.ok) throw invalidInput(parsed.issues, 'saved plan', 'nothing was started');
    return { file: parsed.value, saved };
  }
  const parsed = parseFleetFile(text, path);
  if (!parsed.ok) throw invalidInput(parsed.issues, 'fleet file', 'nothing was started');
  return { file: parsed.value };
}

function parallelOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_APPLY_PARALLEL;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_APPLY_PARALLEL) throw new UsageError(`--parallel: runs at once per account, from 1 to ${MAX_APPLY_PARALLEL}`);
  return Number(raw);
}

/** `OVHFLOW_APPLY_CHILDREN_PER_EXECUTION`: children per part of the parent's history (default 200; lowered in tests). */
function childrenPerExecution(): number | undefined {
  const raw = process.env.OVHFLOW_APPLY_CHILDREN_PER_EXECUTION;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > APPLY_CHILDREN_PER_EXECUTION) {
    throw new UsageError(`OVHFLOW_APPLY_CHILDREN_PER_EXECUTION: "${raw}" is not a number from 1 to ${APPLY_CHILDREN_PER_EXECUTION}`);
  }
  return Number(raw);
}

async function confirmedOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await terminal.question(question)).trim().toLowerCase() === 'yes';
  } finally {
    terminal.close();
  }
}

function renderTasks(tasks: readonly ApplyTask[]): string {
  const lines = ['Runs to start:'];
  for (const task of tasks) for (const change of task.changes) lines.push(`  [${change.runType}] ${task.subject} (${task.serviceName}): ${change.what}`);
  return `${lines.join('\n')}\n`;
}

function renderReport(result: ApplyFleetResult): string {
  const lines = [`Applied: ${result.totals.done} done, ${result.totals.failed} failed, ${result.totals.needsAttention} need attention.`];
  for (const [title, list] of [
    ['failed', result.failed],
    ['needs attention', result.needsAttention],
  ] as const) {
    for (const item of list) lines.push(`  ${title}: ${item.subject} (${item.serviceName}) [${item.runType}] ${item.workflowId || '(not started)'}${item.reason ? ` — ${item.reason}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

async function applyCommand(path: string, flags: ApplyFlags): Promise<void> {
  const { file, saved } = readSource(path);
  const parallel = parallelOf(flags.parallel);
  const perExecution = childrenPerExecution();
  // Refused before anything is read: a script without a terminal would otherwise wait for an answer for ever.
  if (!flags.yes && !process.stdin.isTTY) throw new UsageError('apply asks for a confirmation on a terminal: run it on one, or add --yes to apply without asking (nothing was started)');

  process.exitCode = await withRuns(async (runs: RunService, config) => {
    const ask: AskFleetRead = (account, request) =>
      askWorkerWith<FleetReadResult>(runs.client, config, {
        workflowType: 'fleetRead',
        idPrefix: FLEET_READ_WORKFLOW_PREFIX,
        args: [request],
        timeoutSeconds: FLEET_TIMEOUT_SECONDS,
        account: resolveAccount(config.accounts, account),
      });
    let prepared;
    try {
      prepared = await prepareApply({ file, ...(saved ? { saved } : {}) }, ask, secretResolver(dirname(path)), { prune: flags.prune ?? false });
    } catch (error) {
      if (error instanceof ApplyInputError) throw invalidInput(error.issues, 'fleet file', 'nothing was started');
      throw error;
    }
    const { plan } = prepared;
    if (prepared.outcome === 'unreadable') {
      process.stdout.write(renderPlan(plan));
      process.stderr.write('ovhflow: OVH could not be read fully: nothing was applied\n');
      return EXIT.runFailed;
    }
    if (prepared.outcome === 'stale') {
      throw new UsageError(`the saved plan ${path} is stale: OVH changed since it was made (${saved?.createdAt ?? ''}) for ${prepared.changed.join('; ')}. Nothing was started: plan again.`);
    }
    process.stdout.write(renderPlan(plan));
    if (prepared.outcome === 'nothing') {
      process.stdout.write(`Nothing to apply${plan.summary.blocked > 0 ? ` (${plan.summary.blocked} blocked: see why above)` : ''}.\n`);
      return EXIT.ok;
    }
    const { tasks } = prepared;
    process.stdout.write(renderTasks(tasks));
    if (!flags.prune && plan.summary.unmanaged > 0) process.stdout.write('Unmanaged resources are left as they are (--prune decommissions unmanaged sites, each after its own confirmation).\n');
    const changes = tasks.reduce((sum, task) => sum + task.changes.length, 0);
    if (!flags.yes && !(await confirmedOnTerminal(`Start ${changes} run(s) for ${tasks.length} site(s)? Type yes to apply: `))) {
      process.stdout.write('Not confirmed: nothing was started.\n');
      return EXIT.runFailed;
    }
    const account = config.accounts.defaultAccount ?? (tasks[0] as ApplyTask).account;
    const ref = await runs.start(
      'apply',
      { tasks, parallel, accounts: config.accounts, ...(perExecution !== undefined ? { childrenPerExecution: perExecution } : {}) },
      { account, requestId: randomUUID() },
    );
    if (!flags.wait) {
      process.stdout.write(asTyped(`started: ${ref.workflowId}\nfollow it with: ovhflow status ${ref.workflowId} --watch\n`));
      return EXIT.ok;
    }
    process.stdout.write(`started ${ref.workflowId}\n`);
    const code = await followRun(runs, ref.workflowId, {});
    const view = await runs.describeRun(ref.workflowId);
    if (view.status !== 'completed') return code;
    const result = view.result as ApplyFleetResult;
    process.stdout.write(asTyped(renderReport(result)));
    return result.totals.failed + result.totals.needsAttention > 0 ? EXIT.runFailed : EXIT.ok;
  });
}

export function registerApplyCommand(program: Command): void {
  program
    .command('apply <file>')
    .description('make OVH what FILE declares: one run per change, after a confirmation')
    .option('--yes', 'apply without asking (required without a terminal)')
    .option('--parallel <n>', `runs at once per OVH account (default ${DEFAULT_APPLY_PARALLEL})`)
    .option('--wait', 'follow the apply until every run is done, failed or waiting for an operator')
    .option('--prune', 'decommission the sites the plan reports unmanaged, each waiting for its own `ovhflow confirm`')
    .action((file: string, flags: ApplyFlags) => applyCommand(file, flags));
}
