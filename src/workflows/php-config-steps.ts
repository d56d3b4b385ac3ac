// The `.ovhconfig` change as a step of any run: `php set`'s own run (setPhpConfig) and a provisioning that asks for its
// site's PHP settings share the refusal, the change, the wait and the rollback, so both judge and undo alike.
import { ApplicationFailure } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { PollSchedule } from '../shared/hosting-tasks.js';
import type { PhpSettings } from '../shared/inputs/php-config.js';
import { folderName, phpSettingChanges, type PhpConfigSettings, type PhpSettingChange } from '../shared/php-config.js';
import { ovh, waitingActivities } from './activity-options.js';
import type { RunControl, StepHandle, Undo } from './run-control.js';

export interface PhpTarget {
  serviceName: string;
  path: string;
  /** Minutes a wait may take (the run's step deadline, read when the wait starts). */
  deadline: () => number;
  poll?: PollSchedule;
}

export function describePhp(settings: PhpConfigSettings): string {
  return `${settings.engineName} ${settings.engineVersion}, ${settings.environment}, firewall ${settings.httpFirewall}, container ${settings.container}`;
}

/** Waits until OVH's task on the configuration has ended and the configuration is `created` again. */
export async function settlePhpConfig(target: PhpTarget, id: number, taskId: number): Promise<void> {
  await waitingActivities(target.deadline(), target.poll).waitForHostingTask({
    serviceName: target.serviceName,
    taskId,
    resource: { kind: 'ovhConfig', id },
    expect: 'present',
    ...(target.poll ? { poll: target.poll } : {}),
  });
}

/**
 * The compensation of a change: once OVH has settled the configuration, back to what it was (OVH's `rollback`). A
 * change that never reached OVH, or whose task was cancelled, left nothing to undo.
 */
export function rollBackPhpConfig(target: PhpTarget, id: number, to: PhpConfigSettings): Undo {
  return async () => {
    const now = await ovh.readPhpConfig({ serviceName: target.serviceName, id });
    if (now.status !== 'created') {
      await waitingActivities(target.deadline(), target.poll).waitForResource({ serviceName: target.serviceName, resource: { kind: 'ovhConfig', id }, expect: 'present' });
    }
    const back = await ovh.rollbackPhpConfig({ serviceName: target.serviceName, id, path: target.path, to });
    if (back.outcome === 'absent') return 'absent';
    await settlePhpConfig(target, id, back.taskId);
    return 'undone';
  };
}

/**
 * Inside one step: sends the settings that differ (the rollback registered first), waits for OVH's task and checks
 * the result. The caller has read the configuration and refused what the hosting does not offer.
 */
export async function changePhpSettings(
  run: RunControl,
  step: StepHandle,
  target: PhpTarget,
  config: { id: number; settings: PhpConfigSettings },
  changes: PhpSettingChange[],
  asked: PhpSettings,
): Promise<PhpConfigSettings> {
  run.willUndo(`roll the .ovhconfig of ${folderName(target.path)} back to ${describePhp(config.settings)}`, rollBackPhpConfig(target, config.id, config.settings));
  const change = Object.fromEntries(changes.map((c) => [c.field, c.asked]));
  const { taskId, adopted } = await ovh.changePhpConfig({ serviceName: target.serviceName, id: config.id, change });
  if (taskId) {
    step.waitingFor({ id: taskId, function: 'ovhConfig/update' });
    await settlePhpConfig(target, config.id, taskId);
  }
  const now = await ovh.readPhpConfig({ serviceName: target.serviceName, id: config.id });
  const missing = phpSettingChanges(now.settings, asked);
  if (missing.length > 0) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.resourceNotReady,
      nonRetryable: true,
      message: `OVH's task ended but the configuration still has ${missing.map((c) => `${c.field} ${c.found}`).join(', ')}`,
    });
  }
  step.note(`${changes.map((c) => `${c.field}: ${c.found} → ${c.asked}`).join(', ')}${adopted ? ' (change sent by an earlier attempt)' : ''}`);
  return now.settings;
}
