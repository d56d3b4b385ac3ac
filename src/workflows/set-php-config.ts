// setPhpConfig: a folder's `.ovhconfig` brought to the asked PHP engine, version, environment, HTTP firewall and
// container. Preflight reads the configuration and what the hosting offers, and refuses (nothing written) a version
// or container it does not offer; apply sends one `changeConfiguration` with what differs and waits for OVH's
// `ovhConfig/update` task; verify reads the result. Nothing to change is a completed run with zero writes. Abort or
// cancel once the change was sent puts the old configuration back through `rollback` (registered before the write).
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import type { SetPhpConfigInput } from '../shared/inputs/php-config.js';
import { isParsedSetPhpConfigInput } from '../shared/inputs/shapes.js';
import { PHP_CONFIG_STEPS, folderName, phpOfferRefusal, phpSettingChanges, type SetPhpConfigResult } from '../shared/php-config.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { describePhp, rollBackPhpConfig, settlePhpConfig, type PhpTarget } from './php-config-steps.js';
import { RunControl } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export async function setPhpConfig(rawInput: SetPhpConfigInput, settings: RunSettings = {}): Promise<SetPhpConfigResult> {
  const parsedByStarter = startedByOvhflow('php');
  const run = new RunControl('php', PHP_CONFIG_STEPS, { unskippable: ['preflight', 'apply'] });
  let input = rawInput;
  const deadline = () => input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const poll = settings.poll ?? DEFAULT_POLL_SCHEDULE;

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedSetPhpConfigInput,
      parse: (raw) => lookup.parseRunInput('php', raw) as Promise<ParseResult<SetPhpConfigInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const { serviceName, path } = input;
    const target: PhpTarget = { serviceName, path, deadline, poll };
    const where = `${folderName(path)} of ${serviceName}`;

    // 1. preflight: the configuration now (once any task on it has ended) and what the hosting offers.
    const read = await run.step('preflight', async (step) => {
      let found = await ovh.readPhpConfigPreflight({ serviceName, path });
      if (found.config.status !== 'created') {
        step.waitingFor({ id: found.config.taskId ?? 0, function: `ovhConfig (${found.config.status})` });
        await waitingActivities(deadline(), settings.poll).waitForResource({ serviceName, resource: { kind: 'ovhConfig', id: found.config.id }, expect: 'present' });
        found = await ovh.readPhpConfigPreflight({ serviceName, path });
      }
      step.note(`configuration ${found.config.id}: ${describePhp(found.config.settings)}`);
      return found;
    });
    if (read.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const { config, capabilities } = read.value;
    const before = config.settings;

    const refusal = phpOfferRefusal(capabilities, before, input);
    if (refusal) {
      throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, nothing was changed: ${refusal} (${where})` });
    }

    const changes = phpSettingChanges(before, input);
    if (changes.length === 0) {
      run.skip('apply', `nothing to change: ${folderName(path)} already has these settings`);
      run.skip('verify', 'nothing was changed');
      return { serviceName, path, configId: config.id, changed: false, changes: [], before, after: before };
    }

    // 2. apply: one changeConfiguration with what differs, then OVH's task.
    const applied = await run.step('apply', async (step) => {
      run.willUndo(`roll the .ovhconfig of ${folderName(path)} back to ${describePhp(before)}`, rollBackPhpConfig(target, config.id, before));
      const change = Object.fromEntries(changes.map((c) => [c.field, c.asked]));
      const { taskId, adopted } = await ovh.changePhpConfig({ serviceName, id: config.id, change });
      if (taskId) {
        step.waitingFor({ id: taskId, function: 'ovhConfig/update' });
        await settlePhpConfig(target, config.id, taskId);
      }
      step.note(`${changes.map((c) => `${c.field}: ${c.found} → ${c.asked}`).join(', ')}${adopted ? ' (change sent by an earlier attempt)' : ''}`);
    });
    if (applied.outcome === 'skipped') return { serviceName, path, configId: config.id, changed: false, changes: [], before, after: before };

    // 3. verify: OVH has every asked setting.
    const verified = await run.step('verify', async (step) => {
      const now = await ovh.readPhpConfig({ serviceName, id: config.id });
      const missing = phpSettingChanges(now.settings, input);
      if (missing.length > 0) {
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.resourceNotReady,
          nonRetryable: true,
          message: `OVH's task ended but the configuration still has ${missing.map((c) => `${c.field} ${c.found}`).join(', ')}`,
        });
      }
      step.note(describePhp(now.settings));
      return now.settings;
    });
    return { serviceName, path, configId: config.id, changed: true, changes, before, after: verified.outcome === 'skipped' ? before : verified.value };
  });
}
