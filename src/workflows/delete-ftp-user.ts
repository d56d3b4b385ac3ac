// deleteFtpUser: destructive, so it shows what it will delete and waits for an explicit confirmation (like a restore)
// unless the caller gave one; the hosting's primary login is refused (it goes with the hosting). The deletion waits
// for OVH's task until the user is really gone. Nothing to undo on abort: a deleted user cannot be brought back.
import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { FTP_USER_DELETE_STEPS, type DeleteFtpUserResult } from '../shared/ftp-user.js';
import { DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { DeleteFtpUserInput } from '../shared/inputs/ftp-user.js';
import { isParsedDeleteFtpUserInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { Confirmation } from './confirmation.js';
import { RunControl } from './run-control.js';
import { runInput, setAtStart, startedByOvhflow } from './run-inputs.js';

export async function deleteFtpUser(rawInput: DeleteFtpUserInput, settings: RunSettings = {}): Promise<DeleteFtpUserResult> {
  const parsedByStarter = startedByOvhflow('ftp-user-delete');
  const serviceIndexed = setAtStart(SERVICE_NAME);
  const run = new RunControl('ftp-user-delete', FTP_USER_DELETE_STEPS, {
    unskippable: ['preflight', 'confirm', 'deleteUser'],
    nothingToUndo: 'a deleted FTP/SSH user cannot be brought back: create it again with ovhflow ftp-user',
  });
  // Confirmed at start: the starters parsed the input (a raw start confirms only with a real `true`).
  const confirmation = new Confirmation(run, (rawInput as { confirmed?: unknown } | null)?.confirmed === true);
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedDeleteFtpUserInput,
      parse: (raw) => lookup.parseDeleteFtpUserInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    const { serviceName, login } = input;
    if (!serviceIndexed) upsertSearchAttributes([{ key: SERVICE_NAME, value: serviceName }]);

    const preflight = await run.step('preflight', async (step) => {
      const user = await ovh.preflightExistingFtpUser({ serviceName, login });
      step.note(`${login}: home ./${user.home}, ssh ${user.sshState}`);
      return user;
    });
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const user = preflight.value;
    if (user.isPrimaryAccount) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.refused,
        nonRetryable: true,
        message: `refused, nothing was deleted: ${login} is the primary FTP/SSH login of ${serviceName}; it goes with the hosting and cannot be deleted (change its password with ovhflow rotate ftp-user instead).`,
      });
    }

    const id = workflowInfo().workflowId;
    const confirmedBy = await confirmation.wait(
      `deletes FTP/SSH user ${login} (home ./${user.home}, ssh ${user.sshState}) on ${serviceName}; its files stay: waiting for a confirmation`,
      `confirm with \`ovhflow confirm ${id}\`, or stop with \`ovhflow abort ${id}\``,
    );

    const deleted = await run.step('deleteUser', async (step) => {
      // The same settle-delete-wait every undo uses: a user busy with a task is deleted once it settles.
      const outcome = await removeCreated(serviceName, { kind: 'user', login }, deadline, settings.poll)();
      step.note(outcome === 'absent' ? `${login} was already gone` : `${login} deleted`);
      return outcome;
    });
    if (deleted.outcome === 'skipped') throw ApplicationFailure.nonRetryable('deleteUser cannot be skipped', FAILURE_TYPES.bug);
    return { serviceName, deleted: user, alreadyGone: deleted.value === 'absent', confirmedBy };
  });
}
