// setEnvVars: a hosting's environment variables brought to what was asked — some set (name, type, value), some
// removed. `ensureEnvVars` is the whole convergence inside one step (read → what differs → for each variable: its undo
// registered, then at most a few writes, each waiting for OVH's task → check), so a provisioning can run it as one
// step of its own run. Nothing to change is a completed run with zero writes. Abort or cancel puts back every
// variable this run wrote: one it created is removed, one it changed gets its old type and value, one it removed is
// created again. A `password` value never appears in a note, an undo's description, the result or a failure message.
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import type { EnvVarStep } from '../activities/env-vars.js';
import { ENV_VAR_STEPS, envVarChanges, matchesTarget, shownValue, type EnsureEnvVarsResult, type EnvVarChange, type EnvVarResultEntry, type EnvVarTarget } from '../shared/env-vars.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type PollSchedule, type RunSettings } from '../shared/hosting-tasks.js';
import type { SetEnvVarsInput } from '../shared/inputs/env-vars.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import { isParsedSetEnvVarsInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { RunControl, type StepHandle } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

/** A create, a change, or a type change (delete then create); a third round finds it in place. */
const MAX_ROUNDS_PER_VARIABLE = 4;

export interface EnsureEnvVarsOptions {
  deadlineMinutes: number;
  poll?: PollSchedule;
}

/**
 * Brings the variables of `input.serviceName` to `input.set` / `input.unset` inside the caller's current step
 * (`step`): registers on `run` the undo of each variable before its first write. Throws (a step failure, for an
 * operator) when OVH refuses a write, a task is cancelled, or the check after the writes finds a difference.
 */
export async function ensureEnvVars(run: RunControl, step: StepHandle, input: Pick<SetEnvVarsInput, 'serviceName' | 'set' | 'unset'>, opts: EnsureEnvVarsOptions): Promise<EnsureEnvVarsResult> {
  const { serviceName } = input;
  const names = [...input.set.map((setting) => setting.name), ...input.unset];
  const current = await ovh.readEnvVars({ serviceName, names });
  const changes = envVarChanges(current, input.set, input.unset);
  const unchanged = (name: string): EnvVarResultEntry => {
    const setting = input.set.find((s) => s.name === name);
    return setting ? { name, action: 'unchanged', type: setting.type, value: shownValue(setting.type, setting.value) } : { name, action: 'unchanged' };
  };
  if (changes.length === 0) {
    step.note(`nothing to change: ${names.join(', ')} already as asked`);
    return { serviceName, changed: false, variables: names.map(unchanged) };
  }

  for (const change of changes) {
    run.willUndo(undoWording(change), async () => ((await bringTo(serviceName, change.name, change.before, opts)) ? 'undone' : 'absent'));
    const wrote = await bringTo(serviceName, change.name, change.after, opts, step);
    step.note(`${change.name}: ${change.action}${wrote ? '' : ' (already done by an earlier attempt)'}`);
  }

  // The check: OVH now has every asked variable, and none of the removed ones.
  const after = await ovh.readEnvVars({ serviceName, names });
  const wrong = changes.filter((change) => !matchesTarget(after.find((state) => state.name === change.name), change.after)).map((change) => change.name);
  if (wrong.length > 0) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.resourceNotReady, nonRetryable: true, message: `OVH's tasks ended but ${wrong.join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not as asked on ${serviceName}` });
  }
  const entries = names.map((name): EnvVarResultEntry => {
    const change = changes.find((c) => c.name === name);
    if (!change) return unchanged(name);
    if (change.after === null) return { name, action: change.action, ...(change.before ? { previousType: change.before.type } : {}) };
    return {
      name,
      action: change.action,
      type: change.after.type,
      value: shownValue(change.after.type, change.after.value),
      ...(change.action === 'replace' && change.before ? { previousType: change.before.type } : {}),
    };
  });
  return { serviceName, changed: true, variables: entries };
}

/** What an abort would do, in words: names and types only, never a value. */
function undoWording(change: EnvVarChange): string {
  if (change.before === null) return `remove the variable ${change.name} this run created`;
  if (change.after === null) return `create the variable ${change.name} this run removed again (${change.before.type})`;
  return `put the old ${change.before.type} value of ${change.name} back`;
}

/**
 * Brings one variable to `to`, one write per round, each waiting for OVH's task. Answers whether anything was written
 * (false: it already was `to`, e.g. a write whose answer was lost and whose task has ended since).
 */
async function bringTo(serviceName: string, name: string, to: EnvVarTarget, opts: EnsureEnvVarsOptions, step?: StepHandle): Promise<boolean> {
  let wrote = false;
  for (let round = 0; round < MAX_ROUNDS_PER_VARIABLE; round += 1) {
    const next: EnvVarStep = await ovh.stepEnvVarTowards({ serviceName, name, to });
    if (next.outcome === 'in-place') return wrote;
    wrote = wrote || next.outcome === 'written' || next.taskId !== undefined;
    const resource = { kind: 'envVar' as const, name };
    const waiting = waitingActivities(opts.deadlineMinutes, opts.poll);
    if (next.taskId !== undefined) {
      step?.waitingFor({ id: next.taskId, function: next.outcome === 'written' ? `envVar/${next.write}` : `envVar (${next.status})` });
      await waiting.waitForHostingTask({ serviceName, taskId: next.taskId, resource, expect: next.expect, poll: opts.poll ?? DEFAULT_POLL_SCHEDULE });
    } else {
      await waiting.waitForResource({ serviceName, resource, expect: next.expect });
    }
  }
  // Another writer keeps changing it: an operator decides.
  throw ApplicationFailure.create({ type: FAILURE_TYPES.resourceNotReady, nonRetryable: true, message: `${name} on ${serviceName} did not settle after ${MAX_ROUNDS_PER_VARIABLE} writes: is something else changing it?` });
}

export async function setEnvVars(rawInput: SetEnvVarsInput, settings: RunSettings = {}): Promise<EnsureEnvVarsResult> {
  const parsedByStarter = startedByOvhflow('env');
  const run = new RunControl('env', ENV_VAR_STEPS, { unskippable: ['apply'] });
  let input = rawInput;

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedSetEnvVarsInput,
      parse: (raw) => lookup.parseRunInput('env', raw) as Promise<ParseResult<SetEnvVarsInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const opts = { deadlineMinutes: input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES, poll: settings.poll ?? DEFAULT_POLL_SCHEDULE };
    const applied = await run.step('apply', (step) => ensureEnvVars(run, step, input, opts));
    if (applied.outcome === 'skipped') throw ApplicationFailure.nonRetryable('apply cannot be skipped', FAILURE_TYPES.bug);
    return applied.value;
  });
}
