// provisionSite: attach the domain -> create the database -> install the module wired to it -> HTTPS.
// Every step is ensure-then-wait; a permanent failure waits for an operator; abort undoes, in reverse order, only
// what this run created.
import { ApplicationFailure, log, proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings, type WaitForTaskInput } from '../shared/hosting-tasks.js';
import {
  applyProvisionSitePatch,
  formatIssues,
  parseProvisionSiteInput,
  parseSetArguments,
  type ProvisionSiteInput,
} from '../shared/inputs/index.js';
import { PROVISION_STEPS, type ProvisionSiteResult, type ProvisioningContext } from '../shared/provision.js';
import { RUN_ABORTED } from '../shared/runs.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DOMAIN, SERVICE_NAME } from '../shared/search-attributes.js';
import { AbortRequested, RunControl } from './run-control.js';
import { waitingActivities } from './waiting.js';

/** Calls that answer quickly: a few retries for transient errors, then the step asks an operator. */
const ovh = proxyActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/**
 * Read-only lookups (inspect, describe) run as local activities: one marker event each instead of an activity's
 * three plus a workflow task, which keeps a whole provisioning well under 100 history events.
 */
const lookup = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});


interface Compensation {
  what: string;
  undo: () => Promise<void>;
}

export async function provisionSite(rawInput: ProvisionSiteInput, settings: RunSettings = {}): Promise<ProvisionSiteResult> {
  // The CLI and the API validate before starting; a run started any other way is validated here, before anything.
  const parsed = parseProvisionSiteInput(rawInput);
  if (!parsed.ok) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidInput, nonRetryable: true, message: `invalid input, nothing was done:\n${formatIssues(parsed.issues)}` });
  }
  let input = parsed.value;
  const run = new RunControl('provision', PROVISION_STEPS, {
    unskippable: ['preflight'],
    validateCorrections: (set) => {
      const patch = parseSetArguments(set);
      if (!patch.ok) return formatIssues(patch.issues);
      const patched = applyProvisionSitePatch(input, patch.value);
      return patched.ok ? undefined : formatIssues(patched.issues);
    },
    applyCorrections: (set) => {
      const patch = parseSetArguments(set);
      if (!patch.ok) return;
      const patched = applyProvisionSitePatch(input, patch.value);
      if (patched.ok) input = patched.value;
    },
  });
  upsertSearchAttributes([
    { key: SERVICE_NAME, value: input.serviceName },
    { key: DOMAIN, value: input.domain },
  ]);
  const compensations: Compensation[] = [];
  const skipped: string[] = [];
  const deadline = () => input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const waiting = (minutes: number) => waitingActivities(minutes, settings.poll);
  const waitFor = async (step: { waitingFor: (t: { id: number }) => void }, task: Omit<WaitForTaskInput, 'serviceName'>) => {
    step.waitingFor({ id: task.taskId });
    await waiting(deadline()).waitForHostingTask({ serviceName: input.serviceName, ...task });
  };

  try {
    // 1. preflight: zero writes.
    const preflight = await run.step('preflight', () => ovh.preflightProvisioning(input));
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', 'OvhflowBug');
    let context: ProvisioningContext = preflight.value;
    // Fixed at preflight: a key rotation during the run must not change the passwords it derives.
    const runKey = { runKey: workflowInfo().workflowId, keyId: context.secretKeyId };

    // 2. attach the domain.
    const sslOn = input.ssl.mode !== 'none';
    const domainStep = await run.step('attachDomain', async (step) => {
      const args = { serviceName: input.serviceName, domain: input.domain, path: input.path, ssl: sslOn };
      const existing = await lookup.inspectAttachedDomain(args);
      if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, 'OvhflowSettingsConflict');
      if (existing.state === 'matching' && existing.status === 'created') {
        step.adopted(`${input.domain} was already attached with these settings`);
        return { adopted: true };
      }
      if (existing.state === 'absent') {
        compensations.push({
          what: `detach ${input.domain}`,
          undo: async () => {
            const { taskId } = await ovh.detachDomain({ serviceName: input.serviceName, domain: input.domain });
            if (taskId) await waiting(deadline()).waitForHostingTask({ serviceName: input.serviceName, taskId, resource: { kind: 'attachedDomain', domain: input.domain }, expect: 'absent' });
          },
        });
      }
      const { taskId } = await ovh.attachDomain(args);
      if (taskId) await waitFor(step, { taskId, resource: { kind: 'attachedDomain', domain: input.domain }, expect: 'present' });
      step.note(`${input.domain} attached to ./${input.path}`);
      return { adopted: existing.state === 'matching' };
    });
    if (domainStep.outcome === 'skipped') skipped.push('attachDomain');

    // 3. the database.
    let database: ProvisionSiteResult['database'];
    if (!input.database) {
      run.skip('createDatabase', 'no database requested');
    } else {
      const dbStep = await run.step('createDatabase', async (step) => {
        // Corrections may change the database settings: preflight's user may be stale after a retry --set.
        if (!context.databaseUser || (input.database?.userSuffix && !context.databaseUser.endsWith(input.database.userSuffix))) {
          context = { ...(await ovh.preflightProvisioning(input)), secretKeyId: context.secretKeyId };
        }
        const spec = input.database!;
        const user = context.databaseUser!;
        const existing = await lookup.inspectDatabase({ serviceName: input.serviceName, user, spec });
        if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, 'OvhflowSettingsConflict');
        let adopted = false;
        if (existing.state === 'matching') {
          adopted = true;
          step.adopted(`database ${existing.name} (user ${user}) already existed`);
          if (existing.status !== 'created') {
            await waitFor(step, { taskId: 0, resource: { kind: 'database', name: existing.name }, expect: 'present' }).catch(() => undefined);
          }
        } else {
          compensations.push({
            what: `delete database of ${user}`,
            undo: async () => {
              const db = await lookup.describeDatabase({ runKey, serviceName: input.serviceName, user, withPassword: false }).catch(() => undefined);
              if (!db) return;
              const { taskId } = await ovh.deleteDatabase({ serviceName: input.serviceName, name: db.name });
              if (taskId) await waiting(deadline()).waitForHostingTask({ serviceName: input.serviceName, taskId, resource: { kind: 'database', name: db.name }, expect: 'absent' });
            },
          });
          const created = await ovh.createDatabase({ runKey, serviceName: input.serviceName, user, spec });
          if (created.taskId) {
            const name = created.name ?? user;
            await waitFor(step, { taskId: created.taskId, resource: { kind: 'database', name }, expect: 'present' });
          }
        }
        const db = await lookup.describeDatabase({ runKey, serviceName: input.serviceName, user, withPassword: !adopted });
        if (!adopted) step.note(`database ${db.name} on ${db.server}:${db.port}`);
        return { ...db, adopted };
      });
      if (dbStep.outcome === 'skipped') skipped.push('createDatabase');
      else database = dbStep.value;
    }

    // 4. the module, wired to the database as its mysql dependency.
    let module: ProvisionSiteResult['module'];
    if (!input.module) {
      run.skip('installModule', 'no module requested');
    } else if (!database) {
      run.skip('installModule', 'the module needs the database, which was skipped');
      skipped.push('installModule');
    } else {
      const db = database;
      const moduleStep = await run.step('installModule', async (step) => {
        if (!context.module) context = { ...(await ovh.preflightProvisioning(input)), secretKeyId: context.secretKeyId };
        const catalog = context.module!;
        const target = { serviceName: input.serviceName, domain: input.domain, path: input.path };
        const existing = await lookup.inspectModule({ ...target, moduleId: catalog.id });
        if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, 'OvhflowSettingsConflict');
        const adopted = existing.state === 'matching' && existing.status === 'created';
        if (adopted) {
          step.adopted(`${catalog.name} was already installed at ${input.domain}`);
        } else {
          if (existing.state === 'absent') {
            compensations.push({
              what: `uninstall ${catalog.name} from ${input.domain}`,
              undo: async () => {
                const { taskId } = await ovh.deleteModule(target);
                if (taskId) await waiting(deadline()).waitForHostingTask({ serviceName: input.serviceName, taskId, resource: { kind: 'module', domain: input.domain, path: input.path }, expect: 'absent' });
              },
            });
          }
          const { taskId } = await ovh.installModule({
            runKey,
            ...target,
            moduleId: catalog.id,
            language: input.module?.language,
            adminName: input.module?.adminName ?? 'admin',
            database: { name: db.name, server: db.server, port: db.port, user: db.user },
          });
          if (taskId) await waitFor(step, { taskId, resource: { kind: 'module', domain: input.domain, path: input.path }, expect: 'present' });
        }
        const installed = await lookup.describeModule({ runKey, ...target, withPassword: !adopted });
        if (!adopted) step.note(`${catalog.name} ${catalog.version} at ${installed.url}`);
        return { ...installed, name: catalog.name, adopted };
      });
      if (moduleStep.outcome === 'skipped') skipped.push('installModule');
      else module = moduleStep.value;
    }

    // 5. HTTPS.
    let ssl: ProvisionSiteResult['ssl'];
    if (input.ssl.mode === 'none') {
      run.skip('ssl', 'ssl mode none');
    } else {
      const sslStep = await run.step('ssl', async (step) => {
        const target = { serviceName: input.serviceName, domain: input.domain };
        const current = await lookup.inspectSsl(target);
        let action: NonNullable<ProvisionSiteResult['ssl']>['action'];
        if (current.exists && current.covers && current.status === 'created') {
          step.adopted(`the hosting's ${current.provider} certificate already covers ${input.domain}`);
          return { status: current.status, provider: current.provider, action: 'adopted' as const };
        }
        if (!current.exists) {
          compensations.push({ what: 'remove the certificate', undo: async () => void (await ovh.deleteSsl({ serviceName: input.serviceName })) });
          const custom = input.ssl.mode === 'custom' ? { certificate: input.ssl.certificate, key: input.ssl.key, chain: input.ssl.chain } : undefined;
          await ovh.orderSsl({ serviceName: input.serviceName, custom });
          action = custom ? 'installed' : 'ordered';
        } else if (input.ssl.mode === 'custom' && current.provider !== 'CUSTOM') {
          throw ApplicationFailure.nonRetryable(
            `the hosting already has a ${current.provider} certificate; installing a custom one would replace it for every domain`,
            'OvhflowSettingsConflict',
          );
        } else {
          await ovh.regenerateSsl(target);
          action = 'regenerated';
        }
        step.waitingFor({ id: 0, function: action === 'regenerated' ? 'ssl/regenerate' : 'ssl/create' });
        const ready = await waiting(deadline()).waitForSsl(target);
        step.note(`certificate ${action}; covers ${input.domain}`);
        return { ...ready, action };
      });
      if (sslStep.outcome === 'skipped') skipped.push('ssl');
      else ssl = sslStep.value;
    }

    run.completed();
    const domainAdopted = domainStep.outcome === 'adopted' || (domainStep.outcome === 'done' && domainStep.value.adopted);
    return {
      serviceName: input.serviceName,
      domain: { name: input.domain, path: input.path, ssl: sslOn, adopted: domainAdopted },
      ...(database ? { database } : {}),
      ...(module ? { module } : {}),
      ...(ssl ? { ssl } : {}),
      skipped,
    };
  } catch (error) {
    if (error instanceof AbortRequested) {
      const failed = await compensate(compensations);
      run.aborted();
      const undone = [...compensations].reverse().filter((c) => !failed.some((f) => f.what === c.what)).map((c) => c.what);
      const notUndone = failed.map((f) => `${f.what} (${f.reason})`);
      throw ApplicationFailure.create({
        type: RUN_ABORTED,
        nonRetryable: true,
        message:
          `${error.message}; undone: ${undone.join(', ') || (compensations.length === 0 ? 'nothing (this run had created nothing)' : 'nothing')}` +
          (notUndone.length > 0 ? `; COULD NOT UNDO (clean up by hand): ${notUndone.join(', ')}` : ''),
      });
    }
    run.failed();
    throw error;
  }
}

/** In reverse order; one failing undo is logged and reported, and the others still run. */
async function compensate(compensations: Compensation[]): Promise<Array<{ what: string; reason: string }>> {
  const failed: Array<{ what: string; reason: string }> = [];
  for (const compensation of [...compensations].reverse()) {
    try {
      await compensation.undo();
      log.info('compensated', { what: compensation.what });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      log.error('compensation failed', { what: compensation.what, error: reason });
      failed.push({ what: compensation.what, reason });
    }
  }
  return failed;
}
