// updateAttachedDomain: read the domain, change what differs with one PUT, wait for OVH's `attachedDomain/update`
// task, report before and after. Nothing to change is a completed run with zero writes. Abort puts the old settings
// back once the PUT was sent (compensation registered before it).
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { DOMAIN_UPDATE_STEPS, type AttachedDomainChange, type UpdateAttachedDomainResult } from '../shared/domain-update.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import { attachedDomainDifferences, type AttachedDomainSettings, type SettingDifference } from '../shared/inputs/attached-domain.js';
import type { UpdateAttachedDomainInput } from '../shared/inputs/domain-update.js';
import { isParsedUpdateAttachedDomainInput } from '../shared/inputs/shapes.js';
import { DOMAIN, SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { RunControl, type Undo } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export async function updateAttachedDomain(rawInput: UpdateAttachedDomainInput, settings: RunSettings = {}): Promise<UpdateAttachedDomainResult> {
  const parsedByStarter = startedByOvhflow('update-domain');
  const run = new RunControl('update-domain', DOMAIN_UPDATE_STEPS, { unskippable: ['read'] });
  let input = rawInput;
  const deadline = () => input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const poll = settings.poll ?? DEFAULT_POLL_SCHEDULE;
  const target = () => ({ serviceName: input.serviceName, domain: input.domain });

  /** Sends a change and waits until OVH's task applied it and the domain is `created` again. */
  const apply = async (change: AttachedDomainChange, step?: { waitingFor: (task: { id: number; function?: string }) => void }) => {
    const { taskId } = await ovh.updateAttachedDomain({ ...target(), change });
    if (!taskId) return;
    step?.waitingFor({ id: taskId, function: 'attachedDomain/update' });
    await waitingActivities(deadline(), settings.poll).waitForHostingTask({
      ...target(),
      taskId,
      resource: { kind: 'attachedDomain', domain: input.domain },
      expect: 'present',
      poll,
    });
  };

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedUpdateAttachedDomainInput,
      parse: (raw) => lookup.parseUpdateAttachedDomainInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    upsertSearchAttributes([
      { key: SERVICE_NAME, value: input.serviceName },
      { key: DOMAIN, value: input.domain },
    ]);

    // 1. read: what the domain has now. Busy with another task: wait for it first (a PUT would be refused).
    const read = await run.step('read', async (step) => {
      const found = await ovh.readAttachedDomain(target());
      if (found.status === 'created') return found.settings;
      step.waitingFor({ id: found.taskId ?? 0, function: `attachedDomain (${found.status})` });
      await waitingActivities(deadline(), settings.poll).waitForResource({ ...target(), resource: { kind: 'attachedDomain', domain: input.domain }, expect: 'present' });
      return (await ovh.readAttachedDomain(target())).settings;
    });
    if (read.outcome === 'skipped') throw ApplicationFailure.nonRetryable('read cannot be skipped', FAILURE_TYPES.bug);
    const before = read.value;

    const changes = attachedDomainDifferences(before, input);
    if (changes.length === 0) {
      run.skip('update', `nothing to change: ${input.domain} already has these settings`);
      return { ...target(), changed: false, changes: [], before, after: before };
    }

    // 2. update: one PUT with what differs, then OVH's task.
    const updated = await run.step('update', async (step) => {
      run.willUndo(`put back the settings of ${input.domain} (${changes.map((c) => `${c.field} ${c.found}`).join(', ')})`, putBack(before, changes));
      await apply(changeOf(input, changes), step);
      step.note(changes.map((c) => `${c.field}: ${c.found} → ${c.asked}`).join(', '));
      return (await ovh.readAttachedDomain(target())).settings;
    });
    if (updated.outcome === 'skipped') {
      return { ...target(), changed: false, changes: [], before, after: before };
    }
    return { ...target(), changed: true, changes, before, after: updated.value };
  });

  /**
   * The compensation of the PUT: once OVH has settled the domain, send back the old value of every setting that no
   * longer has it. A PUT that never reached OVH (or whose task was cancelled) left nothing to undo.
   */
  function putBack(before: AttachedDomainSettings, changes: readonly SettingDifference[]): Undo {
    return async () => {
      let now = await ovh.readAttachedDomain(target());
      if (now.status !== 'created') {
        await waitingActivities(deadline(), settings.poll).waitForResource({ ...target(), resource: { kind: 'attachedDomain', domain: input.domain }, expect: 'present' });
        now = await ovh.readAttachedDomain(target());
      }
      const fields = changes.map((c) => c.field);
      const drifted = fields.filter((field) => now.settings[field] !== before[field]);
      if (drifted.length === 0) return 'absent';
      await apply(Object.fromEntries(drifted.map((field) => [field, before[field]])));
      return 'undone';
    };
  }
}

/** The PUT's body: each setting that differs, as asked; `bypassDNSConfiguration` rides along when given. */
function changeOf(input: UpdateAttachedDomainInput, changes: readonly SettingDifference[]): AttachedDomainChange {
  const change: Record<string, unknown> = {};
  for (const { field } of changes) change[field] = input[field];
  if (input.bypassDNSConfiguration !== undefined) change.bypassDNSConfiguration = input.bypassDNSConfiguration;
  return change;
}
