// manageCronJob: one scheduled task (cron job) of a hosting added, changed or deleted, found by what it runs — never
// by OVH's id. Preflight reads the job and what the hosting offers and either refuses (nothing written: no crontab,
// no room, a language the hosting does not offer, `add` of a job that exists with other settings, `update` of a job
// that does not exist) or decides the one write to make; nothing to do is a completed run with zero writes. Apply
// registers the undo before the write, writes, waits for OVH (POST and DELETE answer a task; PUT answers nothing and
// the job's own state says when it is done) and reads the job back. Abort after the write undoes it: a created job is
// deleted, a changed one put back, a deleted one re-created.
//
// `ensureCronJobs` is the same core for another run to call inside one of its own steps (provisioning).
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import {
  CRON_STEPS,
  cronJobDifferences,
  describeCronJob,
  minutesNote,
  type CronJobOutcome,
  type CronJobRequest,
  type CronJobSettings,
  type CronPlan,
  type CronPreflight,
  type CronRunResult,
} from '../shared/cron.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type PollSchedule, type RunSettings } from '../shared/hosting-tasks.js';
import type { CronJobInput } from '../shared/inputs/cron.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import { isParsedCronJobInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { RunControl, type StepHandle, type Undo } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export interface CronEnsureOptions {
  /** How long each wait for OVH may take. */
  deadlineMinutes: number;
  poll?: PollSchedule;
}

/** A job found busy with an OVH task is waited for, then read again; a job that keeps changing needs an operator. */
const BUSY_ROUNDS = 3;

/** Preflight of one job: the plan, or a refusal; waits (through the retry policy) while the job is busy. */
export async function planCronJob(serviceName: string, job: CronJobRequest, step: StepHandle, opts: CronEnsureOptions): Promise<{ plan: CronPlan } | { refusal: string }> {
  for (let round = 1; ; round++) {
    const found: CronPreflight = await ovh.planCronJob({ serviceName, job });
    if (!('busy' in found)) return found;
    if (round > BUSY_ROUNDS) {
      throw ApplicationFailure.create({ type: FAILURE_TYPES.resourceNotReady, nonRetryable: true, message: `the cron job running "${found.busy.command}" stays ${found.busy.state}` });
    }
    step.waitingFor({ id: 0, function: `cron (${found.busy.state})` });
    await waitingActivities(opts.deadlineMinutes, opts.poll).waitForResource({ serviceName, resource: { kind: 'cron', command: found.busy.command }, expect: 'present' });
  }
}

/**
 * Makes the plan's one write inside the caller's step, with its undo registered first, waits for OVH and reads the
 * job back. A plan with nothing to write answers `unchanged` without a call.
 */
export async function applyCronPlan(run: RunControl, step: StepHandle, serviceName: string, plan: CronPlan, opts: CronEnsureOptions): Promise<CronJobOutcome> {
  const waiting = () => waitingActivities(opts.deadlineMinutes, opts.poll);
  const resource = { kind: 'cron' as const, command: plan.command };
  const settled = async (taskId: number | undefined, fn: string, expect: 'present' | 'absent', created = false) => {
    if (taskId) {
      step.waitingFor({ id: taskId, function: fn });
      await waiting().waitForHostingTask({ serviceName, taskId, resource, expect, poll: opts.poll ?? DEFAULT_POLL_SCHEDULE, created });
    } else {
      await waiting().waitForResource({ serviceName, resource, expect });
    }
  };
  const create = async (job: CronJobSettings) => {
    const { taskId, adopted } = await ovh.createCronJob({ serviceName, job });
    await settled(taskId, 'cron/create', 'present', true);
    return adopted;
  };
  const change = async (to: CronJobSettings) => {
    // A job still busy with an earlier task cannot take a change (OVH answers 409): wait until it is `created`.
    await waiting().waitForResource({ serviceName, resource, expect: 'present' });
    const { adopted } = await ovh.updateCronJob({ serviceName, to });
    await settled(undefined, 'cron/update', 'present');
    return adopted;
  };
  const remove = async (): Promise<'undone' | 'absent'> => {
    const removal = await ovh.deleteCronJob({ serviceName, command: plan.command });
    if (removal.outcome === 'absent') return 'absent';
    await settled(removal.taskId, 'cron/delete', 'absent');
    return 'undone';
  };
  /** OVH has the job with exactly these settings, or the step fails for an operator. */
  const verify = async (wanted: CronJobSettings) => {
    const now = await ovh.readCronJob({ serviceName, command: plan.command });
    const missing = now ? cronJobDifferences(now, wanted) : [];
    if (!now || missing.length > 0) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.resourceNotReady,
        nonRetryable: true,
        message: now ? `OVH's task ended but the job running "${plan.command}" has ${missing.map((c) => `${c.field} ${c.found ?? 'none'}`).join(', ')}` : `OVH's task ended but no job runs "${plan.command}"`,
      });
    }
    return now;
  };

  switch (plan.write) {
    case 'none':
      step.note(plan.reason);
      return { command: plan.command, outcome: 'unchanged', note: plan.reason, job: plan.job };
    case 'create': {
      run.willUndo(`delete the cron job running "${plan.command}" this run created`, remove);
      const adopted = await create(plan.after);
      const job = await verify(plan.after);
      const note = `added "${plan.command}" at ${describeCronJob(job)}${adopted ? ' (created by an earlier attempt)' : ''}`;
      step.note(note);
      return { command: plan.command, outcome: 'created', note, job };
    }
    case 'update': {
      const before = plan.before;
      run.willUndo(`put the cron job running "${plan.command}" back to ${describeCronJob(before)}`, restore(before));
      const adopted = await change(plan.after);
      const job = await verify(plan.after);
      const note = `${plan.changes.map((c) => `${c.field}: ${c.found ?? 'none'} → ${c.asked ?? 'none'}`).join(', ')}${adopted ? ' (sent by an earlier attempt)' : ''}`;
      step.note(note);
      return { command: plan.command, outcome: 'updated', note, changes: plan.changes, job };
    }
    case 'delete': {
      const before = plan.before;
      run.willUndo(`re-create the cron job running "${plan.command}" at ${describeCronJob(before)}`, recreate(before));
      const gone = await remove();
      const note = gone === 'absent' ? `no job ran "${plan.command}" any more` : `deleted "${plan.command}" (was ${describeCronJob(before)})`;
      step.note(note);
      return { command: plan.command, outcome: 'deleted', note, job: null };
    }
  }

  function restore(to: CronJobSettings): Undo {
    return async () => {
      const now = await ovh.readCronJob({ serviceName, command: plan.command });
      if (!now) return 'absent';
      if (now.state === 'created' && cronJobDifferences(now, to).length === 0) return 'absent';
      await change(to);
      return 'undone';
    };
  }

  function recreate(job: CronJobSettings): Undo {
    return async () => {
      // Once the deletion has ended (a job still `deleting` cannot be re-created under the same command yet).
      await waiting().waitForResource({ serviceName, resource, expect: 'absent' });
      const adopted = await create(job);
      return adopted ? 'absent' : 'undone';
    };
  }
}

