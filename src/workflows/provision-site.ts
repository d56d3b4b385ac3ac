// provisionSite: attach the domain -> make it point at the hosting (DNS) -> create the database -> install the module wired to it -> HTTPS.
// Every step is ensure-then-wait; a permanent failure waits for an operator; abort undoes, in reverse order, only
// what this run created.
import { ActivityFailure, ApplicationFailure, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type FoundResource, type RunSettings, type WaitForTaskInput } from '../shared/hosting-tasks.js';
import { attachedDomainOptionsOf } from '../shared/inputs/attached-domain.js';
import { formatIssues } from '../shared/inputs/issues.js';
import type { PhpSettings } from '../shared/inputs/php-config.js';
import type { ProvisionSiteInput } from '../shared/inputs/provision-site-rules.js';
import { folderName, phpOfferRefusal, phpSettingChanges } from '../shared/php-config.js';
import { correctProvisionSiteInput, parseSetArguments } from '../shared/inputs/set-arguments.js';
import { isParsedProvisionSiteInput } from '../shared/inputs/shapes.js';
import { PROVISION_STEPS, type ProvisionSiteResult, type ProvisioningContext } from '../shared/provision.js';
import { DEFAULT_DNS_DEADLINE_MINUTES, DEFAULT_DNS_MODE, describeRecords, type DnsRecordToSet, type ProvisionDnsResult } from '../shared/dns.js';
import { FAILURE_TYPES, HINTS } from '../shared/failures.js';
import { DOMAIN, SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { changePhpSettings, describePhp, type PhpTarget } from './php-config-steps.js';
import { RunControl, type StepHandle } from './run-control.js';
import { ensureEnvVars } from './set-env-vars.js';
import { ensureWebsiteDeployed } from './deploy-website.js';
import { ensureCronJobs } from './cron-jobs.js';
import { runInput, setAtStart, startedByOvhflow } from './run-inputs.js';
import { runSecretRef } from './run-secrets.js';

/**
 * The lean step design (issue #13): a run that records this patch marker skips the reads preflight or its own writes
 * already answered, and waits on a poll schedule that checks first after one interval. Runs started before it replay
 * their recorded history unchanged (the committed `test/replay/histories/provision*.json` prove both paths).
 */
const LEAN_STEPS = 'ovhflow-lean-steps-1';

/**
 * The DNS readiness step (issue #15). Runs started before it replay without it, and show the step as skipped.
 */
const DNS_STEP = 'ovhflow-dns-step-1';

/**
 * A hosting with a CUSTOM certificate that does not cover the new domain: runs that record this marker stop for an
 * operator's decision (renew-cert then retry, or skip) instead of asking OVH to regenerate, which OVH refuses. Runs
 * that reached that point before replay their regenerate call unchanged.
 */
const CUSTOM_CERTIFICATE_DECISION = 'ovhflow-custom-certificate-decision-1';

/**
 * A certificate per domain (OVH's 2026 API): runs that record this marker order Let's Encrypt for their own domain
 * (`POST .../attachedDomain/{domain}/ssl`) and wait for that certificate, so provisionings of one hosting never
 * regenerate one shared certificate in turn; the hosting-wide certificate is used only where OVH refuses the
 * per-domain call, and there a certificate busy with another run's task is waited out. Older runs replay unchanged.
 */
const DOMAIN_CERTIFICATE = 'ovhflow-domain-certificate-1';

/**
 * What runs on the site (issue #25): a provisioning that asks for PHP settings, environment variables, cron jobs or a
 * Git deployment records this marker where it first does one; runs that ask for none of them have no new command.
 */
const SITE_SETUP = 'ovhflow-site-setup-1';

export async function provisionSite(rawInput: ProvisionSiteInput, settings: RunSettings = {}): Promise<ProvisionSiteResult> {
  // The CLI and the API parse before starting; a run started any other way is parsed before anything (run-inputs.ts).
  const parsedByStarter = startedByOvhflow('provision');
  // The run service indexes a provisioning in full when it starts it (type, status, service, domain). Runs it
  // started before it did (no domain at start), and runs started elsewhere, write them here as they always did, so
  // their histories replay unchanged; a recent run saves two upserts.
  const indexedAtStart = parsedByStarter && setAtStart(DOMAIN) && setAtStart(SERVICE_NAME);
  let input = rawInput;
  const run = new RunControl('provision', PROVISION_STEPS, {
    indexedAtStart,
    unskippable: ['preflight'],
    // `retry --set`: checked and applied without zod, by the same rules as the CLI's and the API's parser.
    validateCorrections: (set) => {
      const patch = parseSetArguments(set);
      if (!patch.ok) return formatIssues(patch.issues);
      const corrected = correctProvisionSiteInput(input, patch.value);
      return corrected.ok ? undefined : formatIssues(corrected.issues);
    },
    applyCorrections: (set) => {
      const patch = parseSetArguments(set);
      if (!patch.ok) return;
      const corrected = correctProvisionSiteInput(input, patch.value);
      if (corrected.ok) input = corrected.value;
    },
  });
  const skipped: string[] = [];
  const deadline = () => input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const waiting = (minutes: number) => waitingActivities(minutes, settings.poll);
  // Runs started since the lean step design (see LEAN_STEPS) give their waits the poll schedule, and skip the reads
  // that preflight or the step's own write already answered; older runs replay exactly as they ran.
  let lean = false;
  const poll = settings.poll ?? DEFAULT_POLL_SCHEDULE;
  const waitFor = async (step: { waitingFor: (t: { id: number }) => void }, task: Omit<WaitForTaskInput, 'serviceName'>) => {
    step.waitingFor({ id: task.taskId });
    // A domain or database this run creates is followed on its own status (one read per check, see hosting-tasks.ts).
    const created = task.resource.kind === 'attachedDomain' || task.resource.kind === 'database';
    return waiting(deadline()).waitForHostingTask({ serviceName: input.serviceName, ...task, ...(lean ? { poll, ...(created ? { created } : {}) } : {}) });
  };
  const tries = { attachDomain: 0, createDatabase: 0, installModule: 0, ssl: 0 };

  const undo = (resource: Parameters<typeof removeCreated>[1]) => removeCreated(input.serviceName, resource, deadline, settings.poll);

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedProvisionSiteInput,
      parse: (raw) => lookup.parseProvisionSiteInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    if (!indexedAtStart) {
      upsertSearchAttributes([
        { key: SERVICE_NAME, value: input.serviceName },
        { key: DOMAIN, value: input.domain },
      ]);
    }
    lean = patched(LEAN_STEPS);

    // 1. preflight: zero writes.
    const preflight = await run.step('preflight', () => ovh.preflightProvisioning(input));
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    let context: ProvisioningContext = preflight.value;
    // Fixed at preflight: a key rotation during the run must not change the passwords it derives.
    const runKey = runSecretRef(context.secretKeyId);

    // 2. attach the domain.
    const sslOn = input.ssl.mode !== 'none';
    // Whether this run attached the domain: then no module can sit at it yet, and no certificate covers it.
    let domainAttachedHere = false;
    const domainStep = await run.step('attachDomain', async (step) => {
      // The options the input gives are sent and compared; those it leaves out are OVH's (never a conflict).
      const args = { serviceName: input.serviceName, domain: input.domain, path: input.path, ssl: sslOn, ...attachedDomainOptionsOf(input) };
      const knownAbsent = lean && ++tries.attachDomain === 1 && context.found?.domainAttached === false;
      const existing = knownAbsent ? ({ state: 'absent' } as const) : await lookup.inspectAttachedDomain(args);
      if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, FAILURE_TYPES.settingsConflict);
      if (existing.state === 'matching' && existing.status === 'created') {
        step.adopted(`${input.domain} was already attached with these settings`);
        return { adopted: true };
      }
      if (existing.state === 'absent') run.willUndo(`detach ${input.domain}`, undo({ kind: 'attachedDomain', domain: input.domain }));
      domainAttachedHere = existing.state === 'absent';
      const { taskId } = await ovh.attachDomain({ ...args, ...(lean ? { knownAbsent: existing.state === 'absent' } : {}) });
      if (taskId) await waitFor(step, { taskId, resource: { kind: 'attachedDomain', domain: input.domain }, expect: 'present' });
      step.note(`${input.domain} attached to ./${input.path}`);
      return { adopted: existing.state === 'matching' };
    });
    if (domainStep.outcome === 'skipped') skipped.push('attachDomain');

    // 2b. DNS readiness: HTTPS is ordered only once the domain points at the hosting (or an operator said go on).
    let dns: ProvisionDnsResult | undefined;
    if (!patched(DNS_STEP)) {
      run.skip('dns', 'older run: started before the DNS step existed');
    } else if ((input.dns ?? DEFAULT_DNS_MODE) === 'skip') {
      run.skip('dns', 'dns mode skip');
      dns = { action: 'skipped', records: [] };
    } else if (domainStep.outcome === 'skipped') {
      // OVH tells what a domain points at only once it is attached.
      run.skip('dns', 'the domain was not attached (its step was skipped)');
      skipped.push('dns');
      dns = { action: 'skipped', records: [] };
    } else {
      // The records a person had to create, if the step was skipped while waiting for them.
      let wanted: DnsRecordToSet[] = [];
      const dnsStep = await run.step('dns', async (step): Promise<ProvisionDnsResult> => {
        const target = { serviceName: input.serviceName, domain: input.domain };
        const report = await lookup.checkDns(target);
        if (!report.attached) {
          throw ApplicationFailure.nonRetryable(
            `${input.domain} is not attached to ${input.serviceName}: OVH knows its DNS status only once it is attached`,
            FAILURE_TYPES.preconditionFailed,
          );
        }
        if (report.pointsAtHosting) {
          step.adopted(`${input.domain} already points at the hosting`);
          return { action: 'adopted', records: [] };
        }
        const dnsWait = () => waiting(input.dnsDeadlineMinutes ?? DEFAULT_DNS_DEADLINE_MINUTES).waitForDns({ ...target, poll });
        const zone = report.zone;
        if ((input.dns ?? DEFAULT_DNS_MODE) === 'auto' && zone) {
          // Remembered before the first write, so an abort (or a cancel mid-write) puts the name back exactly.
          const before = await lookup.snapshotNameRecords({ zone, domain: input.domain });
          run.willUndo(`restore the DNS records of ${input.domain} in zone ${zone}`, () => ovh.restoreNameRecords(before));
          const { records } = await ovh.pointZoneRecords({ zone, domain: input.domain, ipv4: report.recommended.ipv4[0], ipv6: report.recommended.ipv6[0] });
          step.note(`records set in zone ${zone}; waiting for the zone to be published`);
          await step.awaitOutside({ state: 'waiting-for-dns' }, dnsWait);
          step.note(`${input.domain} points at the hosting (zone ${zone}: ${records.map((r) => `${r.type} ${r.target}`).join(', ') || 'records were right, zone refreshed'})`);
          return { action: 'records-set', zone, records };
        }
        wanted = report.records;
        const why = zone ? `dns mode check: ovhflow does not write zone ${zone}` : 'its DNS is not served by OVH in this account';
        step.note(`create at the domain's DNS provider: ${report.records.map((r) => `${r.name} ${r.type} ${r.target}`).join('; ')}`);
        await step.awaitOutside(
          {
            state: 'waiting-for-dns',
            attention: {
              failureType: FAILURE_TYPES.waitingForDns,
              message: `waiting for DNS: ${input.domain} does not point at the hosting yet (${why}); create these records:\n${describeRecords(report.records)}${report.present?.length ? `\nalready there (keep them):\n${describeRecords(report.present)}` : ''}`,
              hint: HINTS[FAILURE_TYPES.waitingForDns],
            },
          },
          dnsWait,
        );
        step.note(`${input.domain} points at the hosting`);
        return { action: 'external', records: report.records, ...(zone ? { zone } : {}) };
      });
      if (dnsStep.outcome === 'skipped') {
        skipped.push('dns');
        dns = { action: 'skipped', records: wanted };
      } else {
        dns = dnsStep.value;
      }
    }

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
        const knownAbsent = lean && ++tries.createDatabase === 1 && context.found?.databaseExists === false;
        const existing = knownAbsent ? ({ state: 'absent' } as const) : await lookup.inspectDatabase({ serviceName: input.serviceName, user, spec });
        if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, FAILURE_TYPES.settingsConflict);
        let adopted = false;
        let described: (FoundResource & { password?: string }) | undefined;
        if (existing.state === 'matching') {
          adopted = true;
          step.adopted(`database ${existing.name} (user ${user}) already existed`);
          // A database of this user still being created (an earlier run's): wait until it is usable. A failed
          // wait (task cancelled, deadline) is a failed step, like any other.
          if (existing.status !== 'created') {
            step.waitingFor({ id: 0, function: 'database/create' });
            await waiting(deadline()).waitForResource({ serviceName: input.serviceName, resource: { kind: 'database', name: existing.name }, expect: 'present' });
          }
        } else {
          // OVH names a shared database after its user.
          run.willUndo(`delete database ${user}`, undo({ kind: 'database', name: user }));
          const created = await ovh.createDatabase({ runKey, serviceName: input.serviceName, user, spec, ...(lean ? { knownAbsent: true } : {}) });
          if (created.taskId) {
            const name = created.name ?? user;
            const waited = await waitFor(step, { taskId: created.taskId, resource: { kind: 'database', name }, expect: 'present' });
            described = { ...waited.found, ...(created.password ? { password: created.password } : {}) };
          }
        }
        // The wait's last check already read the database: describe it again only when it did not.
        const db =
          lean && described?.name && described.server !== undefined && described.port !== undefined && described.password
            ? { name: described.name, server: described.server, port: described.port, user: described.user ?? user, password: described.password }
            : await lookup.describeDatabase({ runKey, serviceName: input.serviceName, user, withPassword: !adopted });
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
        const knownAbsent = lean && ++tries.installModule === 1 && domainAttachedHere;
        const existing = knownAbsent ? ({ state: 'absent' } as const) : await lookup.inspectModule({ ...target, moduleId: catalog.id });
        if (existing.state === 'different') throw ApplicationFailure.nonRetryable(existing.message, FAILURE_TYPES.settingsConflict);
        const adopted = existing.state === 'matching' && existing.status === 'created';
        let described: (FoundResource & { adminPassword?: string }) | undefined;
        if (adopted) {
          step.adopted(`${catalog.name} was already installed at ${input.domain}`);
        } else {
          if (existing.state === 'absent') {
            run.willUndo(`uninstall ${catalog.name} from ${input.domain}`, undo({ kind: 'module', domain: input.domain, path: input.path }));
          }
          const { taskId, adminPassword } = await ovh.installModule({
            runKey,
            ...target,
            moduleId: catalog.id,
            language: input.module?.language,
            // Absent: the CMS's default login, chosen by the activity once the catalog says which CMS it is.
            adminName: input.module?.adminName,
            database: { name: db.name, server: db.server, port: db.port, user: db.user },
            ...(lean ? { knownAbsent: existing.state === 'absent' } : {}),
          });
          if (taskId) {
            const waited = await waitFor(step, { taskId, resource: { kind: 'module', domain: input.domain, path: input.path }, expect: 'present' });
            described = { ...waited.found, ...(adminPassword ? { adminPassword } : {}) };
          }
        }
        const installed =
          lean && described?.id !== undefined && described.moduleId !== undefined && described.url !== undefined && described.adminName !== undefined && described.adminPassword
            ? { id: described.id, moduleId: described.moduleId, url: described.url, adminName: described.adminName, adminPassword: described.adminPassword }
            : await lookup.describeModule({ runKey, ...target, withPassword: !adopted });
        if (!adopted) step.note(`${catalog.name} ${catalog.version} at ${installed.url}`);
        return { ...installed, name: catalog.name, adopted };
      });
      if (moduleStep.outcome === 'skipped') skipped.push('installModule');
      else module = moduleStep.value;
    }

    // 5. What runs on the site (issue #25), each only when the input asks for it.
    let git: ProvisionSiteResult['git'];
    if (!input.git) {
      run.skip('git', 'no Git repository requested');
    } else {
      patched(SITE_SETUP);
      const spec = input.git;
      const target = { serviceName: input.serviceName, path: input.path, repository: spec.repository, branch: spec.branch, reset: spec.reset ?? false };
      // A folder linked to another repository is refused: replacing it is `ovhflow deploy`'s, with its confirmation.
      const gitStep = await run.step('git', (step) => ensureWebsiteDeployed(run, step, target, { deadlineMinutes: deadline, poll, replaceOtherRepository: false }));
      if (gitStep.outcome === 'skipped') skipped.push('git');
      else git = gitStep.value;
    }
    let php: ProvisionSiteResult['php'];
    if (!input.php) {
      run.skip('php', 'no PHP settings requested');
    } else if (domainStep.outcome === 'skipped') {
      run.skip('php', "the domain was not attached (its step was skipped): its folder's .ovhconfig is not the site's");
      skipped.push('php');
    } else {
      patched(SITE_SETUP);
      const phpStep = await run.step('php', (step) => ensureSitePhp(step, input.php!));
      if (phpStep.outcome === 'skipped') skipped.push('php');
      else php = phpStep.value;
    }
    let env: ProvisionSiteResult['env'];
    if (!input.env?.length) {
      run.skip('env', 'no environment variables requested');
    } else {
      patched(SITE_SETUP);
      const set = input.env;
      const envStep = await run.step('env', (step) => ensureEnvVars(run, step, { serviceName: input.serviceName, set, unset: [] }, { deadlineMinutes: deadline(), poll }));
      if (envStep.outcome === 'skipped') skipped.push('env');
      else env = envStep.value;
    }
    let cron: ProvisionSiteResult['cron'];
    if (!input.cron?.length) {
      run.skip('cron', 'no cron jobs requested');
    } else {
      patched(SITE_SETUP);
      const jobs = input.cron.map((job) => ({ action: 'add' as const, ...job }));
      const cronStep = await run.step('cron', (step) => ensureCronJobs(run, step, { serviceName: input.serviceName, jobs }, { deadlineMinutes: deadline(), poll }));
      if (cronStep.outcome === 'skipped') skipped.push('cron');
      else cron = cronStep.value;
    }

    // 6. HTTPS.
    let ssl: ProvisionSiteResult['ssl'];
    if (input.ssl.mode === 'none') {
      run.skip('ssl', 'ssl mode none');
    } else {
      const sslStep = await run.step('ssl', async (step) => {
        const target = { serviceName: input.serviceName, domain: input.domain };
        let hostingWideBecause: string | undefined;
        if (input.ssl.mode === 'letsencrypt' && context.multipleSsl === false && patched(DOMAIN_CERTIFICATE)) {
          hostingWideBecause = `${input.serviceName} cannot hold a certificate per domain (multipleSSL is false)`;
          step.note(`using the hosting-wide certificate: ${hostingWideBecause}`);
        } else if (input.ssl.mode === 'letsencrypt' && patched(DOMAIN_CERTIFICATE)) {
          const own = await lookup.inspectDomainSsl(target);
          if (own.exists && own.status === 'created' && own.taskId === null) {
            step.adopted(`${input.domain} already has its own ${own.provider} certificate`);
            return { status: own.status, provider: own.provider, action: 'adopted' as const, scope: 'domain' as const };
          }
          let action: 'ordered' | 'regenerated' = 'regenerated';
          let order: Awaited<ReturnType<typeof ovh.orderDomainSsl>> = { scope: 'domain', status: own.exists ? own.status : 'creating', provider: own.exists ? own.provider : '' };
          if (!own.exists) {
            run.willUndo(`remove the certificate of ${input.domain}`, undo({ kind: 'domainSsl', domain: input.domain }));
            order = await ovh.orderDomainSsl(target);
            action = 'ordered';
          } else if (own.taskId === null) {
            // Left `creating` by a validation that failed (an operator's retry after fixing DNS or CAA): validate again.
            await ovh.regenerateDomainSsl(target);
          }
          if (order.scope === 'domain') {
            step.waitingFor({ id: 0, function: 'ssl/domain' });
            const ready = await waiting(deadline()).waitForDomainSsl({ ...target, ...(lean ? { poll } : {}) });
            step.note(`certificate of ${input.domain} ${action} (its own, per domain)`);
            return { ...ready, action, scope: 'domain' as const };
          }
          hostingWideBecause = order.refusal;
          step.note(`OVH refused a certificate of ${input.domain}'s own (${order.refusal}): using the hosting-wide certificate`);
        }
        const knownUncovered = lean && ++tries.ssl === 1 && domainAttachedHere;
        const current = await lookup.inspectSsl({ ...target, ...(knownUncovered ? { knownUncovered } : {}) });
        let action: NonNullable<ProvisionSiteResult['ssl']>['action'];
        if (current.exists && current.covers && current.status === 'created') {
          step.adopted(`the hosting's ${current.provider} certificate already covers ${input.domain}`);
          return { status: current.status, provider: current.provider, action: 'adopted' as const, ...(hostingWideBecause ? { scope: 'hosting' as const, hostingWideBecause } : {}) };
        }
        if (!current.exists) {
          run.willUndo('remove the certificate', undo({ kind: 'ssl' }));
          const custom = input.ssl.mode === 'custom' ? { certificate: input.ssl.certificate, key: input.ssl.key, chain: input.ssl.chain } : undefined;
          await ovh.orderSsl({ serviceName: input.serviceName, custom, ...(lean ? { knownAbsent: true } : {}) });
          action = custom ? 'installed' : 'ordered';
          // Another provisioning may have ordered first (then this order was its, and may not name this domain yet).
          if (hostingWideBecause !== undefined) await waiting(deadline()).regenerateSslWhenIdle(target);
        } else if (input.ssl.mode === 'custom' && current.provider !== 'CUSTOM') {
          throw ApplicationFailure.nonRetryable(
            `the hosting already has a ${current.provider} certificate; installing a custom one would replace it for every domain`,
            FAILURE_TYPES.settingsConflict,
          );
        } else if (current.provider === 'CUSTOM' && !current.covers && patched(CUSTOM_CERTIFICATE_DECISION)) {
          // OVH refuses to regenerate a custom certificate (403): only a person holding a certificate for the new
          // domain can fix this, or decide to go without HTTPS for it.
          const id = workflowInfo().workflowId;
          throw ApplicationFailure.create({
            type: FAILURE_TYPES.customCertificateUncovered,
            nonRetryable: true,
            message: `the hosting's custom certificate does not cover ${input.domain}, and OVH cannot regenerate a custom certificate`,
            details: [
              {
                hint: `either install a custom certificate that covers ${input.domain} too (\`ovhflow renew-cert --service ${input.serviceName} --certificate FILE --key FILE\`), then \`ovhflow retry ${id}\`; or \`ovhflow skip ${id}\` to leave HTTPS off for ${input.domain}`,
              },
            ],
          });
        } else if (hostingWideBecause !== undefined) {
          // Another provisioning's order or regeneration may hold the certificate: wait it out, then regenerate.
          await waiting(deadline()).regenerateSslWhenIdle(target);
          action = 'regenerated';
        } else {
          await ovh.regenerateSsl({ ...target, ...(lean ? { knownUncovered: current.status === 'created' && !current.covers } : {}) });
          action = 'regenerated';
        }
        step.waitingFor({ id: 0, function: action === 'regenerated' ? 'ssl/regenerate' : 'ssl/create' });
        const ready = await waiting(deadline()).waitForSsl({ ...target, ...(lean ? { poll } : {}) });
        step.note(`certificate ${action}; covers ${input.domain}${hostingWideBecause !== undefined ? ' (the hosting-wide one)' : ''}`);
        return { ...ready, action, ...(hostingWideBecause !== undefined ? { scope: 'hosting' as const, hostingWideBecause } : {}) };
      });
      if (sslStep.outcome === 'skipped') skipped.push('ssl');
      else ssl = sslStep.value;
    }

    const domainAdopted = domainStep.outcome === 'adopted' || (domainStep.outcome === 'done' && domainStep.value.adopted);
    return {
      serviceName: input.serviceName,
      domain: { name: input.domain, path: input.path, ssl: sslOn, adopted: domainAdopted },
      ...(database ? { database } : {}),
      ...(module ? { module } : {}),
      ...(ssl ? { ssl } : {}),
      ...(dns ? { dns } : {}),
      ...(php ? { php } : {}),
      ...(env ? { env } : {}),
      ...(git ? { git } : {}),
      ...(cron ? { cron } : {}),
      skipped,
    };
  });

  /**
   * The site folder's `.ovhconfig` brought to the asked settings. A new folder's file is found by OVH's
   * `ovhConfigRefresh` first; a version or container the hosting does not offer is refused before any write (preflight
   * checked the version already); the change is rolled back on abort.
   */
  async function ensureSitePhp(step: StepHandle, asked: PhpSettings): Promise<NonNullable<ProvisionSiteResult['php']>> {
    const { serviceName, path } = input;
    const target: PhpTarget = { serviceName, path, deadline, poll };
    let read = await ovh.readSitePhpConfig({ serviceName, path });
    if (read.state === 'refreshing') {
      step.waitingFor({ id: read.taskId, function: 'ovhConfig/refresh' });
      try {
        await waiting(deadline()).waitForHostingTask({ serviceName, taskId: read.taskId, resource: { kind: 'ovhConfigFolder', path }, expect: 'present', poll });
      } catch (error) {
        // The refresh ended without finding the folder's file: the read below says so, with what to do.
        if (!(error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === FAILURE_TYPES.resourceNotReady)) throw error;
      }
      read = await ovh.readSitePhpConfig({ serviceName, path, refreshed: true });
    }
    if (read.state !== 'found') throw ApplicationFailure.nonRetryable(`OVH is still looking for the .ovhconfig of ${folderName(path)}`, FAILURE_TYPES.resourceNotReady);
    const { config, capabilities } = read;
    const refusal = phpOfferRefusal(capabilities, config.settings, asked);
    if (refusal) throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, the .ovhconfig was not changed: ${refusal}` });
    const changes = phpSettingChanges(config.settings, asked);
    if (changes.length === 0) {
      step.adopted(`${folderName(path)} already runs ${describePhp(config.settings)}`);
      return { configId: config.id, changes: [], settings: config.settings };
    }
    if (config.status !== 'created') {
      // Another change of this folder (an earlier attempt's, or a person's) is running: wait for it, then compare again.
      step.waitingFor({ id: config.taskId ?? 0, function: `ovhConfig (${config.status})` });
      await waiting(deadline()).waitForResource({ serviceName, resource: { kind: 'ovhConfig', id: config.id }, expect: 'present' });
      return ensureSitePhp(step, asked);
    }
    const settings = await changePhpSettings(run, step, target, config, changes, asked);
    return { configId: config.id, changes, settings };
  }
}
