import type { Command } from 'commander';
import { RUN_TYPES, type RunType } from '../../shared/runs.js';
import { DecisionRejectedError, UnknownRunError } from '../../runs/service.js';
import { withRuns } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { exitCodeOf, followRun, printJson } from '../output.js';
import { renderRun, runJson } from '../render/run-view.js';
import { maskSecrets } from '../render/secrets.js';

async function orUsage<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UnknownRunError || error instanceof DecisionRejectedError) throw new UsageError(error.message);
    throw error;
  }
}

export function registerRunCommands(program: Command): void {
  program
    .command('runs')
    .description('list runs')
    .option('--needs-attention', 'only runs waiting for an operator')
    .option('--type <type>', `only runs of one type (${RUN_TYPES.join(', ')})`)
    .option('--account <name>', 'only runs of one OVH account')
    .option('--json', 'machine-readable output')
    .action(async (flags: { needsAttention?: boolean; type?: string; account?: string; json?: boolean }) => {
      if (flags.type && !RUN_TYPES.includes(flags.type as RunType)) throw new UsageError(`--type must be one of ${RUN_TYPES.join(', ')}`);
      await withRuns(async (runs) => {
        const list = await runs.listRuns({ needsAttention: flags.needsAttention, type: flags.type as RunType | undefined, ...(flags.account !== undefined ? { account: flags.account } : {}) });
        if (flags.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no runs\n');
        // The account column only where there is more than one account: single-account output stays as it always was.
        const accountColumn = runs.accounts.names.length > 1;
        for (const run of list) {
          process.stdout.write(`${run.status.padEnd(16)} ${run.type.padEnd(10)} ${accountColumn ? `${run.account.padEnd(16)} ` : ''}${run.startedAt}  ${run.workflowId}\n`);
        }
      });
    });

  program
    .command('status <run>')
    .description("a run's steps and state; live with --watch")
    .option('--watch', 'follow the run until it completes, fails or needs attention (a wait for DNS, which the run re-checks by itself, is followed)')
    .option('--json', 'machine-readable output')
    .option('--show-secrets', 'print generated passwords in the result')
    .action(async (run: string, flags: { watch?: boolean; json?: boolean; showSecrets?: boolean }) => {
      process.exitCode = await withRuns(async (runs) => {
        if (flags.watch) return orUsage(() => followRun(runs, run, flags, true));
        const view = await orUsage(() => runs.describeRun(run));
        if (flags.json) printJson(maskSecrets(runJson(view), flags.showSecrets ?? false));
        else {
          process.stdout.write(`${renderRun(maskSecrets(view, false))}\n`);
          if (view.result !== undefined) process.stdout.write(`\nresult:\n${JSON.stringify(maskSecrets(view.result, flags.showSecrets ?? false), null, 2)}\n`);
        }
        return exitCodeOf(view);
      });
    });

  const decision = (name: 'retry' | 'skip' | 'abort', description: string) => {
    const command = program.command(`${name} <run>`).description(description).option('--json', 'machine-readable output');
    if (name === 'retry') command.option('--set <key=value...>', 'correct an input before retrying (repeatable)');
    command.action(async (run: string, flags: { json?: boolean; set?: string[] }) => {
      await withRuns(async (runs) => {
        const ack = await orUsage(() => (name === 'retry' ? runs.retry(run, flags.set ?? []) : name === 'skip' ? runs.skip(run) : runs.abort(run)));
        if (flags.json) printJson({ workflowId: run, ...ack });
        else process.stdout.write(`${name} accepted for step ${ack.step} of ${run}\n`);
      });
      process.exitCode = EXIT.ok;
    });
  };
  decision('retry', 'run the failed step again, optionally with corrected inputs');
  decision('skip', 'skip the failed step and go on');
  decision('abort', 'stop the run and undo what it created, in reverse order');

  program
    .command('confirm <run>')
    .description('give its go-ahead to a destructive run started without --yes (a restore, a decommission, …) that waits for it')
    .option('--json', 'machine-readable output')
    .action(async (run: string, flags: { json?: boolean }) => {
      await withRuns(async (runs) => {
        // The run service refuses a run of a kind that never waits for a go-ahead, saying what to do instead.
        const ack = await orUsage(() => runs.confirm(run));
        if (flags.json) printJson({ workflowId: run, ...ack });
        else process.stdout.write(`confirmed: ${run} goes on with the ${ack.confirmed}\n`);
      });
      process.exitCode = EXIT.ok;
    });
}
