// Starting runs: POST /v1/provisions, /v1/backups, /v1/restores, /v1/certificate-renewals, /v1/decommissions. The body is validated with the same parse functions
// as the CLI before anything starts (a bad input is a 400 and zero OVH writes); a run that already exists for the same
// business key is returned (200) instead of starting a second one.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runJson } from '../../cli/render/run-view.js';
import { checkProvisionSiteCertificate, checkRenewalCertificate } from '../../inputs/certificate.js';
import type { AccountChoice, RunRef, RunService } from '../../runs/service.js';
import { checkServiceExists } from '../../runs/service-check.js';
import { requestIdIssue } from '../../shared/backups.js';
import {
  parseBackupDatabaseInput,
  parseDecommissionSiteInput,
  parseProvisionSiteInput,
  parseRenewCertificateInput,
  parseRestoreDatabaseInput,
  parseUpdateAttachedDomainInput,
} from '../../shared/inputs/index.js';
import { invalidInput } from '../errors.js';
import {
  backupRequestSchema,
  decommissionRequestSchema,
  domainUpdateRequestSchema,
  errorResponses,
  provisionRequestSchema,
  renewCertificateRequestSchema,
  restoreRequestSchema,
  runSchema,
  startedSchema,
} from '../schemas.js';
import { runLocation } from './runs.js';

/** An `Idempotency-Key` a client may send so that retrying its own HTTP call cannot start a second backup. */
export const idempotencyHeader = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
      description:
        'Optional request id (a ticket number, a webhook delivery id): the same key returns the same run instead of starting another. Without it, each call starts a new run (a random UUID), unlike the CLI, which dedupes within a minute.',
    },
  },
};

/** 202 with the new run, or 200 with the existing one (same business key) as it stands. */
export async function answer(runs: RunService, reply: FastifyReply, ref: RunRef) {
  reply.header('Location', runLocation(ref.workflowId));
  if (ref.existing) {
    // The same business run is already known: its current state, not a second run.
    return reply.status(200).send({ ...runJson(await runs.describeRun(ref.workflowId)), existing: true });
  }
  return reply.status(202).send({ workflowId: ref.workflowId, runId: ref.runId, status: 'running' });
}

/**
 * The body without its `account` (the run's OVH account, not an input of the run itself), and that account. A
 * non-string account is an invalid input; an unknown name is refused by the run service (400 unknown_account).
 */
export function splitAccount(body: unknown): { input: unknown; choice: AccountChoice } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('account' in body)) return { input: body, choice: {} };
  const { account, ...input } = body as Record<string, unknown>;
  if (typeof account !== 'string') throw invalidInput([{ field: 'account', message: 'must be the name of an OVH account (a string)' }]);
  return { input, choice: { account } };
}

/** The request id that ends the workflow id: the caller's Idempotency-Key, or a new UUID. */
export function requestIdOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return randomUUID();
  const issue = typeof key === 'string' ? requestIdIssue(key) : 'must be given once';
  if (issue) throw invalidInput([{ field: 'Idempotency-Key', message: issue }]);
  return key as string;
}

/** What a route that starts a run answers. */
export const startResponses = { 202: startedSchema, 200: { ...runSchema, description: 'The same run already existed: its current state, with existing: true' }, ...errorResponses(400, 401, 413) };

export function registerStartRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {

  app.post(
    '/v1/provisions',
    {
      schema: {
        tags: ['runs'],
        summary: 'Provision a site: attach the domain, create its database, install a module, turn on HTTPS',
        description: 'One run per hosting service and domain (workflow id `provision-site/<service>/<domain>`): posting the same provisioning again returns the existing run (200).',
        body: provisionRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseProvisionSiteInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const certificateIssues = checkProvisionSiteCertificate(parsed.value);
      if (certificateIssues.length > 0) throw invalidInput(certificateIssues, 'invalid certificate, nothing was started');
      const missing = await checkServiceExists(runs, { serviceName: parsed.value.serviceName, ...choice });
      if (missing) throw invalidInput([missing], `${missing.message}, nothing was started`);
      const ref = await runs.startProvision(parsed.value, choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, ref.existing ? 'provisioning already known' : 'provisioning started');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/backups',
    {
      schema: {
        tags: ['runs'],
        summary: 'Dump one database now and verify the dump',
        description: 'Workflow id `backup-database/<service>/<database>/<uuid or Idempotency-Key>`.',
        headers: idempotencyHeader,
        body: backupRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseBackupDatabaseInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startBackup(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'backup requested');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/restores',
    {
      schema: {
        tags: ['runs'],
        summary: 'Restore a database from a dump (destructive)',
        description:
          'Takes a safety dump first unless `safetyDump` is false. Nothing is overwritten until the restore is confirmed: send `confirmed: true`, or start without it and POST /v1/runs/{id}/confirm once the chosen dump (shown in the run) is the right one. Workflow id `restore-database/<service>/<database>/<uuid or Idempotency-Key>`.',
        headers: idempotencyHeader,
        body: restoreRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseRestoreDatabaseInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startRestore(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'restore requested');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/certificate-renewals',
    {
      schema: {
        tags: ['runs'],
        summary: "Replace a hosting's certificate with a custom one, or regenerate Let's Encrypt",
        description: 'Workflow id `renew-certificate/<service>/<uuid or Idempotency-Key>`. The private key is encrypted in every Temporal payload and never logged.',
        headers: idempotencyHeader,
        body: renewCertificateRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseRenewCertificateInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      if (parsed.value.mode === 'custom') {
        const issues = checkRenewalCertificate(parsed.value);
        if (issues.length > 0) throw invalidInput(issues, 'invalid certificate, nothing was started');
      }
      const ref = await runs.startRenewCertificate(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'certificate renewal requested');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/decommissions',
    {
      schema: {
        tags: ['runs'],
        summary: 'Remove one site: safety dump, module, database, domain, certificate coverage (destructive)',
        description: 'Workflow id `decommission-site/<service>/<domain>/<uuid or Idempotency-Key>`. Touches only what its plan lists; a second decommission of the same site completes without a write.',
        headers: idempotencyHeader,
        body: decommissionRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseDecommissionSiteInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startDecommission(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'decommission requested');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/domain-updates',
    {
      schema: {
        tags: ['runs'],
        summary: "Change an attached domain's settings (path, ssl, cdn, firewall, ownLog, runtimeId, ipLocation)",
        description:
          'Reads the domain, sends one `PUT /hosting/web/{serviceName}/attachedDomain/{domain}` with what differs and waits for OVH\'s task; the result holds `before`, `after` and `changes`. A domain that already has every asked setting completes with `changed: false` and nothing written; one that is not attached needs attention (OvhNotFound). Abort puts the old settings back. Workflow id `update-attached-domain/<service>/<domain>/<uuid or Idempotency-Key>`.',
        headers: idempotencyHeader,
        body: domainUpdateRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseUpdateAttachedDomainInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startDomainUpdate(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'domain update requested');
      return answer(runs, reply, ref);
    },
  );
}
