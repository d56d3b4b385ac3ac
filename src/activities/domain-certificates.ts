// An attached domain's own certificate (OVH's 2026 API: `/attachedDomain/{domain}/ssl`). Each domain orders and
// waits for its own, so provisionings of one hosting never queue behind one shared certificate. Where OVH refuses the
// per-domain call (a hosting without `multipleSSL`), the answer says so and the caller uses the hosting-wide path.
// A certificate that will not issue is explained from what OVH's report says and what DNS shows (where the domain
// points, the CAA records of its zone at OVH), so the operator reads the cause, not just "cancelled".
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { OvhClient } from '../ovh/client.js';
import type { HostedSsl, SslReport } from '../ovh/types.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { PollSchedule } from '../shared/hosting-tasks.js';
import { ovhCall, permanentFailure, stillPending } from './failures.js';
import { elapsedSeconds, untilFirstCheck, waitId } from './hosting-tasks.js';
import { taskDurations } from './task-durations.js';
import { orUndefined } from './provisioning.js';

/** The authority each free provider is named by in CAA records. */
const CAA_ISSUER: Record<string, string> = { LETSENCRYPT: 'letsencrypt.org', SECTIGO: 'sectigo.com' };

export type DomainSslOrder =
  | { scope: 'domain'; status: string; provider: string }
  /** OVH refused the per-domain call (e.g. a hosting without `multipleSSL`): use the hosting-wide certificate. */
  | { scope: 'hosting'; refusal: string };

const sslOf = (ssl: HostedSsl) => ({ status: ssl.status, provider: ssl.provider, taskId: ssl.taskId ?? null });

