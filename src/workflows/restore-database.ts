// restoreDatabase: choose the dump (by id, the newest, the newest before a time, or OVH's own daily / weekly backup),
// wait for an explicit confirmation when the caller gave none (the overwrite is destructive), take a safety dump
// unless declined, restore, and wait until the database is `created` again. Abort undoes nothing: the safety dump is
// kept on purpose, and a restore cannot be taken back (restore the safety dump for that).
import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  RESTORE_STEPS,
  parseRestoreCorrections,
  type DumpInfo,
  type RestoreDatabaseResult,
  type RestoreSource,
} from '../shared/backups.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { formatIssues, type ParseResult } from '../shared/inputs/issues.js';
import { isParsedRestoreDatabaseInput } from '../shared/inputs/shapes.js';
import type { RestoreDatabaseInput } from '../shared/inputs/restore.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { Confirmation } from './confirmation.js';
import { DumpTaker } from './dumps.js';
import { RunControl } from './run-control.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export function describeSource(source: RestoreSource): string {
  return source.kind === 'dump' ? `dump ${source.id} (${source.type}, created ${source.creationDate})` : `OVH's ${source.date} backup`;
}

export async function restoreDatabase(rawInput: RestoreDatabaseInput, settings: RunSettings = {}): Promise<RestoreDatabaseResult> {
  const parsedByStarter = startedByOvhflow('restore');
  // Until parsed, the input is whatever the starter sent: only a parsed input's own `confirmed: true` is a go-ahead.
  const shaped = isParsedRestoreDatabaseInput(rawInput);
  let input = rawInput;
  const run: RunControl = new RunControl('restore', RESTORE_STEPS, {
    unskippable: ['chooseDump', 'confirm', 'restore'],
    nothingToUndo: 'a restore cannot be taken back: a safety dump, if taken, is kept — restore it to go back',
    validateCorrections: (set) => {
      const parsed = parseRestoreCorrections(set);
      if (!parsed.ok) return formatIssues(parsed.issues);
      const step = run.progress.attention?.step;
      // What was confirmed is a specific dump: it can only change before the confirmation.
      if (parsed.value.dump && step !== 'chooseDump') return `dump can only be corrected at step chooseDump (this run is at ${step})`;
      if (parsed.value.safetyDump !== undefined && step !== 'chooseDump' && step !== 'safetyDump') {
        return `safetyDump can only be corrected before the safety dump (this run is at ${step})`;
      }
      return undefined;
    },
    applyCorrections: (set) => {
      const parsed = parseRestoreCorrections(set);
      if (!parsed.ok) return;
      input = { ...input, ...(parsed.value.dump ? { dump: parsed.value.dump } : {}), ...(parsed.value.safetyDump !== undefined ? { safetyDump: parsed.value.safetyDump } : {}) };
    },
  });
  const confirmation = new Confirmation(run, shaped && rawInput.confirmed === true);
  if (shaped) upsertSearchAttributes([{ key: SERVICE_NAME, value: rawInput.serviceName }]);
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedRestoreDatabaseInput,
      parse: (raw) => lookup.parseRunInput('restore', raw) as Promise<ParseResult<RestoreDatabaseInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    if (!shaped) {
      // Parsed by the local activity (a start from outside ovhflow): index it now, and take its confirmation.
      upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
      if (input.confirmed) confirmation.confirmAtStart();
    }
    const { serviceName, databaseName } = input;
    const chosen = await run.step('chooseDump', async (step) => {
      const source = await ovh.chooseDump({ serviceName, databaseName, dump: input.dump });
      step.note(describeSource(source));
      return source;
    });
    if (chosen.outcome === 'skipped') throw ApplicationFailure.nonRetryable('chooseDump cannot be skipped', FAILURE_TYPES.bug);
    const source = chosen.value;

    const confirmedBy = await confirmation.wait(
      `restoring ${describeSource(source)} overwrites database ${databaseName} on ${serviceName}: waiting for a confirmation`,
      `confirm with \`ovhflow confirm ${workflowInfo().workflowId}\`, or stop with \`ovhflow abort ${workflowInfo().workflowId}\``,
    );

    let safetyDump: DumpInfo | undefined;
    if (!input.safetyDump) {
      run.skip('safetyDump', 'declined by the caller (--no-safety-dump)');
    } else {
      const taker = new DumpTaker({ serviceName, databaseName, sendEmail: false }, settings);
      const safety = await run.step('safetyDump', async (step) => {
        if (!input.safetyDump) {
          step.note('declined by an operator correction');
          return undefined;
        }
        await taker.dump(step);
        const dump = await taker.verify();
        step.note(`safety dump ${dump.id} created ${dump.creationDate}`);
        return dump;
      });
      if (safety.outcome !== 'skipped') safetyDump = safety.value;
    }

    let preexistingTasks: number[] | undefined;
    let restoreTries = 0;
    await run.step('restore', async (step) => {
      restoreTries += 1;
      preexistingTasks ??= await ovh.listRestoreTasks({ serviceName, databaseName });
      const { taskId, adopted } = await ovh.ensureRestore({ serviceName, databaseName, source, preexistingTasks, checkExisting: restoreTries > 1 });
      step.waitingFor({ id: taskId, function: 'database/restore' });
      // Done when the task is done and the database itself is `created` again.
      await waitingActivities(deadline(), settings.poll).waitForHostingTask({
        serviceName,
        taskId,
        resource: { kind: 'database', name: databaseName },
        expect: 'present',
        poll: settings.poll ?? DEFAULT_POLL_SCHEDULE,
      });
      step.note(`${describeSource(source)} restored${adopted ? ' (restore started by an earlier attempt)' : ''}; database ${databaseName} is created`);
    });

    return { serviceName, databaseName, restored: source, ...(safetyDump ? { safetyDump } : {}), confirmedBy };
  });
}
