// renewCertificate: replace a hosting's certificate with a new custom one (checked first: key, chain, later expiry,
// the domains it must keep covering), or get a fresh Let's Encrypt one. OVH's API has no update call for a
// certificate: a replacement is DELETE /ssl, wait until it is gone, then POST /ssl — nothing is written until every
// check passed, and the new certificate goes in the moment the old one is gone, so the hosting is without HTTPS for
// as short a time as OVH's tasks allow. If the new one cannot go in after the old one was removed, the run stops for
// an operator and says exactly that: retry puts the new certificate in.
import { ActivityFailure, ApplicationFailure, isCancellation, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { RENEW_CERTIFICATE_STEPS, type RenewCertificateResult } from '../shared/certificates.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { RenewCertificateInput } from '../shared/inputs/renew-certificate.js';
import { isParsedRenewCertificateInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { Confirmation } from './confirmation.js';
import { RunControl } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

export async function renewCertificate(rawInput: RenewCertificateInput, settings: RunSettings = {}): Promise<RenewCertificateResult> {
  const parsedByStarter = startedByOvhflow('renew-cert');
  const run = new RunControl('renew-cert', RENEW_CERTIFICATE_STEPS, {
    unskippable: ['preflight', 'confirm', 'removeOld', 'install'],
    nothingToUndo: 'a removed certificate cannot be put back by ovhflow (OVH never hands its key back)',
  });
  // A replacement removes the current certificate first: that needs the caller's (or an operator's) go-ahead.
  const confirmation = new Confirmation(run, isParsedRenewCertificateInput(rawInput) && rawInput.confirmed);
  const deadline = () => settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES;
  const poll = settings.poll ?? DEFAULT_POLL_SCHEDULE;

  return run.execute(async () => {
    const input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedRenewCertificateInput,
      parse: (raw) => lookup.parseRenewCertificateInput(raw),
      refusal: 'invalid input, nothing was done:',
    });
    const { serviceName } = input;
    upsertSearchAttributes([{ key: SERVICE_NAME, value: serviceName }]);

    // One attached domain's own certificate (runs that name a domain: none did before per-domain certificates).
    if (input.mode === 'letsencrypt' && input.domain !== undefined) {
      const domain = input.domain;
      const found = await run.step('preflight', async (step) => {
        const own = await lookup.inspectDomainSsl({ serviceName, domain });
        step.note(own.exists ? `regenerate the ${own.provider} certificate of ${domain} (its own)` : `${domain} has no certificate of its own`);
        return own;
      });
      if (found.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
      if (!found.value.exists) {
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.invalidInput,
          nonRetryable: true,
          message: `nothing was changed: ${domain} on ${serviceName} has no certificate of its own; renew the hosting's (without --domain), or provision ${domain} with HTTPS`,
        });
      }
      run.skip('confirm', 'nothing is removed');
      run.skip('removeOld', "Let's Encrypt regenerates in place");
      const renewed = await run.step('install', async (step) => {
        await ovh.regenerateDomainSsl({ serviceName, domain });
        step.waitingFor({ id: 0, function: 'hostedssl/regenerate' });
        const ready = await waitingActivities(deadline(), settings.poll).waitForDomainSsl({ serviceName, domain, poll });
        step.note(`${ready.provider} certificate of ${domain} regenerated`);
        return ready;
      });
      if (renewed.outcome === 'skipped') throw ApplicationFailure.nonRetryable('install cannot be skipped', FAILURE_TYPES.bug);
      return { serviceName, provider: renewed.value.provider, action: 'regenerated', domains: [domain], scope: 'domain' };
    }

    const preflight = await run.step('preflight', async (step) => {
      const plan = await ovh.preflightCertificateRenewal(input);
      if (plan.ok) {
        step.note(
          `${plan.action === 'regenerate' ? 'regenerate' : plan.action === 'replace' ? `replace the ${plan.current?.provider} certificate` : 'install'}; covers ${plan.domains.join(', ') || 'no attached domain yet'}${plan.uncovered.length > 0 ? `; NOT covered (attached with SSL on): ${plan.uncovered.join(', ')}` : ''}`,
        );
      }
      return plan;
    });
    if (preflight.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const plan = preflight.value;
    // A refused certificate ends the run at once, with every problem named and nothing changed at OVH.
    if (!plan.ok) throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidInput, nonRetryable: true, message: `certificate refused, nothing was changed:\n${plan.problems}` });

    // 1. The old certificate goes, only when a new one replaces it (OVH cannot update one in place).
    let removed = false;
    let confirmedBy: RenewCertificateResult['confirmedBy'];
    if (plan.action === 'replace') {
      const id = workflowInfo().workflowId;
      confirmedBy = await confirmation.wait(
        `replacing the ${plan.current?.provider} certificate of ${serviceName} (covering ${plan.current?.domains.join(', ') || 'nothing'}) removes it first: the hosting has no HTTPS until the new one is installed. Waiting for a confirmation`,
        `confirm with \`ovhflow confirm ${id}\`, or stop with \`ovhflow abort ${id}\` (nothing was changed yet)`,
      );
    } else {
      run.skip('confirm', 'nothing is removed');
    }
    if (plan.action !== 'replace') {
      run.skip('removeOld', plan.action === 'regenerate' ? "Let's Encrypt regenerates in place" : 'the hosting has no certificate');
    } else {
      await run.step('removeOld', async (step) => {
        step.waitingFor({ id: 0, function: 'hostedssl/delete' });
        await removeCreated(serviceName, { kind: 'ssl' }, deadline, settings.poll)();
        removed = true;
        step.note(`${plan.current?.provider} certificate removed (it covered ${plan.current?.domains.join(', ') || 'nothing'})`);
      });
    }

    // 2. The new one, at once.
    const waitDomain = plan.domains[0];
    const installed = await run.step('install', async (step) => {
      try {
        if (plan.action === 'regenerate') {
          await ovh.regenerateSsl({ serviceName, domain: waitDomain ?? '', renewal: true });
        } else {
          const custom = input.mode === 'custom' ? { certificate: input.certificate, key: input.key, ...(input.chain ? { chain: input.chain } : {}) } : undefined;
          await ovh.orderSsl({ serviceName, custom });
        }
        step.waitingFor({ id: 0, function: plan.action === 'regenerate' ? 'hostedssl/regenerate' : input.mode === 'custom' ? 'hostedssl/import' : 'hostedssl/create' });
        if (waitDomain) await waitingActivities(deadline(), settings.poll).waitForSsl({ serviceName, domain: waitDomain, poll });
        else await waitingActivities(deadline(), settings.poll).waitForResource({ serviceName, resource: { kind: 'ssl' }, expect: 'present' });
      } catch (error) {
        if (!removed || isCancellation(error)) throw error;
        throw withoutCertificate(serviceName, error);
      }
      const now = await lookup.describeCertificate({ serviceName });
      step.note(`${now?.provider ?? 'new'} certificate ${now?.status ?? ''}; covers ${now?.domains.join(', ') || 'nothing yet'}`);
      return now;
    });
    if (installed.outcome === 'skipped') throw ApplicationFailure.nonRetryable('install cannot be skipped', FAILURE_TYPES.bug);

    const action = plan.action === 'regenerate' ? 'regenerated' : plan.action === 'replace' ? 'replaced' : input.mode === 'custom' ? 'installed' : 'ordered';
    return {
      serviceName,
      provider: installed.value?.provider ?? (input.mode === 'custom' ? 'CUSTOM' : 'LETSENCRYPT'),
      action,
      domains: installed.value?.domains ?? [],
      ...(plan.validTo ? { validTo: plan.validTo } : {}),
      ...(plan.current ? { previous: plan.current } : {}),
      ...(confirmedBy ? { confirmedBy } : {}),
    };
  });
}

/** The install failed after the old certificate was removed: the operator must know the hosting serves no HTTPS. */
function withoutCertificate(serviceName: string, error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const failure = cause instanceof ApplicationFailure ? cause : undefined;
  return ApplicationFailure.create({
    type: failure?.type ?? FAILURE_TYPES.resourceNotReady,
    nonRetryable: true,
    message: `the old certificate of ${serviceName} was removed and the new one could not be installed: ${failure?.message ?? (cause instanceof Error ? cause.message : String(cause))}. ${serviceName} has NO certificate until it is: retry installs the new one`,
    details: failure?.details ?? [],
  });
}
