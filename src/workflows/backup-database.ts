// backupDatabase: dump one database now (`POST /database/{name}/dump`, date `now`), wait for OVH's task, then find
// the run's new dump and verify it (created, with a download link). A retry never makes a second dump: the run
// adopts the one an earlier attempt started. Started by hand, or as a child of nightlyDumps — then, when it needs an
// operator, it tells its parent, which reports it and moves on; the backup itself stays retryable.
import { ApplicationFailure, getExternalWorkflowHandle, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { BACKUP_STEPS, childNeedsAttentionSignal, type BackupDatabaseResult, type BackupOptions } from '../shared/backups.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import type { BackupDatabaseInput } from '../shared/inputs/index.js';
import type { Attention } from '../shared/runs.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { DumpTaker } from './dumps.js';
import { lookup } from './activity-options.js';
import { runInput, startedByOvhflow } from './run-inputs.js';
import { isParsedBackupDatabaseInput } from '../shared/inputs/shapes.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import { RunControl } from './run-control.js';

async function tellParent(attention: Attention): Promise<void> {
  const { parent, workflowId } = workflowInfo();
  if (!parent) return;
  await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(childNeedsAttentionSignal, { workflowId, attention });
}

export async function backupDatabase(
  rawInput: BackupDatabaseInput,
  settings: RunSettings = {},
  options: BackupOptions = {},
): Promise<BackupDatabaseResult> {
  const parsedByStarter = startedByOvhflow('backup');
  const shaped = isParsedBackupDatabaseInput(rawInput);
  const run = new RunControl('backup', BACKUP_STEPS, {
    // Skipping either step would report a backup that does not exist: retry or abort.
    unskippable: ['dump', 'verify'],
    ...(options.notifyParent ? { onNeedsAttention: tellParent } : {}),
    nothingToUndo: 'ovhflow never deletes a dump',
  });
  if (shaped) upsertSearchAttributes([{ key: SERVICE_NAME, value: rawInput.serviceName }]);

  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedBackupDatabaseInput,
      parse: (raw) => lookup.parseRunInput('backup', raw) as Promise<ParseResult<BackupDatabaseInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    // Parsed by the local activity (a start from outside ovhflow): indexed now.
    if (!shaped) upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const taker = new DumpTaker({ serviceName: input.serviceName, databaseName: input.databaseName, sendEmail: input.sendEmail }, settings);
    const dumped = await run.step('dump', async (step) => {
      const { adopted } = await taker.dump(step);
      step.note(`dump of ${input.databaseName} finished at OVH${adopted ? ' (started by an earlier attempt)' : ''}`);
      return { adopted };
    });
    let verifyTries = 0;
    const verified = await run.step('verify', async (step) => {
      // Retried by an operator: the dump may be what is missing, so make sure there is one (adopting it if so).
      if (++verifyTries > 1) await taker.dump(step);
      const dump = await taker.verify();
      step.note(`dump ${dump.id} created ${dump.creationDate}, kept until ${dump.deletionDate}`);
      return dump;
    });
    if (verified.outcome === 'skipped' || dumped.outcome === 'skipped') {
      throw ApplicationFailure.nonRetryable('a backup step was skipped', FAILURE_TYPES.bug);
    }
    return { serviceName: input.serviceName, databaseName: input.databaseName, dump: verified.value, adopted: dumped.value.adopted };
  });
}