/**
 * Brings a hosting's cron jobs to what is asked, inside one step of the caller's run: each job planned (a refusal
 * fails the step as OvhflowRefused, before that job is written), then written with its undo registered first. Jobs
 * are handled in order; an abort undoes every write made so far.
 */
export async function ensureCronJobs(
  run: RunControl,
  step: StepHandle,
  input: { serviceName: string; jobs: CronJobRequest[] },
  opts: CronEnsureOptions,
): Promise<CronJobOutcome[]> {
  const outcomes: CronJobOutcome[] = [];
  for (const job of input.jobs) {
    const planned = await planCronJob(input.serviceName, job, step, opts);
    if ('refusal' in planned) {
      throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, this job was not written: ${planned.refusal}` });
    }
    outcomes.push(await applyCronPlan(run, step, input.serviceName, planned.plan, opts));
  }
  return outcomes;
}

const PLANNED_OUTCOME = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export async function manageCronJob(rawInput: CronJobInput, settings: RunSettings = {}): Promise<CronRunResult> {
  const parsedByStarter = startedByOvhflow('cron');
  const run = new RunControl('cron', CRON_STEPS, { unskippable: ['preflight', 'apply'] });
  let input = rawInput;
  const opts = (): CronEnsureOptions => ({
    deadlineMinutes: input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES,
    poll: settings.poll ?? DEFAULT_POLL_SCHEDULE,
  });

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedCronJobInput,
      parse: (raw) => lookup.parseRunInput('cron', raw) as Promise<ParseResult<CronJobInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const { serviceName, action, command } = input;
    const { stepDeadlineMinutes: _deadline, serviceName: _service, ...job } = input;
    const note = input.frequency !== undefined ? minutesNote(input.frequency) : undefined;

    const read = await run.step('preflight', async (step) => {
      const planned = await planCronJob(serviceName, job, step, opts());
      // One note per step: what the run will do, and what OVH does with the minutes.
      const plan = 'plan' in planned && planned.plan.write !== 'none' ? `will ${planned.plan.write} the job running "${command}"` : undefined;
      const said = [plan, note].filter((part): part is string => part !== undefined).join('; ');
      if (said) step.note(said);
      return planned;
    });
    if (read.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const planned = read.value;
    if ('refusal' in planned) {
      throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, nothing was changed: ${planned.refusal}` });
    }
    const { plan } = planned;
    const before = plan.write === 'update' || plan.write === 'delete' ? settingsOnly(plan.before) : plan.write === 'none' && plan.job ? settingsOnly(plan.job) : null;
    const result = (outcome: CronJobOutcome): CronRunResult => ({
      serviceName,
      action,
      command,
      changed: outcome.outcome !== 'unchanged',
      outcome: outcome.outcome,
      note: outcome.note,
      changes: outcome.changes ?? [],
      before,
      after: outcome.job ? settingsOnly(outcome.job) : null,
      ...(note ? { minutesNote: note } : {}),
    });
    if (plan.write === 'none') {
      run.skip('apply', `nothing to change: ${plan.reason}`);
      return result({ command, outcome: 'unchanged', note: plan.reason, job: plan.job });
    }
    // The core other runs call (ensureCronJobs) reads the job again: a retry of this step long after preflight
    // writes what is needed then, not what preflight saw.
    const applied = await run.step('apply', async (step) => {
      const [outcome] = await ensureCronJobs(run, step, { serviceName, jobs: [job] }, opts());
      if (!outcome) throw ApplicationFailure.nonRetryable('ensureCronJobs answered no outcome for one job', FAILURE_TYPES.bug);
      // Nothing left to write on a retry of this step: an earlier attempt made the write preflight planned.
      if (outcome.outcome === 'unchanged') return { ...outcome, outcome: PLANNED_OUTCOME[plan.write], note: `${outcome.note} (written by an earlier attempt)` };
      return outcome;
    });
    if (applied.outcome === 'skipped') throw ApplicationFailure.nonRetryable('apply cannot be skipped', FAILURE_TYPES.bug);
    return result(applied.value);
  });
}

function settingsOnly(job: CronJobSettings): CronJobSettings {
  const { command, frequency, language, description, email, status } = job;
  return { command, frequency, language, description, email, status };
}
