// Every kind of run ovhflow starts, in one table: its workflow, how its input is parsed and checked, its workflow id,
// what the Temporal UI lists it as, how it is indexed, whether it waits for a confirmation, its HTTP route and its
// console form. The run service, the API's start routes, the `confirm` checks, the OpenAPI document and the console's
// start forms are all derived from it, so adding a run kind is its own files (workflow, activities, input) plus one
// row here — and a renamed workflow or a wrong argument list breaks the build, not a start call at run time.
//
// Names: one per concept, from the CLI to the URL, except where a name is already persisted: run types are stored as
// the OvhflowRunType search attribute of every run, workflow ids are business keys that running workflows and
// schedules hold, and the HTTP paths are a published contract. Those keep their first spelling (`renew-cert`,
// `renewCertificate`, `renew-certificate/…`, `/v1/certificate-renewals`); the table is where they meet.
import type { SearchAttributePair, Workflow } from '@temporalio/common';
import type { z } from 'zod';
import { checkProvisionSiteCertificate, checkRenewalCertificate } from '../inputs/certificate.js';
import { backupWorkflowId, nightlyWorkflowId, restoreWorkflowId } from '../shared/backups.js';
import { renewCertificateWorkflowId } from '../shared/certificates.js';
import { decommissionWorkflowId } from '../shared/decommission.js';
import { domainUpdateWorkflowId } from '../shared/domain-update.js';
import { ftpUserDeleteWorkflowId, ftpUserUpdateWorkflowId, ftpUserWorkflowId } from '../shared/ftp-user.js';
import type { RunSettings } from '../shared/hosting-tasks.js';
import {
  backupDatabaseInputSchema,
  createFtpUserInputSchema,
  decommissionSiteInputSchema,
  deleteFtpUserInputSchema,
  nightlyDumpsInputSchema,
  parseBackupDatabaseInput,
  parseCreateFtpUserInput,
  parseDecommissionSiteInput,
  parseDeleteFtpUserInput,
  parseNightlyDumpsInput,
  parseProvisionSiteInput,
  parseRenewCertificateInput,
  parseRestoreDatabaseInput,
  parseRotateCredentialsInput,
  parseUpdateAttachedDomainInput,
  parseUpdateFtpUserInput,
  parseSetPhpConfigInput,
  parseSetEnvVarsInput,
  setEnvVarsInputSchema,
  parseCronJobInput,
  cronJobInputSchema,
  setPhpConfigInputSchema,
  parseDeployWebsiteInput,
  deployWebsiteInputSchema,
  provisionSiteInputSchema,
  renewCertificateInputSchema,
  restoreDatabaseInputSchema,
  rotateCredentialsInputSchema,
  updateAttachedDomainInputSchema,
  updateFtpUserInputSchema,
  type InputIssue,
  type ParseResult,
  applyFleetInputSchema,
  parseApplyFleetInput,
} from '../shared/inputs/index.js';
import { applyFleetWorkflowId } from '../shared/apply.js';
import { folderName, phpConfigWorkflowId } from '../shared/php-config.js';
import { envVarsWorkflowId } from '../shared/env-vars.js';
import { deployWorkflowId } from '../shared/deploy.js';
import { cronWorkflowId } from '../shared/cron.js';
import { provisionWorkflowId } from '../shared/provision.js';
import { rotateWorkflowId, rotationSubject } from '../shared/rotate.js';
import { RUN_TYPES, type RunType } from '../shared/runs.js';
import { DOMAIN, SERVICE_NAME } from '../shared/search-attributes.js';
import {
  backupDatabase,
  createFtpUser,
  decommissionSite,
  deleteFtpUser,
  nightlyDumps,
  provisionSite,
  renewCertificate,
  restoreDatabase,
  rotateCredentials,
  setPhpConfig,
  setEnvVars,
  deployWebsite,
  manageCronJob,
  updateAttachedDomain,
  updateFtpUser,
  applyFleet,
} from '../workflows/index.js';
import { RUN_FORMS, type RunForm } from './run-forms.js';

/** The parsed input a workflow's first argument takes. */
type InputOf<W extends Workflow> = NonNullable<Parameters<W>[0]>;

