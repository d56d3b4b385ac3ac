// updateFtpUser: change an FTP/SSH user's home and/or SSH access (`PUT /user/{login}`), wait for OVH's task, and check
// the user really has the new settings. Nothing to undo on abort: the run only changes settings the caller asked for.
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { FTP_USER_UPDATE_STEPS, type FtpUserView, type UpdateFtpUserResult } from '../shared/ftp-user.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { UpdateFtpUserInput } from '../shared/inputs/ftp-user.js';
import { isParsedUpdateFtpUserInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { RunControl } from './run-control.js';
import { runInput, setAtStart, startedByOvhflow } from './run-inputs.js';

const bareHome = (home: string) => home.replace(/^\.\//, '').replace(/\/+$/, '') || '.';

export async function updateFtpUser(rawInput: UpdateFtpUserInput, settings: RunSettings = {}): Promise<UpdateFtpUserResult> {
  const parsedByStarter = startedByOvhflow('ftp-user-update');
  const serviceIndexed = setAtStart(SERVICE_NAME);
  const run = new RunControl('ftp-user-update', FTP_USER_UPDATE_STEPS, {
    unskippable: ['preflight', 'updateUser'],
    nothingToUndo: 'a settings change is not undone: run ftp-user update again with the previous settings',
  });
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedUpdateFtpUserInput,
      parse: (raw) => lookup.parseUpdateFtpUserInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    const { serviceName, login } = input;
    if (!serviceIndexed) upsertSearchAttributes([{ key: SERVICE_NAME, value: serviceName }]);
    const wanted = (user: FtpUserView) => ({ home: input.home ?? user.home, sshState: input.sshState ?? user.sshState });

    const preflight = await run.step('preflight', async (step) => {
      const user = await ovh.preflightExistingFtpUser({ serviceName, login });
      step.note(`${login}: home ./${bareHome(user.home)}, ssh ${user.sshState}${user.isPrimaryAccount ? ' (the primary login)' : ''}`);
      return user;
    });
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const before = preflight.value;
    if (before.isPrimaryAccount && input.home !== undefined && bareHome(input.home) !== bareHome(before.home)) {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.refused,
        nonRetryable: true,
        message: `refused, nothing was changed: ${login} is the primary login of ${serviceName}, whose home is the whole hosting (./${bareHome(before.home)}); OVH does not let it move. Change its SSH access alone, or create another user with ovhflow ftp-user.`,
      });
    }

    const updated = await run.step('updateUser', async (step) => {
      const { taskId, changed } = await ovh.updateFtpUser({ serviceName, login, ...(input.home !== undefined ? { home: input.home } : {}), ...(input.sshState ? { sshState: input.sshState } : {}) });
      if (!changed) {
        step.adopted(`${login} already had home ./${bareHome(before.home)} and ssh ${before.sshState}`);
        return { after: before, changed };
      }
      const waiting = waitingActivities(deadline(), settings.poll);
      const resource = { kind: 'user' as const, login };
      if (taskId) {
        step.waitingFor({ id: taskId, function: 'user/update' });
        await waiting.waitForHostingTask({ serviceName, taskId, resource, expect: 'present', poll: settings.poll ?? DEFAULT_POLL_SCHEDULE });
      } else {
        await waiting.waitForResource({ serviceName, resource, expect: 'present' });
      }
      const after = await lookup.readFtpUser({ serviceName, login });
      const target = wanted(before);
      if (!after || bareHome(after.home) !== bareHome(target.home) || after.sshState !== target.sshState) {
        // Another change ran on this user meanwhile (ours waited for it): retry to apply ours.
        throw ApplicationFailure.nonRetryable(
          `user ${login} is ${after ? `at home ./${bareHome(after.home)}, ssh ${after.sshState}` : 'gone'} after the change, not home ./${bareHome(target.home)}, ssh ${target.sshState}`,
          FAILURE_TYPES.settingsConflict,
        );
      }
      step.note(`${login}: home ./${bareHome(after.home)}, ssh ${after.sshState}`);
      return { after, changed };
    });
    if (updated.outcome === 'skipped') throw ApplicationFailure.nonRetryable('updateUser cannot be skipped', FAILURE_TYPES.bug);
    const { after, changed } = updated.value;
    return {
      serviceName,
      login,
      before: { home: before.home, sshState: before.sshState },
      after: { home: after.home, sshState: after.sshState },
      unchanged: !changed,
    };
  });
}
