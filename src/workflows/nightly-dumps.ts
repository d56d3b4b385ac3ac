// nightlyDumps: every database of every selected hosting service (all of the account's by default), discovered when
// the night runs, is dumped by its own backupDatabase child — `nightly-dump/<service>/<database>/<night>`, so a second
// trigger of the same night never dumps twice — at most `concurrency` at a time (the worker's OVH client keeps the
// calls under the rate limit). A child that needs an operator tells this run, which reports it as failed and goes on:
// the child is abandoned to the operator (`ovhflow retry <its id>`), never waited for, so the night always completes
// and the next one is never blocked.
import { defineSearchAttributeKey, SearchAttributeType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  condition,
  log,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  childNeedsAttentionSignal,
  localDate,
  NIGHTLY_STEPS,
  nightlyChildWorkflowId,
  type NightlyDone,
  type NightlyDumpsResult,
  type NightlyFailed,
  type NightlyOptions,
  type NightlySkipped,
  type NightlyTarget,
  type ServiceDiscovery,
} from '../shared/backups.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { NightlyDumpsInput } from '../shared/inputs/nightly-dumps.js';
import { isParsedNightlyDumpsInput } from '../shared/inputs/shapes.js';
import type { Attention } from '../shared/runs.js';
import { RUN_STATUS, RUN_TYPE, SERVICE_NAME } from '../shared/search-attributes.js';
import { backupDatabase } from './backup-database.js';
import { lookup, ovh } from './activity-options.js';
import { describeFailure, RunControl } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

/** Set by Temporal on runs a schedule starts: the time the schedule meant, not when the run happened to begin. */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Runs `body` over `items`, at most `limit` at a time, in order (deterministic: no timers, no randomness). */
async function eachWithConcurrency<T>(items: readonly T[], limit: number, body: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await body(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

type Discovery = { error: Pick<NightlyFailed, 'failureType' | 'reason'> } | { services: string[]; targets: NightlyTarget[] };

function failureOf(step: string, error: unknown): Pick<NightlyFailed, 'failureType' | 'reason'> {
  const cause = error instanceof ChildWorkflowFailure ? error.cause : error;
  const described = describeFailure(step, cause);
  return { failureType: described.failureType, reason: described.message };
}

export async function nightlyDumps(
  rawInput: NightlyDumpsInput | undefined,
  settings: RunSettings = {},
  options: NightlyOptions = {},
): Promise<NightlyDumpsResult> {
  const attentions = new Map<string, Attention>();
  setHandler(childNeedsAttentionSignal, ({ workflowId, attention }) => {
    attentions.set(workflowId, attention);
  });
  // Nothing to undo on abort or cancel: dumps are kept, and a child already started finishes (or is cancelled with
  // this run) on its own.
  // Parsed by the schedule's creator or the run service; a run started any other way is parsed first (run-inputs.ts).
  const parsedByStarter = startedByOvhflow('nightly');
  const run = new RunControl('nightly', NIGHTLY_STEPS, { nothingToUndo: 'dumps already taken are kept' });
  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedNightlyDumpsInput,
      parse: (raw) => lookup.parseNightlyDumpsInput(raw),
      refusal: 'invalid nightlyDumps input:',
    });
    return dumpTheNight(run, input, settings, options, attentions);
  });
}