export interface RunKind<W extends Workflow = Workflow> {
  workflow: W;
  /** What a person calls it, e.g. "Provision a site". */
  title: string;
  /** The shared parser: the CLI, the API, the console and the workflows' parse activity all use it. */
  parse: (raw: unknown) => ParseResult<InputOf<W>>;
  /** Its zod schema, published as the HTTP body's JSON Schema. */
  inputSchema: z.ZodType;
  /** Checks that need Node (X.509) beyond the parser, run before anything starts. */
  check?: (input: InputOf<W>) => InputIssue[];
  /**
   * Whether the workflow id ends with a request id (a CLI `--request-id`, an HTTP Idempotency-Key, a form's hidden
   * id): kinds without one are one run per business key (a second start finds the first).
   */
  requestId: boolean;
  workflowId: (input: InputOf<W>, requestId: string) => string;
  /** What makes a request id wrong for this kind, beyond the common rule (the nightly run's is a night, YYYY-MM-DD). */
  requestIdIssue?: (requestId: string) => string | undefined;
  /** What the Temporal UI lists the run as: user metadata, shown in every run list — names and domains, never a secret. */
  summary: (input: InputOf<W>) => string;
  /** Indexed at start, so the run is found by service and domain before its first step. */
  searchAttributes: (input: InputOf<W>) => SearchAttributePair[];
  /** The workflow's arguments; default `[input, settings]`, which every workflow but the nightly one takes. */
  args?: (input: InputOf<W>, settings: RunSettings, requestId: string) => Parameters<W>;
  /**
   * Set when runs of this kind may hold for an operator's go-ahead (`ovhflow confirm`, POST …/confirm): what is
   * confirmed, in words, and whether this input waits for it (it does not when started with `confirmed: true`).
   */
  confirmation?: { what: string; waits: (input: InputOf<W>) => boolean };
  /**
   * Ask a worker whether the hosting service exists before starting (one GET): a mistyped service is then an answer
   * for the caller (exit 2, HTTP 400, a refusal beside the form's field), not a run stopped at preflight.
   */
  checksService?: boolean;
  /** A completed run of this key is outdated once its site was decommissioned: starting again starts a new run. */
  outdatedByDecommission?: (input: InputOf<W>) => { serviceName: string; domain: string };
  /** `POST <path>` starts it over HTTP with the input as JSON body; absent: started another way (see `reason`). */
  http?: { path: string; summary: string; description: string; example: Record<string, unknown> } | { reason: string };
  /** The console's start form. */
  form: RunForm;
}

/** A row, typed against its own workflow: the compiler checks its parser, id builder and arguments. */
const kind = <W extends Workflow>(row: RunKind<NoInfer<W>> & { workflow: W }): RunKind<W> => row;

const service = (serviceName: string): SearchAttributePair[] => [{ key: SERVICE_NAME, value: serviceName }];
const site = (serviceName: string, domain: string): SearchAttributePair[] => [...service(serviceName), { key: DOMAIN, value: domain }];
const waiting = (confirmed: boolean) => (confirmed ? '' : ' (waits for a confirmation)');

