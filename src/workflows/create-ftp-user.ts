// createFtpUser: check the login against the hosting's primary login, create the user, wait for OVH.
import { ApplicationFailure, proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { FTP_USER_STEPS, type CreateFtpUserResult } from '../shared/ftp-user.js';
import { DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import { formatIssues, parseCreateFtpUserInput, type CreateFtpUserInput } from '../shared/inputs/index.js';
import { RUN_ABORTED } from '../shared/runs.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { AbortRequested, RunControl } from './run-control.js';
import { waitingActivities } from './waiting.js';

const ovh = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});
const lookup = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

export async function createFtpUser(rawInput: CreateFtpUserInput, settings: RunSettings = {}): Promise<CreateFtpUserResult> {
  const parsed = parseCreateFtpUserInput(rawInput);
  if (!parsed.ok) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidInput, nonRetryable: true, message: `invalid input, nothing was done:\n${formatIssues(parsed.issues)}` });
  }
  const input = parsed.value;
  const run = new RunControl('ftp-user', FTP_USER_STEPS, { unskippable: ['preflight', 'createUser'] });
  upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
  try {
    const preflight = await run.step('preflight', () => ovh.preflightFtpUser(input));
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', 'OvhflowBug');
    const secret = { runKey: workflowInfo().workflowId, keyId: preflight.value.secretKeyId };
    const created = await run.step('createUser', async (step) => {
      const target = { serviceName: input.serviceName, login: input.login, home: input.home, sshState: input.sshState };
      const existing = await lookup.inspectFtpUser(target);
      if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, FAILURE_TYPES.settingsConflict);
      if (existing.state === 'matching' && existing.status === 'created') {
        step.adopted(`user ${input.login} already existed with these settings`);
        return { adopted: true };
      }
      const { taskId } = await ovh.createFtpUser({ run: secret, ...target, ...(input.password ? { password: input.password } : {}) });
      if (taskId) {
        step.waitingFor({ id: taskId });
        const deadline = settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
        await waitingActivities(deadline, settings.poll).waitForHostingTask({
          serviceName: input.serviceName,
          taskId,
          resource: { kind: 'user', login: input.login },
          expect: 'present',
        });
      }
      step.note(`${input.login} confined to ./${input.home}, ssh ${input.sshState}`);
      return { adopted: existing.state === 'matching' };
    });
    if (created.outcome === 'skipped') throw ApplicationFailure.nonRetryable('createUser cannot be skipped', 'OvhflowBug');
    const password = created.value.adopted || input.password ? undefined : await ovh.generatedFtpPassword({ run: secret, login: input.login });
    run.completed();
    return {
      serviceName: input.serviceName,
      login: input.login,
      home: input.home,
      sshState: input.sshState,
      ...(password ? { password } : {}),
      adopted: created.value.adopted,
    };
  } catch (error) {
    if (error instanceof AbortRequested) {
      // Nothing to undo: the only write is the user itself, and abort can only happen before it exists.
      run.aborted();
      throw ApplicationFailure.create({ type: RUN_ABORTED, nonRetryable: true, message: error.message });
    }
    run.failed();
    throw error;
  }
}
