// createFtpUser: check the login against the hosting's primary login, create the user, wait for OVH.
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { FTP_USER_STEPS, type CreateFtpUserResult } from '../shared/ftp-user.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { CreateFtpUserInput } from '../shared/inputs/ftp-user.js';
import { isParsedCreateFtpUserInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { RunControl } from './run-control.js';
import { runSecretRef } from './run-secrets.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export async function createFtpUser(rawInput: CreateFtpUserInput, settings: RunSettings = {}): Promise<CreateFtpUserResult> {
  // Parsed by the starters; a run started any other way is parsed before anything (run-inputs.ts).
  const parsedByStarter = startedByOvhflow('ftp-user');
  const run = new RunControl('ftp-user', FTP_USER_STEPS, { unskippable: ['preflight', 'createUser'] });
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedCreateFtpUserInput,
      parse: (raw) => lookup.parseCreateFtpUserInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const preflight = await run.step('preflight', () => ovh.preflightFtpUser(input));
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const secret = runSecretRef(preflight.value.secretKeyId);
    const created = await run.step('createUser', async (step) => {
      const target = { serviceName: input.serviceName, login: input.login, home: input.home, sshState: input.sshState };
      const existing = await lookup.inspectFtpUser(target);
      if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, FAILURE_TYPES.settingsConflict);
      if (existing.state === 'matching' && existing.status === 'created') {
        step.adopted(`user ${input.login} already existed with these settings`);
        return { adopted: true };
      }
      // Registered before the create: if the create succeeds and the wait fails, an abort still removes the user.
      if (existing.state === 'absent') {
        run.willUndo(`delete user ${input.login}`, removeCreated(input.serviceName, { kind: 'user', login: input.login }, deadline, settings.poll));
      }
      const { taskId } = await ovh.createFtpUser({ run: secret, ...target, ...(input.password ? { password: input.password } : {}) });
      if (taskId) {
        step.waitingFor({ id: taskId });
        await waitingActivities(deadline(), settings.poll).waitForHostingTask({
          serviceName: input.serviceName,
          taskId,
          resource: { kind: 'user', login: input.login },
          expect: 'present',
          poll: settings.poll ?? DEFAULT_POLL_SCHEDULE,
        });
      }
      step.note(`${input.login} confined to ./${input.home}, ssh ${input.sshState}`);
      return { adopted: existing.state === 'matching' };
    });
    if (created.outcome === 'skipped') throw ApplicationFailure.nonRetryable('createUser cannot be skipped', FAILURE_TYPES.bug);
    const password = created.value.adopted || input.password ? undefined : await ovh.generatedFtpPassword({ run: secret, login: input.login });
    return {
      serviceName: input.serviceName,
      login: input.login,
      home: input.home,
      sshState: input.sshState,
      ...(password ? { password } : {}),
      adopted: created.value.adopted,
    };
  });
}