async function dumpTheNight(
  run: RunControl,
  input: NightlyDumpsInput,
  settings: RunSettings,
  options: NightlyOptions,
  attentions: Map<string, Attention>,
): Promise<NightlyDumpsResult> {
  const info = workflowInfo();
  const night = options.night ?? localDate(info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime, options.timezone ?? 'UTC');

  const done: NightlyDone[] = [];
  const failed: NightlyFailed[] = [];
  const skipped: NightlySkipped[] = [];

  // 1. Discovery, at run time: tonight's databases, not the ones that existed when the schedule was made.
  const discovery = await run.step('discover', async (step): Promise<Discovery> => {
    let services = input.services;
    if (services.length === 0) {
      try {
        services = await ovh.listHostingServices();
      } catch (error) {
        return { error: failureOf('discover', error) };
      }
    }
    const targets: NightlyTarget[] = [];
    const found = new Map<string, ServiceDiscovery>();
    await eachWithConcurrency(services, input.concurrency, async (serviceName) => {
      try {
        found.set(serviceName, await ovh.discoverDatabases({ serviceName }));
      } catch (error) {
        failed.push({ serviceName, ...failureOf('discover', error) });
      }
    });
    // In the order given (or OVH's), whatever order the answers came in.
    for (const serviceName of services) {
      const service = found.get(serviceName);
      if (!service) continue;
      if (service.state === 'missing') {
        failed.push({ serviceName, failureType: FAILURE_TYPES.notFound, reason: `hosting service ${serviceName} not found for this OVH account` });
      } else if (service.state === 'inactive') {
        skipped.push({ serviceName, reason: `hosting service is ${service.serviceState}, not active: OVH refuses dumps` });
      } else {
        if (service.databases.length === 0) skipped.push({ serviceName, reason: 'no database' });
        for (const databaseName of service.databases) targets.push({ serviceName, databaseName });
      }
    }
    step.note(`${targets.length} database(s) on ${services.length} service(s) for the night of ${night}`);
    return { services, targets };
  });
  if (discovery.outcome === 'skipped') throw ApplicationFailure.nonRetryable('discover cannot be skipped', FAILURE_TYPES.bug);
  if ('error' in discovery.value) {
    const { failureType, reason } = discovery.value.error;
    throw ApplicationFailure.nonRetryable(`cannot list the hosting services: ${reason}`, failureType);
  }
  const { services, targets } = discovery.value;

  // 2. One child per database; a child that needs an operator is reported and left to them.
  await run.step('dumpAll', async (step) => {
    // Databases and services counted apart: a service skipped for having no database is not one of the databases.
    const report = () => {
      const ofDatabases = (list: Array<{ databaseName?: string }>) => list.filter((entry) => entry.databaseName !== undefined).length;
      const services = [
        [failed.length - ofDatabases(failed), 'failed'],
        [skipped.length - ofDatabases(skipped), 'skipped'],
      ] as const;
      const aboutServices = services.filter(([count]) => count > 0).map(([count, what]) => `${count} service(s) ${what}`);
      step.note(
        `${done.length} done, ${ofDatabases(failed)} failed, ${ofDatabases(skipped)} skipped of ${targets.length} database(s)${aboutServices.length > 0 ? `; ${aboutServices.join(', ')}` : ''}`,
      );
    };
    await eachWithConcurrency(targets, input.concurrency, async ({ serviceName, databaseName }) => {
      const workflowId = nightlyChildWorkflowId(serviceName, databaseName, night);
      let child;
      try {
        child = await startChild(backupDatabase, {
          workflowId,
          args: [{ serviceName, databaseName, sendEmail: false }, settings, { notifyParent: true }],
          // A child waiting for an operator outlives this run: it stays retryable after the night's report is out.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // A completed backup of this night is the answer; a failed or aborted one may be run again.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          typedSearchAttributes: [
            { key: RUN_TYPE, value: 'backup' },
            { key: RUN_STATUS, value: 'running' },
            { key: SERVICE_NAME, value: serviceName },
          ],
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          skipped.push({ serviceName, databaseName, workflowId, reason: `already backed up (or being backed up) for the night of ${night}: see \`ovhflow status ${workflowId}\`` });
        } else {
          failed.push({ serviceName, databaseName, workflowId, ...failureOf('dump', error) });
        }
        report();
        return;
      }
      const outcome = await Promise.race([
        child.result().then(
          (result) => ({ kind: 'done' as const, result }),
          (error: unknown) => ({ kind: 'failed' as const, error }),
        ),
        condition(() => attentions.has(workflowId)).then(() => ({ kind: 'attention' as const })),
      ]);
      if (outcome.kind === 'done') {
        done.push({ serviceName, databaseName, workflowId, dumpId: outcome.result.dump.id, creationDate: outcome.result.dump.creationDate });
      } else if (outcome.kind === 'failed') {
        failed.push({ serviceName, databaseName, workflowId, ...failureOf('dump', outcome.error) });
      } else {
        const attention = attentions.get(workflowId) as Attention;
        failed.push({
          serviceName,
          databaseName,
          workflowId,
          failureType: attention.failureType,
          reason: `${attention.message} — waiting for an operator: \`ovhflow retry ${workflowId}\` (or abort)`,
        });
        log.warn('nightly backup needs an operator', { workflowId, failureType: attention.failureType });
      }
      report();
    });
    report();
  });

  if (failed.length > 0) {
    run.notify('nightly.failed', {
      step: 'dumpAll',
      message: `${failed.length} of ${targets.length} database(s) not dumped for the night of ${night}`,
      details: { night, failed: failed.map(({ serviceName, databaseName, workflowId, failureType, reason }) => ({ serviceName, databaseName, workflowId, failureType, reason })) },
    });
  }
  return {
    night,
    services,
    totals: { databases: targets.length, done: done.length, failed: failed.length, skipped: skipped.length },
    done,
    failed,
    skipped,
  };
}