export const RUN_KINDS = {
  provision: kind({
    workflow: provisionSite,
    title: 'Provision a site',
    parse: parseProvisionSiteInput,
    inputSchema: provisionSiteInputSchema,
    check: checkProvisionSiteCertificate,
    checksService: true,
    requestId: false,
    workflowId: (input) => provisionWorkflowId(input),
    summary: (input) => {
      const what = [
        input.database ? 'database' : undefined,
        input.module?.name ?? (input.module?.id !== undefined ? `module ${input.module.id}` : undefined),
        input.ssl?.mode === 'none' ? undefined : 'HTTPS',
      ]
        .filter(Boolean)
        .join(', ');
      return `Provision ${input.domain} on ${input.serviceName}${what ? ` (${what})` : ''}`;
    },
    searchAttributes: (input) => site(input.serviceName, input.domain),
    outdatedByDecommission: (input) => input,
    http: {
      path: '/v1/provisions',
      summary: 'Provision a site: attach the domain, create its database, install a module, turn on HTTPS',
      description: 'One run per hosting service and domain (workflow id `provision-site/<service>/<domain>`): posting the same provisioning again returns the existing run (200).',
      example: { serviceName: 'demo-agency.ovh', domain: 'blog.example.org', database: {}, module: { name: 'wordpress' } },
    },
    form: RUN_FORMS.provision,
  }),

  backup: kind({
    workflow: backupDatabase,
    title: 'Back up a database',
    parse: parseBackupDatabaseInput,
    inputSchema: backupDatabaseInputSchema,
    requestId: true,
    workflowId: (input, requestId) => backupWorkflowId(input.serviceName, input.databaseName, requestId),
    summary: (input) => `Back up database ${input.databaseName} of ${input.serviceName}`,
    searchAttributes: (input) => service(input.serviceName),
    http: {
      path: '/v1/backups',
      summary: 'Dump one database now and verify the dump',
      description: 'Workflow id `backup-database/<service>/<database>/<uuid or Idempotency-Key>`.',
      example: { serviceName: 'demo-agency.ovh', databaseName: 'demoagenmain' },
    },
    form: RUN_FORMS.backup,
  }),

  restore: kind({
    workflow: restoreDatabase,
    title: 'Restore a database',
    parse: parseRestoreDatabaseInput,
    inputSchema: restoreDatabaseInputSchema,
    requestId: true,
    workflowId: (input, requestId) => restoreWorkflowId(input.serviceName, input.databaseName, requestId),
    summary: (input) => `Restore database ${input.databaseName} of ${input.serviceName}${waiting(input.confirmed)}`,
    searchAttributes: (input) => service(input.serviceName),
    confirmation: { what: 'restore', waits: (input) => !input.confirmed },
    http: {
      path: '/v1/restores',
      summary: 'Restore a database from a dump (destructive)',
      description:
        'Takes a safety dump first unless `safetyDump` is false. Nothing is overwritten until the restore is confirmed: send `confirmed: true`, or start without it and POST /v1/runs/{id}/confirm once the chosen dump (shown in the run) is the right one. Workflow id `restore-database/<service>/<database>/<uuid or Idempotency-Key>`.',
      example: { serviceName: 'demo-agency.ovh', databaseName: 'demoagenmain', dump: 'latest', confirmed: true },
    },
    form: RUN_FORMS.restore,
  }),

  nightly: kind({
    workflow: nightlyDumps,
    title: 'Dump every database tonight',
    parse: parseNightlyDumpsInput,
    inputSchema: nightlyDumpsInputSchema,
    // The request id is the night (YYYY-MM-DD): one night's dumps started by hand once.
    requestId: true,
    workflowId: (_input, night) => nightlyWorkflowId(night),
    requestIdIssue: (night) => (/^\d{4}-\d{2}-\d{2}$/.test(night) && !Number.isNaN(Date.parse(night)) ? undefined : 'must be a night, YYYY-MM-DD'),
    summary: (input) => `Nightly dumps of ${input.services.length ? input.services.join(', ') : 'every hosting service'}`,
    searchAttributes: () => [],
    args: (input, settings, night): Parameters<typeof nightlyDumps> => [input, settings, { night }],
    http: { reason: 'nightly dumps run on Temporal Schedules: POST /v1/schedules, or trigger one with POST /v1/schedules/{id}/trigger' },
    form: RUN_FORMS.nightly,
  }),

  'ftp-user': kind({
    workflow: createFtpUser,
    title: 'Create an FTP/SSH user',
    parse: parseCreateFtpUserInput,
    inputSchema: createFtpUserInputSchema,
    requestId: false,
    workflowId: (input) => ftpUserWorkflowId(input),
    summary: (input) => `FTP/SSH user ${input.login} on ${input.serviceName}`,
    searchAttributes: (input) => service(input.serviceName),
    http: {
      path: '/v1/ftp-users',
      summary: 'Create an FTP/SSH user confined to a folder of the hosting',
      description: "One run per service and login (workflow id `create-ftp-user/<service>/<login>`). The generated password is in the run's result.",
      example: { serviceName: 'demo-agency.ovh', login: 'demoagen-dev', home: 'www/dev', sshState: 'sftponly' },
    },
    form: RUN_FORMS['ftp-user'],
  }),

  'renew-cert': kind({
    workflow: renewCertificate,
    title: 'Renew or replace a certificate',
    parse: parseRenewCertificateInput,
    inputSchema: renewCertificateInputSchema,
    check: (input) => (input.mode === 'custom' ? checkRenewalCertificate(input) : []),
    requestId: true,
    workflowId: (input, requestId) => renewCertificateWorkflowId(input.serviceName, requestId),
    summary: (input) => `Renew the certificate of ${input.serviceName} (${input.mode === 'custom' ? 'custom certificate' : "Let's Encrypt"})`,
    searchAttributes: (input) => service(input.serviceName),
    confirmation: { what: 'certificate replacement', waits: (input) => input.mode === 'custom' && !input.confirmed },
    http: {
      path: '/v1/certificate-renewals',
      summary: "Replace a hosting's certificate with a custom one, or regenerate Let's Encrypt",
      description:
        'A custom certificate is checked before anything starts (key, chain, validity, and a later expiry than `currentCertificate` when given); the worker then checks the domains it must keep covering. A replacement removes the current certificate first: without `confirmed: true` the run waits for POST /v1/runs/{id}/confirm. The private key is encrypted in every Temporal payload and never logged. Workflow id `renew-certificate/<service>/<uuid or Idempotency-Key>`.',
      example: { serviceName: 'demo-shop.ovh', mode: 'letsencrypt' },
    },
    form: RUN_FORMS['renew-cert'],
  }),

  decommission: kind({
    workflow: decommissionSite,
    title: 'Decommission a site',
    parse: parseDecommissionSiteInput,
    inputSchema: decommissionSiteInputSchema,
    requestId: true,
    workflowId: (input, requestId) => decommissionWorkflowId(input.serviceName, input.domain, requestId),
    summary: (input) => `Decommission ${input.domain} on ${input.serviceName}${waiting(input.confirmed)}`,
    searchAttributes: (input) => site(input.serviceName, input.domain),
    confirmation: { what: 'decommission', waits: (input) => !input.confirmed },
    http: {
      path: '/v1/decommissions',
      summary: 'Remove one site: safety dump, module, database, domain, certificate coverage (destructive)',
      description:
        'The run shows its plan (what it will remove) in its progress; without `confirmed: true` it waits for POST /v1/runs/{id}/confirm before removing anything. Touches only what its plan lists; a second decommission of the same site completes without a write. Workflow id `decommission-site/<service>/<domain>/<uuid or Idempotency-Key>`.',
      example: { serviceName: 'demo-agency.ovh', domain: 'blog.example.org', confirmed: false },
    },
    form: RUN_FORMS.decommission,
  }),

  'update-domain': kind({
    workflow: updateAttachedDomain,
    title: 'Change an attached domain',
    parse: parseUpdateAttachedDomainInput,
    inputSchema: updateAttachedDomainInputSchema,
    requestId: true,
    workflowId: (input, requestId) => domainUpdateWorkflowId(input.serviceName, input.domain, requestId),
    summary: (input) => {
      const asked = (['path', 'ssl', 'cdn', 'firewall', 'ownLog', 'runtimeId', 'ipLocation'] as const)
        .filter((key) => input[key] !== undefined)
        .map((key) => `${key} ${String(input[key])}`)
        .join(', ');
      return `Update ${input.domain} on ${input.serviceName}: ${asked}`;
    },
    searchAttributes: (input) => site(input.serviceName, input.domain),
    outdatedByDecommission: (input) => input,
    http: {
      path: '/v1/domain-updates',
      summary: "Change an attached domain's settings (path, ssl, cdn, firewall, ownLog, runtimeId, ipLocation)",
      description:
        "Reads the domain, sends one `PUT /hosting/web/{serviceName}/attachedDomain/{domain}` with what differs and waits for OVH's task; the result holds `before`, `after` and `changes`. A domain that already has every asked setting completes with `changed: false` and nothing written; one that is not attached needs attention (OvhNotFound). Abort puts the old settings back. Workflow id `update-attached-domain/<service>/<domain>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', domain: 'shop.example.com', cdn: 'active', firewall: 'active' },
    },
    form: RUN_FORMS['update-domain'],
  }),

  rotate: kind({
    workflow: rotateCredentials,
    title: 'Rotate a password',
    parse: parseRotateCredentialsInput,
    inputSchema: rotateCredentialsInputSchema,
    requestId: true,
    workflowId: (input, requestId) => rotateWorkflowId(input, requestId),
    summary: (input) => `Rotate the password of ${rotationSubject(input.target)} on ${input.serviceName}`,
    searchAttributes: (input) => service(input.serviceName),
    http: {
      path: '/v1/rotations',
      summary: "A new password for an FTP/SSH user, a module's admin or a database user",
      description:
        "`target.kind` `ftp-user` (login), `database` (name; `evenIfUsedByCms` to rotate a database a CMS uses). `module` is refused (400): OVH removed the call that changed a module's admin password in 2026, and the message says how to change it in the CMS. The new password is in the run's result, set once per run. A database a CMS uses is refused (the run fails as OvhflowRefused, nothing changed) unless `target.evenIfUsedByCms` is true. Workflow id `rotate-credentials/<service>/<kind>/<account>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', target: { kind: 'ftp-user', login: 'demoshop' } },
    },
    form: RUN_FORMS.rotate,
  }),

  'ftp-user-update': kind({
    workflow: updateFtpUser,
    title: 'Change an FTP/SSH user',
    parse: parseUpdateFtpUserInput,
    inputSchema: updateFtpUserInputSchema,
    requestId: true,
    workflowId: (input, requestId) => ftpUserUpdateWorkflowId(input, requestId),
    summary: (input) => {
      const what = [input.home !== undefined ? `home ${input.home}` : undefined, input.sshState ? `ssh ${input.sshState}` : undefined].filter(Boolean).join(', ');
      return `Change FTP/SSH user ${input.login} on ${input.serviceName} (${what})`;
    },
    searchAttributes: (input) => service(input.serviceName),
    http: { reason: 'a change of a resource: PATCH /v1/services/{serviceName}/ftp-users/{login} (routes/ftp-users.ts)' },
    form: RUN_FORMS['ftp-user-update'],
  }),

  'ftp-user-delete': kind({
    workflow: deleteFtpUser,
    title: 'Delete an FTP/SSH user',
    parse: parseDeleteFtpUserInput,
    inputSchema: deleteFtpUserInputSchema,
    requestId: true,
    workflowId: (input, requestId) => ftpUserDeleteWorkflowId(input, requestId),
    summary: (input) => `Delete FTP/SSH user ${input.login} of ${input.serviceName}${waiting(input.confirmed)}`,
    searchAttributes: (input) => service(input.serviceName),
    confirmation: { what: 'FTP/SSH user deletion', waits: (input) => !input.confirmed },
    http: { reason: 'a removal of a resource: DELETE /v1/services/{serviceName}/ftp-users/{login} (routes/ftp-users.ts)' },
    form: RUN_FORMS['ftp-user-delete'],
  }),

  php: kind({
    workflow: setPhpConfig,
    title: "Set a folder's PHP (.ovhconfig)",
    parse: parseSetPhpConfigInput,
    inputSchema: setPhpConfigInputSchema,
    requestId: true,
    workflowId: (input, requestId) => phpConfigWorkflowId(input.serviceName, input.path, requestId),
    summary: (input) => {
      const asked = (['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const)
        .filter((key) => input[key] !== undefined)
        .map((key) => `${key} ${String(input[key])}`)
        .join(', ');
      return `PHP of ${folderName(input.path)} on ${input.serviceName}: ${asked}`;
    },
    searchAttributes: (input) => service(input.serviceName),
    http: {
      path: '/v1/php-configs',
      summary: "Set a folder's PHP engine, version, environment, HTTP firewall and container (its .ovhconfig)",
      description:
        "Reads the folder's configuration (`path`, relative to the home; default `''`, the home) and the hosting's `ovhConfigCapabilities`: a version or container the hosting does not offer fails the run as OvhflowRefused before anything is written. Then one `POST /hosting/web/{serviceName}/ovhConfig/{id}/changeConfiguration` with what differs, and OVH's task is waited for; the result holds `before`, `after` and `changes`. A configuration that already has every asked setting completes with `changed: false` and nothing written. Abort (or cancel) after the change rolls the old configuration back (`ovhConfig/{id}/rollback`). Workflow id `set-php-config/<service>/<path or .>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', path: 'shop', engineVersion: '8.3', environment: 'production' },
    },
    form: RUN_FORMS.php,
  }),

  env: kind({
    workflow: setEnvVars,
    title: "Set a hosting's environment variables",
    parse: parseSetEnvVarsInput,
    inputSchema: setEnvVarsInputSchema,
    requestId: true,
    workflowId: (input, requestId) => envVarsWorkflowId(input.serviceName, requestId),
    // Names only: the summary is shown in every run list, and a value may be a password.
    summary: (input) =>
      `Environment variables of ${input.serviceName}: ${[...(input.set.length ? [`set ${input.set.map((s) => s.name).join(', ')}`] : []), ...(input.unset.length ? [`unset ${input.unset.join(', ')}`] : [])].join('; ')}`,
    searchAttributes: (input) => service(input.serviceName),
    checksService: true,
    http: {
      path: '/v1/env-vars',
      summary: "Set and remove a hosting's environment variables",
      description:
        "`set`: variables that must exist, each `{name, value, type}` (`type`: `string` (default), `integer` or `password`); `unset`: names of variables that must not exist. Names are letters, digits and `_`, not starting with a digit, at most 64 characters; values one line, not empty; a password at least 8 characters. Only what differs is written (`POST|PUT|DELETE /hosting/web/{serviceName}/envVar[/{key}]`), each write waiting for OVH's task; a new type is a delete and a create. A request OVH already satisfies completes with `changed: false` and nothing written. A password's value is never shown: `********` in the result. Abort (or cancel) puts back every variable the run wrote. Workflow id `set-env-vars/<service>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', set: [{ name: 'APP_ENV', value: 'production' }, { name: 'WORKERS', value: '4', type: 'integer' }], unset: ['OLD_FLAG'] },
    },
    form: RUN_FORMS.env,
  }),

  deploy: kind({
    workflow: deployWebsite,
    title: 'Deploy a folder from Git',
    parse: parseDeployWebsiteInput,
    inputSchema: deployWebsiteInputSchema,
    requestId: true,
    workflowId: (input, requestId) => deployWorkflowId(input.serviceName, input.path, requestId),
    summary: (input) => `Deploy ${input.repository} (${input.branch}) into ${input.path} of ${input.serviceName}${input.reset ? ', reset first' : ''}`,
    searchAttributes: (input) => service(input.serviceName),
    checksService: true,
    // Only a folder linked to another repository waits (known at preflight); `confirmed` gives the go-ahead at start.
    confirmation: { what: 'Git repository replacement', waits: (input) => !input.confirmed },
    http: {
      path: '/v1/deployments',
      summary: "Deploy a folder from a GitHub repository's branch (OVH's Git deployment)",
      description:
        "Preflight reads the folder's Git link, `websiteCreationCapabilities` and the modules in the folder: when the link must be created, a folder that is not empty (a module there) or an offer at its limit fails the run as OvhflowRefused before anything is written; OVH itself refuses a folder holding files (the run then waits for an operator, nothing written). A non-GitHub URL is a 400 (OVH deploys from GitHub only). A new link is created (`POST website`, a task); a new branch is a `PUT website/{id}`; another repository deletes the link (and its files) and creates a new one, which waits for POST /v1/runs/{id}/confirm unless `confirmed: true`. Then `POST website/{id}/deploy` (`reset`), waited for until `successful` — the result holds `deployment.commit` and `pushWebhook`, the URL to give GitHub for push events — or `failed`: the run needs attention with OVH's deployment log in its failure, and retry deploys again. Each request deploys once more; the link is never created twice. Abort removes a link the run created (with the files it deployed; the folder was empty before); a deployment, a branch change or a replaced link cannot be undone. Workflow id `deploy-website/<service>/<path>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', path: 'www/app', repository: 'https://github.com/acme/site', branch: 'main' },
    },
    form: RUN_FORMS.deploy,
  }),

  cron: kind({
    workflow: manageCronJob,
    title: 'Add, change or delete a cron job',
    parse: parseCronJobInput,
    inputSchema: cronJobInputSchema,
    checksService: true,
    requestId: true,
    workflowId: (input, requestId) => cronWorkflowId(input.serviceName, input.action, requestId),
    summary: (input) => `cron ${input.action} "${input.command}" on ${input.serviceName}${input.frequency ? ` at "${input.frequency}"` : ''}`,
    searchAttributes: (input) => service(input.serviceName),
    http: {
      path: '/v1/cron-jobs',
      summary: 'Add, change or delete a scheduled task (cron job), known by the command it runs',
      description:
        "A job is identified by its `command` (the script relative to the home, with its arguments), never by OVH's id. `action` `add` creates it (`frequency` required; `language` defaults to the newest PHP the hosting offers): an identical existing job completes with `changed: false` and nothing written, one with other settings fails the run as OvhflowRefused (use `update`). `update` changes the given settings (a missing job: OvhflowRefused). `delete` removes it (a missing job: `changed: false`, nothing written). The `frequency` is five crontab fields; OVH ignores the minutes field and picks the minute itself (the result's `minutesNote` says so); a malformed one is a 400. An offer without crontab, without room left, or a language the hosting does not offer fails the run as OvhflowRefused before any write. POST and DELETE wait for OVH's task, PUT for the job to settle. Abort after the write undoes it (created job deleted, changed job restored, deleted job re-created). Workflow id `cron/<service>/<action>/<uuid or Idempotency-Key>`.",
      example: { serviceName: 'demo-shop.ovh', action: 'add', command: 'shop/cron/cleanup.php', frequency: '0 3 * * *', language: 'php8.3' },
    },
    form: RUN_FORMS.cron,
  }),

  apply: kind({
    workflow: applyFleet,
    title: 'Apply a fleet file',
    parse: parseApplyFleetInput,
    inputSchema: applyFleetInputSchema,
    requestId: true,
    workflowId: (_input, requestId) => applyFleetWorkflowId(requestId),
    summary: (input) => {
      const changes = input.tasks.reduce((sum, task) => sum + task.changes.length, 0);
      const services = new Set(input.tasks.map((task) => `${task.account}/${task.serviceName}`)).size;
      return `Apply ${changes} change(s) to ${input.tasks.length} site(s) on ${services} hosting service(s)`;
    },
    searchAttributes: () => [],
    http: { reason: 'the body is a fleet file, planned first: POST /v1/applies (routes/applies.ts)' },
    form: RUN_FORMS.apply,
  }),
} as const satisfies Record<RunType, { workflow: Workflow }>;

export type RunKinds = typeof RUN_KINDS;
/** The parsed input of a run kind. */
export type RunInput<T extends RunType> = InputOf<RunKinds[T]['workflow']>;

/** The table's rows, in the order of RUN_TYPES (the order the CLI's help and the console list them). */
export function runKinds(): Array<[RunType, RunKind]> {
  return RUN_TYPES.map((type) => [type, RUN_KINDS[type] as unknown as RunKind]);
}

/** The run type of a workflow type name (what Temporal records), for runs listed or described. */
export const RUN_TYPE_OF_WORKFLOW: Readonly<Record<string, RunType>> = Object.fromEntries(runKinds().map(([type, row]) => [row.workflow.name, type]));

/** The kinds whose runs may wait for `confirm`, as a person reads them: "a restore, a decommission, …". */
export function confirmableKinds(): string {
  const whats = runKinds().flatMap(([, row]) => (row.confirmation ? [row.confirmation.what] : []));
  const article = (what: string) => (/^[aeiouAEIOU]|^FTP/.test(what) ? 'an' : 'a');
  return whats.map((what, i) => `${i === whats.length - 1 && i > 0 ? 'or ' : ''}${article(what)} ${what}`).join(', ');
}

/** Each kind's parser by run type: the worker's `parseRunInput` activity parses with these. */
export function runInputParsers(): Record<RunType, (raw: unknown) => ParseResult<unknown>> {
  return Object.fromEntries(runKinds().map(([type, row]) => [type, row.parse])) as Record<RunType, (raw: unknown) => ParseResult<unknown>>;
}
