// applyFleet: one parent run per `ovhflow apply`. Each planned change is a child run of a kind that exists
// (provision, update-domain, php, ftp-user, decommission, …), started through the worker's client with an id made
// from the change itself, so a resumed parent (worker killed) or a second apply finds its children instead of
// starting them again. A site's changes run one after the other; sites run `parallel` at a time per account. A child
// that waits for an operator is reported and left to them: the parent goes on and ends listing it. History stays
// bounded however big the fleet: after `childrenPerExecution` children the parent continues as new with the tasks
// left and the report so far.
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  APPLY_CHILDREN_PER_EXECUTION,
  APPLY_STEPS,
  emptyApplyReport,
  type ApplyChange,
  type ApplyFleetInput,
  type ApplyFleetResult,
  type ApplyOutcome,
  type ApplyReport,
  type ApplyTask,
} from '../shared/apply.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import { isParsedApplyFleetInput } from '../shared/inputs/shapes.js';
import type { Activities } from '../activities/index.js';
import { HEARTBEAT_TIMEOUT, lookup } from './activity-options.js';
import { RunControl } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

const { startApplyChild } = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// One look per attempt; the retry policy is the polling. A child still running after a week is reported, not waited for.
const { checkApplyChild } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '15 seconds' },
});

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** `work` over `items`, at most `limit` at a time, lanes taking items in order (deterministic). */
async function inLanes<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const resultOf = (report: ApplyReport): ApplyFleetResult => ({
  ...report,
  totals: {
    changes: report.done.length + report.failed.length + report.needsAttention.length,
    done: report.done.length,
    failed: report.failed.length,
    needsAttention: report.needsAttention.length,
  },
});

export async function applyFleet(rawInput: ApplyFleetInput, settings: RunSettings = {}): Promise<ApplyFleetResult> {
  const parsedByStarter = startedByOvhflow('apply');
  const run = new RunControl('apply', APPLY_STEPS, { nothingToUndo: 'each child run undoes what it made when it is aborted itself', unskippable: ['applyAll'] });
  const outcome = await run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedApplyFleetInput,
      parse: (raw) => lookup.parseRunInput('apply', raw) as Promise<ParseResult<ApplyFleetInput>>,
      refusal: 'invalid input, nothing was applied:',
    });
    return applyTasks(run, input, settings);
  });
  if (outcome.left.length > 0) {
    // Outside run.execute: a continue-as-new is how this run goes on, not how it ends.
    await continueAsNew<typeof applyFleet>(outcome.next, settings);
  }
  return resultOf(outcome.report);
}

async function applyTasks(run: RunControl, input: ApplyFleetInput, settings: RunSettings) {
  const startedAt = input.startedAt ?? workflowInfo().startTime.toISOString();
  const report = input.report ?? emptyApplyReport();
  const limit = input.childrenPerExecution ?? APPLY_CHILDREN_PER_EXECUTION;
  let started = 0;
  const left = new Set<ApplyTask>();

  const applied = await run.step('applyAll', async (step) => {
    const total = (input.childrenSoFar ?? 0) + input.tasks.reduce((sum, task) => sum + task.changes.length, 0);
    const note = () => {
      const { done, failed, needsAttention } = report;
      step.note(`${done.length} done, ${failed.length} failed, ${needsAttention.length} need attention of ${total} change(s)`);
    };
    note();

    const applyChange = async (task: ApplyTask, change: ApplyChange): Promise<ApplyOutcome> => {
      const about = { account: task.account, serviceName: task.serviceName, subject: task.subject, runType: change.runType, what: change.what };
      let child;
      try {
        child = await startApplyChild({ account: task.account, accounts: input.accounts, runType: change.runType, input: change.input, requestId: change.requestId, settings, startedAt });
      } catch (error) {
        return { ...about, workflowId: '', status: 'failed', reason: `not started: ${failureMessage(error)}` };
      }
      try {
        const state = await checkApplyChild({ workflowId: child.workflowId, accounts: input.accounts });
        return { ...about, workflowId: child.workflowId, ...(child.found ? { found: true } : {}), ...state };
      } catch (error) {
        return { ...about, workflowId: child.workflowId, status: 'needs-attention', reason: `could not follow the run: ${failureMessage(error)} — see ovhflow status ${child.workflowId}` };
      }
    };

    const byAccount = new Map<string, ApplyTask[]>();
    for (const task of input.tasks) byAccount.set(task.account, [...(byAccount.get(task.account) ?? []), task]);
    await Promise.all(
      [...byAccount.values()].map((tasks) =>
        inLanes(tasks, input.parallel, async (task) => {
          if (started >= limit) {
            left.add(task);
            return;
          }
          started += task.changes.length;
          for (const change of task.changes) {
            const outcome = await applyChange(task, change);
            (outcome.status === 'done' ? report.done : outcome.status === 'failed' ? report.failed : report.needsAttention).push(outcome);
            note();
          }
        }),
      ),
    );
    if (left.size > 0) step.note(`${report.done.length} done, ${report.failed.length} failed, ${report.needsAttention.length} need attention so far; ${left.size} site(s) go on in the next part of this run`);
  });
  if (applied.outcome === 'skipped') throw ApplicationFailure.nonRetryable('applyAll cannot be skipped', FAILURE_TYPES.bug);

  const tasksLeft = input.tasks.filter((task) => left.has(task));
  const next: ApplyFleetInput = {
    ...input,
    tasks: tasksLeft,
    startedAt,
    report,
    childrenSoFar: (input.childrenSoFar ?? 0) + started,
  };
  return { report, left: tasksLeft, next };
}

