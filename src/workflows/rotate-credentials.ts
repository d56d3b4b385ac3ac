// rotateCredentials: a new password for one account of a hosting — an FTP/SSH user, a database user, or an installed
// module's administrator — set once per run and delivered like provisioning's passwords (derived from the run's key,
// encrypted in history, masked by the CLI unless asked). A database a CMS uses is refused unless the caller said
// `evenIfUsedByCms`: the site breaks until its configuration gets the new password, and OVH has no call to update it.
// Nothing to undo on abort: a password change cannot be taken back (rotate again for another one).
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings, type TrackedResource } from '../shared/hosting-tasks.js';
import type { RotateCredentialsInput } from '../shared/inputs/rotate.js';
import { isParsedRotateCredentialsInput } from '../shared/inputs/shapes.js';
import { CHANGE_PASSWORD_TASK, type ResolvedRotationTarget, type RotateCredentialsResult, ROTATE_STEPS } from '../shared/rotate.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { RunControl } from './run-control.js';
import { runSecretRef } from './run-secrets.js';
import { runInput, setAtStart, startedByOvhflow } from './run-inputs.js';

export function describeRotationTarget(target: ResolvedRotationTarget): string {
  switch (target.kind) {
    case 'ftp-user':
      return `FTP/SSH user ${target.login}${target.isPrimaryAccount ? ' (the primary login)' : ''}`;
    case 'database':
      return `database user ${target.user} (database ${target.name})`;
    case 'module':
      return `admin ${target.adminName} of module ${target.id} (${target.url})`;
  }
}

function resourceOf(target: ResolvedRotationTarget): TrackedResource {
  if (target.kind === 'ftp-user') return { kind: 'user', login: target.login };
  if (target.kind === 'database') return { kind: 'database', name: target.name };
  return { kind: 'module', domain: target.domain, path: target.path };
}

export async function rotateCredentials(rawInput: RotateCredentialsInput, settings: RunSettings = {}): Promise<RotateCredentialsResult> {
  const parsedByStarter = startedByOvhflow('rotate');
  const serviceIndexed = setAtStart(SERVICE_NAME);
  const run = new RunControl('rotate', ROTATE_STEPS, {
    unskippable: ['preflight', 'changePassword'],
    nothingToUndo: 'a password change cannot be taken back: rotate again for another one',
  });
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedRotateCredentialsInput,
      parse: (raw) => lookup.parseRotateCredentialsInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    const { serviceName } = input;
    if (!serviceIndexed) upsertSearchAttributes([{ key: SERVICE_NAME, value: serviceName }]);

    const preflight = await run.step('preflight', async (step) => {
      const found = await ovh.preflightRotation(input);
      const users = found.usedBy.map((m) => `module ${m.moduleId} (${m.url})`).join(', ');
      step.note(`${describeRotationTarget(found.target)}${users ? `; used by ${users}` : ''}`);
      return found;
    });
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const { target, usedBy, preexistingTasks, secretKeyId } = preflight.value;

    if (target.kind === 'database' && usedBy.length > 0 && !(input.target.kind === 'database' && input.target.evenIfUsedByCms)) {
      const sites = usedBy.map((m) => `module ${m.moduleId} (${m.url})`).join(', ');
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.refused,
        nonRetryable: true,
        message:
          `refused, nothing was changed: database ${target.name} on ${serviceName} is used by ${sites}. A new password breaks ` +
          `${usedBy.length > 1 ? 'these sites' : 'this site'} until ${usedBy.length > 1 ? 'their' : 'its'} configuration gets it (OVH does not update it). ` +
          'To rotate anyway, start again with --even-if-used-by-cms (API: "evenIfUsedByCms": true), then put the new password in the CMS configuration.',
      });
    }

    const secret = runSecretRef(secretKeyId);
    let tries = 0;
    const changed = await run.step('changePassword', async (step) => {
      tries += 1;
      const { taskId, adopted } = await ovh.changePassword({ run: secret, serviceName, target, preexistingTasks, checkExisting: tries > 1 });
      step.waitingFor({ id: taskId, function: CHANGE_PASSWORD_TASK[target.kind] });
      await waitingActivities(deadline(), settings.poll).waitForHostingTask({
        serviceName,
        taskId,
        resource: resourceOf(target),
        expect: 'present',
        poll: settings.poll ?? DEFAULT_POLL_SCHEDULE,
      });
      const delivery = target.kind === 'module' ? 'OVH e-mailed the new password to the account contact' : 'new password in the result';
      step.note(`password of ${describeRotationTarget(target)} changed (task ${taskId}${adopted ? ', started by an earlier attempt' : ''}); ${delivery}`);
      return taskId;
    });
    if (changed.outcome === 'skipped') throw ApplicationFailure.nonRetryable('changePassword cannot be skipped', FAILURE_TYPES.bug);

    const password = target.kind === 'module' ? undefined : await ovh.rotatedPassword({ run: secret, target });
    return {
      serviceName,
      target,
      ...(password ? { password } : {}),
      passwordDelivery: target.kind === 'module' ? 'emailed-by-ovh' : 'result',
      ...(target.kind === 'database' && usedBy.length > 0 ? { usedBy } : {}),
      taskId: changed.value,
    };
  });
}