/** The CAA records that decide for `domain` (the closest name that has some), from its zone at OVH, if it is one. */
export async function caaRecords(ovh: OvhClient, domain: string): Promise<{ name: string; zone: string; records: string[] } | undefined> {
  const zones = await ovhCall(() => ovh.listDnsZones());
  const zone = zones.filter((z) => domain === z || domain.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  if (!zone) return undefined;
  const labels = domain.split('.');
  for (let i = 0; i < labels.length; i += 1) {
    const name = labels.slice(i).join('.');
    if (name.length < zone.length) break;
    const subDomain = name === zone ? '' : name.slice(0, -(zone.length + 1));
    const ids = await ovhCall(() => ovh.listZoneRecords(zone, { fieldType: 'CAA', subDomain }));
    if (ids.length === 0) continue;
    const records = [];
    for (const id of ids) records.push((await ovhCall(() => ovh.getZoneRecord(zone, id))).target);
    return { name, zone, records };
  }
  return undefined;
}

/** Why CAA keeps `provider` from issuing for `domain`, in words to act on; undefined when it does not. */
export async function caaProblem(ovh: OvhClient, domain: string, provider: string): Promise<string | undefined> {
  const issuer = CAA_ISSUER[provider];
  const caa = issuer ? await caaRecords(ovh, domain) : undefined;
  if (!caa || !issuer) return undefined;
  const issuers = caa.records.filter((r) => /\bissue\b/i.test(r) && !/issuewild/i.test(r)).map((r) => (/"([^"]*)"/.exec(r)?.[1] ?? '').toLowerCase());
  if (issuers.length === 0 || issuers.includes(issuer)) return undefined;
  return `the CAA records of ${caa.name} (${caa.records.join('; ')}) do not let ${issuer} issue: add \`0 issue "${issuer}"\` in the zone ${caa.zone}`;
}

export function createDomainCertificateActivities({ ovh }: { ovh: OvhClient }) {
  /** Why the certificate of `domain` does not issue, in words an operator can act on. */
  async function explainRefusal(serviceName: string, domain: string, provider: string, report: SslReport): Promise<string> {
    const reasons: string[] = [];
    if (report.domainControlValidationStatus) reasons.push(`OVH's report: domain control validation ${report.domainControlValidationStatus}`);

    const dig = await ovhCall(() => ovh.getDigStatus(serviceName, domain));
    const records = Object.entries(dig.records ?? {});
    const wrong = records.filter(([, record]) => !record.dnsConfigured).map(([ip]) => ip);
    const expected = [...(dig.recommendedIps?.recommendedIpV4 ?? []), ...(dig.recommendedIps?.recommendedIpV6 ?? [])].join(', ');
    if (records.length === 0) reasons.push(`${domain} does not resolve: point it at the hosting (${expected}); \`ovhflow dns check --service ${serviceName} --domain ${domain}\` shows the records to set`);
    else if (wrong.length > 0) reasons.push(`${domain} points at ${wrong.join(', ')}, not at the hosting (${expected}): fix its DNS (\`ovhflow dns check --service ${serviceName} --domain ${domain}\`)`);

    const caa = await caaProblem(ovh, domain, provider);
    if (caa) reasons.push(caa);
    if (reasons.length <= 1) reasons.push('the domain points at the hosting and no CAA record forbids the authority: regenerating may be enough');
    return reasons.join('; ');
  }

  return {
    /** The domain's own certificate, if it has one. */
    async inspectDomainSsl(args: { serviceName: string; domain: string }) {
      const ssl = await ovhCall(() => ovh.getDomainSsl(args.serviceName, args.domain));
      return ssl ? { exists: true as const, ...sslOf(ssl) } : { exists: false as const };
    },

    /**
     * Orders the free certificate for this domain alone. A lost answer retried finds the certificate its first try
     * ordered (409: it already has one). A refusal of the per-domain call is an answer, not a failure.
     */
    async orderDomainSsl(args: { serviceName: string; domain: string }): Promise<DomainSslOrder> {
      try {
        const ssl = await ovhCall(() => ovh.orderDomainSsl(args.serviceName, args.domain));
        return { scope: 'domain', status: ssl.status, provider: ssl.provider };
      } catch (error) {
        const type = error instanceof ApplicationFailure ? error.type : undefined;
        // A key lacking the access rule is also a 403: that is a missing right to report, not OVH refusing the call.
        const notGranted = /not been granted/i.test((error as Error).message);
        if ((type === FAILURE_TYPES.forbidden && !notGranted) || type === FAILURE_TYPES.badRequest) return { scope: 'hosting', refusal: (error as Error).message };
        if (type === FAILURE_TYPES.conflict) {
          const existing = await ovhCall(() => ovh.getDomainSsl(args.serviceName, args.domain));
          if (existing) return { scope: 'domain', status: existing.status, provider: existing.provider };
        }
        throw error;
      }
    },

    /** Validates the domain again (a retry after its DNS or CAA was fixed, or a renewal). */
    async regenerateDomainSsl(args: { serviceName: string; domain: string }) {
      const existing = await ovhCall(() => ovh.getDomainSsl(args.serviceName, args.domain));
      if (existing?.status === 'regenerating' || (existing?.taskId ?? null) !== null) return sslOf(existing as HostedSsl);
      return sslOf(await ovhCall(() => ovh.regenerateDomainSsl(args.serviceName, args.domain)));
    },

    /**
     * One check per attempt: done when the domain's certificate is `created` with no task on it. A certificate left
     * `creating` with no task is one the authority refused: the run stops with why (report, DNS, CAA).
     */
    async waitForDomainSsl(args: { serviceName: string; domain: string; poll?: PollSchedule }) {
      const { attempt } = Context.current().info;
      const kind = 'ssl:domain';
      // As in waitForHostingTask: a first attempt checks after untilFirstCheck (soon, or it fails to be retried then).
      const next = () => (args.poll ? taskDurations.stillRunning(kind, waitId(), elapsedSeconds(), Math.max(1, attempt - 1), args.poll) : undefined);
      if (args.poll && attempt === 1) await untilFirstCheck(kind, args.poll);
      const ssl = await ovhCall(() => ovh.getDomainSsl(args.serviceName, args.domain));
      if (!ssl) {
        await failIfDomainSslTaskCancelled(ovh, args.serviceName, args.domain);
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `${args.domain} on ${args.serviceName} has no certificate any more`);
      }
      if ((ssl.taskId ?? null) !== null || (ssl.status !== 'created' && ssl.status !== 'creating')) {
        throw stillPending(`certificate of ${args.domain} is ${ssl.status}`, undefined, next());
      }
      if (ssl.status === 'creating') {
        // No task and still creating: the authority's validation failed, unless the report says it is still going.
        const report = await ovhCall(() => ovh.getDomainSslReport(args.serviceName, args.domain));
        if (report.domainControlValidationStatus !== 'non-completed') throw stillPending(`certificate of ${args.domain} is being validated`, undefined, next());
        const why = await explainRefusal(args.serviceName, args.domain, ssl.provider, report);
        throw permanentFailure(FAILURE_TYPES.taskCancelled, `the ${ssl.provider} certificate of ${args.domain} was not issued: ${why}`, {
          hint: `fix what the message names, then \`ovhflow retry\` this run: it asks OVH to validate ${args.domain} again`,
        });
      }
      if (args.poll) taskDurations.done(kind, waitId(), elapsedSeconds());
      return { status: ssl.status, provider: ssl.provider };
    },
  };
}

/**
 * A domain's certificate that vanished while it was being created: OVH cancelled its task (no certificate is left).
 * That is `OvhTaskCancelled`, which a retry answers by ordering it again — not a certificate that was removed.
 */
async function failIfDomainSslTaskCancelled(ovh: OvhClient, serviceName: string, domain: string): Promise<void> {
  const ids = (await ovhCall(() => ovh.listTasks(serviceName, { function: 'hostedssl/create' }))).sort((a, b) => b - a).slice(0, 10);
  for (const id of ids) {
    // A task gone (404: OVH forgets finished tasks) says nothing; any other failure (5xx, reset, 429) is thrown, so
    // the check is retried instead of concluding "no certificate any more" from a task it could not read.
    const task = await orUndefined(() => ovh.getTask(serviceName, id));
    if (task?.objectId !== domain) continue;
    if (task.status === 'cancelled') {
      throw permanentFailure(FAILURE_TYPES.taskCancelled, `OVH cancelled task ${task.id} (${task.function}) of ${domain}`, {
        hint: `task ${task.id} (${task.function}) was cancelled by OVH; retry orders the certificate of ${domain} again`,
      });
    }
    return;
  }
}
