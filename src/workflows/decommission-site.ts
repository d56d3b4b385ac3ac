// decommissionSite: the reverse of provisioning for one site. It first finds what the site holds (the plan, shown in
// the run's progress before anything is removed), waits for an explicit confirmation unless the caller gave it,
// dumps the site's database (a safety dump, kept), then uninstalls the module, deletes the database, detaches the
// domain and leaves the certificate covering only what remains. It touches nothing the plan did not list, and a
// second decommission of the same site finds nothing left and completes without a write. Nothing removed can be
// un-deleted: abort stops the run, it undoes nothing (before the confirmation nothing was removed).
import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DumpInfo } from '../shared/backups.js';
import { DECOMMISSION_STEPS, describePlan, planIsEmpty, type DecommissionSiteResult } from '../shared/decommission.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { DecommissionSiteInput } from '../shared/inputs/decommission.js';
import { isParsedDecommissionSiteInput } from '../shared/inputs/shapes.js';
import { DOMAIN, SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { Confirmation } from './confirmation.js';
import { DumpTaker } from './dumps.js';
import { RunControl } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export async function decommissionSite(rawInput: DecommissionSiteInput, settings: RunSettings = {}): Promise<DecommissionSiteResult> {
  const parsedByStarter = startedByOvhflow('decommission');
  const run = new RunControl('decommission', DECOMMISSION_STEPS, {
    unskippable: ['plan', 'confirm'],
    nothingToUndo: 'nothing a decommission removes can be un-deleted; the safety dump, if taken, is kept',
  });
  const confirmation = new Confirmation(run, isParsedDecommissionSiteInput(rawInput) && rawInput.confirmed);
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const poll = settings.poll ?? DEFAULT_POLL_SCHEDULE;

  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedDecommissionSiteInput,
      parse: (raw) => lookup.parseDecommissionSiteInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    const { serviceName, domain } = input;
    upsertSearchAttributes([
      { key: SERVICE_NAME, value: serviceName },
      { key: DOMAIN, value: domain },
    ]);
    const remove = (resource: Parameters<typeof removeCreated>[1]) => removeCreated(serviceName, resource, deadline, settings.poll)();

    // 1. What the site holds: read only.
    const planned = await run.step('plan', async (step) => {
      const plan = await ovh.planDecommission({ serviceName, domain, ...(input.path ? { path: input.path } : {}) });
      run.progress.plan = describePlan(plan);
      step.note(planIsEmpty(plan) ? 'nothing left to remove' : `${run.progress.plan.length - 1} action(s) planned`);
      return plan;
    });
    if (planned.outcome === 'skipped') throw ApplicationFailure.nonRetryable('plan cannot be skipped', FAILURE_TYPES.bug);
    const plan = planned.value;
    const result: DecommissionSiteResult = { serviceName, domain, removed: {}, certificate: { ...plan.certificate, done: false }, noop: planIsEmpty(plan) };
    if (result.noop) {
      for (const name of ['confirm', 'safetyDump', 'deleteCrons', 'unlinkGit', 'uninstallModule', 'deleteDatabase', 'detachDomain', 'certificate']) run.skip(name, 'nothing to remove');
      result.certificate.done = true;
      return result;
    }

    // 2. The go-ahead: nothing has been written yet, so an abort here changes nothing.
    const id = workflowInfo().workflowId;
    result.confirmedBy = await confirmation.wait(
      `decommissioning ${domain} on ${serviceName} removes: ${(run.progress.plan ?? []).slice(0, -1).join('; ')}. Waiting for a confirmation`,
      `check the plan (\`ovhflow status ${id}\`), then confirm with \`ovhflow confirm ${id}\`, or stop with \`ovhflow abort ${id}\` (nothing was removed yet)`,
    );

    // 3. The database as it is, before anything goes.
    const database = plan.database;
    if (!database) {
      run.skip('safetyDump', 'no database wired to this site');
    } else {
      const taker = new DumpTaker({ serviceName, databaseName: database.name, sendEmail: false }, settings);
      const dumped = await run.step('safetyDump', async (step) => {
        await taker.dump(step);
        const dump: DumpInfo = await taker.verify();
        step.note(`safety dump ${dump.id} of ${database.name} created ${dump.creationDate}`);
        return dump;
      });
      if (dumped.outcome !== 'skipped') result.safetyDump = { id: dumped.value.id, databaseName: database.name, url: dumped.value.url, creationDate: dumped.value.creationDate };
    }

    // 4-6. The site's own resources, each waited for until OVH has removed it.
    const removal = async (name: string, what: string | undefined, resource: Parameters<typeof removeCreated>[1], record: () => void) => {
      if (!what) {
        run.skip(name, 'nothing to remove');
        return;
      }
      const outcome = await run.step(name, async (step) => {
        step.waitingFor({ id: 0 });
        const done = await remove(resource);
        step.note(done === 'absent' ? `${what} was already gone` : `${what} removed`);
      });
      if (outcome.outcome !== 'skipped') record();
    };
    const cronJobs = plan.cronJobs ?? [];
    if (cronJobs.length === 0) {
      run.skip('deleteCrons', 'nothing to remove');
    } else {
      const deleted = await run.step('deleteCrons', async (step) => {
        const started = await ovh.removeCronJobsUnderPath({ serviceName, path: plan.attached?.path ?? input.path ?? '', only: cronJobs });
        for (const job of started) {
          if (job.taskId) step.waitingFor({ id: job.taskId, function: 'cron/delete' });
          await waitingActivities(deadline(), settings.poll).waitForResource({ serviceName, resource: { kind: 'cron', command: job.command }, expect: 'absent' });
        }
        step.note(started.length === 0 ? 'the cron jobs were already gone' : `deleted ${started.map((job) => `"${job.command}"`).join(', ')}`);
      });
      if (deleted.outcome !== 'skipped') result.removed.cronJobs = cronJobs;
    }
    const website = plan.website;
    await removal('unlinkGit', website && `the Git link of ./${website.path} (${website.repository})`, { kind: 'website', path: website?.path ?? '' }, () => {
      result.removed.website = website!.id;
    });
    const module = plan.module;
    await removal('uninstallModule', module && `module ${module.moduleId} (id ${module.id}) at ${module.url}`, { kind: 'module', domain, path: module?.path ?? '' }, () => {
      result.removed.module = module!.id;
    });
    await removal('deleteDatabase', database && `database ${database.name}`, { kind: 'database', name: database?.name ?? '' }, () => {
      result.removed.database = database!.name;
    });
    await removal('detachDomain', plan.attached && domain, { kind: 'attachedDomain', domain }, () => {
      result.removed.domain = domain;
    });

    // 7. The certificate covers only what remains.
    const certificate = plan.certificate;
    if (certificate.action === 'none' || certificate.action === 'leave') {
      run.skip('certificate', certificate.reason);
      result.certificate.done = true;
    } else {
      const fixed = await run.step('certificate', async (step) => {
        if (certificate.action === 'deleteDomain') {
          step.waitingFor({ id: 0, function: 'hostedssl/delete' });
          const done = await remove({ kind: 'domainSsl', domain });
          step.note(done === 'absent' ? `the certificate of ${domain} went with the domain` : `the certificate of ${domain} deleted`);
          return;
        }
        if (certificate.action === 'delete') {
          step.waitingFor({ id: 0, function: 'hostedssl/delete' });
          await remove({ kind: 'ssl' });
          step.note("Let's Encrypt certificate deleted: no domain with SSL remains");
          return;
        }
        const current = await lookup.describeCertificate({ serviceName });
        // A retry after the regeneration went through: the certificate already names only what remains.
        if (!current || !current.domains.includes(domain)) {
          step.note(`the certificate no longer covers ${domain}`);
          return;
        }
        const still = current.domains.filter((d) => d !== domain);
        await ovh.regenerateSsl({ serviceName, domain, renewal: true });
        step.waitingFor({ id: 0, function: 'hostedssl/regenerate' });
        await waitingActivities(deadline(), settings.poll).waitForSsl({ serviceName, domain, poll, without: true });
        step.note(`Let's Encrypt certificate regenerated without ${domain}${still.length > 0 ? ` (keeps ${still.join(', ')})` : ''}`);
      });
      result.certificate.done = fixed.outcome !== 'skipped';
    }
    return result;
  });
}
