// Captures a workflow's event history as JSON for the replay tests (test/replay/histories/).
//
//   npm run capture-history -- --workflow-id ID [--address host:port] [--namespace ns] [--out file]
//       fetches the history of an existing run (e.g. one you ran against `npm start`);
//   npm run capture-history -- --scenario smoke [--out file]
//       starts its own dev server and worker, runs the scenario for real, and captures it.
//
// Commit the file: the replay test then proves every later change to the workflow code still replays it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { encryptedDataConverter } from '../src/codec/encryption-codec.js';
import { REPLAY_KEYRING } from '../test/replay/replay-keyring.js';
import { createLogger } from '../src/logging/logger.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { connectWorkerConnection, createWorker } from '../src/worker.js';
import { parseNotifySettings } from '../src/notify/settings.js';
import { smokeTest } from '../src/workflows/smoke-test.js';
import { inventory } from '../src/workflows/inventory.js';
import { checkCredentials, requestCredentials } from '../src/workflows/credentials.js';
import { dnsCheck } from '../src/workflows/dns-check.js';
import { deliverNotification } from '../src/workflows/deliver-notification.js';
import { certificateWatch } from '../src/workflows/certificate-watch.js';
import { accountRateShares } from '../src/workflows/account-rate-shares.js';
import { claimRateShare } from '../src/shared/rate-shares.js';
import { provisionSite } from '../src/workflows/provision-site.js';
import { fleetRead } from '../src/workflows/fleet-read.js';
import { fleetDrift } from '../src/workflows/fleet-drift.js';
import { request as httpsRequest } from 'node:https';
import selfsigned from 'selfsigned';
import {
  parseBackupDatabaseInput,
  parseCreateFtpUserInput,
  parseDecommissionSiteInput,
  parseDeleteFtpUserInput,
  parseDeployWebsiteInput,
  parseNightlyDumpsInput,
  parseRotateCredentialsInput,
  parseUpdateFtpUserInput,
  parseRenewCertificateInput,
  parseProvisionSiteInput,
  parseRestoreDatabaseInput,
  parseSetPhpConfigInput,
  parseSetEnvVarsInput,
  parseCronJobInput,
  parseApplyFleetInput,
  parseUpdateAttachedDomainInput,
  type ProvisionSiteInput,
} from '../src/shared/inputs/index.js';
import { createRunService } from '../src/runs/service.js';
import { abortUpdate, confirmUpdate, progressQuery, retryUpdate, skipUpdate } from '../src/shared/runs.js';
import { createFtpUser } from '../src/workflows/create-ftp-user.js';
import { nightlyDumps } from '../src/workflows/nightly-dumps.js';
import { backupDatabase } from '../src/workflows/backup-database.js';
import { restoreDatabase } from '../src/workflows/restore-database.js';
import { startSimulator } from '../src/simulator/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values } = parseArgs({
  options: {
    'workflow-id': { type: 'string' },
    'run-id': { type: 'string' },
    scenario: { type: 'string' },
    address: { type: 'string', default: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' },
    namespace: { type: 'string', default: process.env.TEMPORAL_NAMESPACE ?? 'default' },
    out: { type: 'string' },
  },
});

// provision: a real provisioning of a demo site against a simulator started for the capture, tasks compressed.
const FAST_POLL = { initialIntervalSeconds: 0.1, backoffCoefficient: 2, maximumIntervalSeconds: 0.5 };
/** A capture's view of the simulator: its admin API (faults), over HTTPS with the simulator's own CA. */
interface CaptureSimulator {
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
}

const provisionInput = (raw: Record<string, unknown>) => {
  const parsed = parseProvisionSiteInput({ serviceName: 'demo-shop.ovh', ...raw });
  if (!parsed.ok) throw new Error(`bad scenario input: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
};

const deployInput = (path: string) => {
  const parsed = parseDeployWebsiteInput({ serviceName: 'demo-agency.ovh', path, repository: 'https://github.com/acme/site', branch: 'main' });
  if (!parsed.ok) throw new Error(`bad scenario input: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
};

/** A site with everything that runs on it: PHP, a variable and a password variable, a cron job, a Git deployment. */
const siteSetupInput = (domain: string) => {
  const parsed = parseProvisionSiteInput({
    serviceName: 'demo-agency.ovh',
    domain,
    ssl: 'none',
    dns: 'skip',
    php: { engineVersion: '8.3' },
    env: [{ name: 'APP_ENV', value: 'production' }, { name: 'APP_SECRET', type: 'password', value: 'captured-secret-value' }],
    cron: [{ command: `${domain}/cron/nightly.php`, frequency: '0 3 * * *', language: 'php8.3' }],
    git: { repository: 'https://github.com/acme/agency-theme', branch: 'main' },
  });
  if (!parsed.ok) throw new Error(`bad scenario input: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
};

/** Waits until the run asks an operator (progress query), then returns. */
async function untilNeedsAttention(client: Client, workflowId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const progress = await client.workflow.getHandle(workflowId).query(progressQuery).catch(() => undefined);
    if (progress?.status === 'needs-attention') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${workflowId} never asked an operator`);
}

/** Waits for the end of a run that is expected to fail (aborted) or be cancelled. */
async function untilClosed(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).result().catch(() => undefined);
}

/** A scenario answers the workflow id of the run to capture (its latest run), or one run of it. */
const scenarios: Record<string, (client: Client, taskQueue: string, sim: CaptureSimulator) => Promise<string | { workflowId: string; runId: string }>> = {
  async provision(client, taskQueue) {
    const parsed = parseProvisionSiteInput({ serviceName: 'demo-shop.ovh', domain: 'captured.example.com', database: {}, module: { name: 'wordpress' } });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/provision/${randomUUID()}`;
    await client.workflow.execute(provisionSite, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }] });
    return workflowId;
  },
  // Started as the CLI, the HTTP API and the console start it (the run service): indexed in full at start, so the
  // workflow writes no search attribute before its first step.
  async 'provision-run-service'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('provision', provisionInput({ domain: 'run-service.example.com', database: {}, module: { name: 'wordpress' } }));
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // Started straight on Temporal with a shorthand input nobody parsed: the workflow has it parsed (and normalized) by
  // a local activity, behind the `input-parsed-by-local-activity` patch.
  async 'provision-raw-input'(client, taskQueue) {
    const workflowId = `capture/provision-raw/${randomUUID()}`;
    const raw = { serviceName: 'demo-shop.ovh', domain: 'Raw.Example.COM.', database: {}, module: 'wordpress' } as unknown as ProvisionSiteInput;
    await client.workflow.execute(provisionSite, { taskQueue, workflowId, args: [raw, { poll: FAST_POLL }] });
    return workflowId;
  },
  async backup(client, taskQueue) {
    const parsed = parseBackupDatabaseInput({ serviceName: 'demo-shop.ovh', databaseName: 'demoshopdb1' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/backup/${randomUUID()}`;
    await client.workflow.execute(backupDatabase, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }] });
    return workflowId;
  },
  async restore(client, taskQueue) {
    const parsed = parseRestoreDatabaseInput({ serviceName: 'demo-shop.ovh', databaseName: 'demoshopdb1', dump: { latest: true }, confirmed: true });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/restore/${randomUUID()}`;
    await client.workflow.execute(restoreDatabase, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }] });
    return workflowId;
  },
  // needs-attention -> retry with a correction (`--set module.adminName=...`): the module install is refused once, retried with another admin name.
  async 'provision-retry-set'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }] });
    const workflowId = `capture/provision-retry/${randomUUID()}`;
    await client.workflow.start(provisionSite, { taskQueue, workflowId, args: [provisionInput({ domain: 'retried.example.com', database: {}, module: { name: 'wordpress' } }), { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(retryUpdate, { args: [{ set: ['module.adminName=webmaster'] }] });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // needs-attention -> skip: the certificate regeneration is refused, the operator goes on without HTTPS.
  async 'provision-skip'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'POST', path: '/hosting/web/*/ssl/regenerate', status: 403, times: 1 }] });
    const workflowId = `capture/provision-skip/${randomUUID()}`;
    await client.workflow.start(provisionSite, { taskQueue, workflowId, args: [provisionInput({ domain: 'skipped.example.com', database: {}, module: { name: 'wordpress' } }), { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(skipUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // needs-attention -> abort: the module is refused; the database and the domain the run created are undone.
  async 'provision-abort'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }] });
    const workflowId = `capture/provision-abort/${randomUUID()}`;
    await client.workflow.start(provisionSite, { taskQueue, workflowId, args: [provisionInput({ domain: 'aborted.example.com', database: {}, module: { name: 'wordpress' } }), { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(abortUpdate);
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // a cancel (Temporal UI) while the run waits for an operator: compensated like an abort, ends cancelled.
  async 'provision-cancel'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'POST', path: '/hosting/web/*/module', status: 400, times: 1 }] });
    const workflowId = `capture/provision-cancel/${randomUUID()}`;
    await client.workflow.start(provisionSite, { taskQueue, workflowId, args: [provisionInput({ domain: 'cancelled.example.com', database: {}, module: { name: 'wordpress' } }), { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).cancel();
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // a restore started without confirmation, confirmed by an operator's update.
  async 'restore-confirmed'(client, taskQueue) {
    const parsed = parseRestoreDatabaseInput({ serviceName: 'demo-shop.ovh', databaseName: 'demoshopdb1', dump: { latest: true } });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/restore-confirmed/${randomUUID()}`;
    await client.workflow.start(restoreDatabase, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(confirmUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // a night whose one dump task OVH cancels: the child waits for an operator, the night reports it and completes.
  async 'nightly-failed-child'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ taskFunction: 'dump/create', outcome: 'cancelled', times: 1 }] });
    const parsed = parseNightlyDumpsInput({ services: ['demo-shop.ovh', 'demo-agency.ovh'], concurrency: 2 });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/nightly/${randomUUID()}`;
    await client.workflow.execute(nightlyDumps, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }, { night: '2030-01-01' }] });
    return workflowId;
  },
  async 'ftp-user'(client, taskQueue) {
    const parsed = parseCreateFtpUserInput({ serviceName: 'demo-shop.ovh', login: 'demoshop-captured', home: 'captured', sshState: 'sftponly' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const workflowId = `capture/ftp-user/${randomUUID()}`;
    await client.workflow.execute(createFtpUser, { taskQueue, workflowId, args: [parsed.value, { poll: FAST_POLL }] });
    return workflowId;
  },
  // DNS elsewhere: the run waits for DNS (listing the records), an operator re-checks now (retry), then the owner's
  // change lets it go on by itself.
  async 'provision-dns-external'(client, taskQueue, sim) {
    const domain = 'elsewhere.customer.example';
    const state = (await sim.admin('GET', '/state')) as { services: Record<string, { service: { token: string } }> };
    await sim.admin('PUT', `/dns/ovhcontrol.${domain}`, { txt: [state.services['demo-shop.ovh']?.service.token] });
    await sim.admin('PUT', `/dns/${domain}`, { a: ['203.0.113.9'] });
    const workflowId = `capture/provision-dns-external/${randomUUID()}`;
    await client.workflow.start(provisionSite, { taskQueue, workflowId, args: [provisionInput({ domain, ssl: 'none' }), { poll: FAST_POLL }] });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(retryUpdate, { args: [{}] });
    await untilNeedsAttention(client, workflowId);
    await sim.admin('PUT', `/dns/${domain}`, { a: ['192.0.2.28'], aaaa: ['2001:db8::28'] });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // Two provisionings of one hosting without per-domain certificates (multipleSSL false), started together: the
  // hosting-wide certificate, where the second waits out the first's "busy" certificate.
  async 'provision-hosting-wide'(client, taskQueue, sim) {
    await sim.admin('POST', '/services/legacy-wide.ovh', { offer: 'PRO', multipleSsl: false });
    const [first, second] = ['wide-a.example.org', 'wide-b.example.org'].map((domain) => {
      const parsed = parseProvisionSiteInput({ serviceName: 'legacy-wide.ovh', domain });
      if (!parsed.ok) throw new Error('bad scenario input');
      return parsed.value;
    }) as [ProvisionSiteInput, ProvisionSiteInput];
    const ids = [`capture/provision-wide/${randomUUID()}`, `capture/provision-wide/${randomUUID()}`];
    await Promise.all([first, second].map((input, i) => client.workflow.execute(provisionSite, { taskQueue, workflowId: ids[i]!, args: [input, { poll: FAST_POLL }] })));
    return ids[1]!;
  },
  async 'doctor-account'(client, taskQueue) {
    const workflowId = `capture/doctor/${randomUUID()}`;
    await client.workflow.execute('doctorAccount', { taskQueue, workflowId, args: [{ account: 'default' }] });
    return workflowId;
  },
  async 'dns-check'(client, taskQueue) {
    const workflowId = `capture/dns-check/${randomUUID()}`;
    await client.workflow.execute(dnsCheck, { taskQueue, workflowId, args: [{ serviceName: 'demo-shop.ovh', domain: 'shop.example.com' }] });
    return workflowId;
  },
  // a Let's Encrypt renewal of demo-shop.ovh's certificate: regenerated in place.
  async 'renew-cert-letsencrypt'(client, taskQueue) {
    const parsed = parseRenewCertificateInput({ serviceName: 'demo-shop.ovh', mode: 'letsencrypt' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('renew-cert', parsed.value, { requestId: 'captured' });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // a site provisioned on demo-agency.ovh, then decommissioned: plan, an operator's confirmation, safety dump,
  // module, database, domain, and the certificate deleted (no other SSL domain remains).
  async 'decommission-confirmed'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const site = parseProvisionSiteInput({ serviceName: 'demo-agency.ovh', domain: 'decommissioned.example.org', database: {}, module: { name: 'wordpress' } });
    if (!site.ok) throw new Error('bad scenario input');
    await client.workflow.getHandle((await runs.start('provision', site.value)).workflowId).result();
    const parsed = parseDecommissionSiteInput({ serviceName: 'demo-agency.ovh', domain: 'decommissioned.example.org' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('decommission', parsed.value, { requestId: 'captured' });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(confirmUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // A site born complete (issue #25, the `ovhflow-site-setup-1` patch): PHP, environment variables, a cron job and a
  // Git deployment of its folder, each a step of the provisioning.
  async 'provision-site-setup'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('provision', siteSetupInput('complete.example.org'));
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // Its decommission: the cron job in the site's folder and the folder's Git link go with the site.
  async 'decommission-site-setup'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    await client.workflow.getHandle((await runs.start('provision', siteSetupInput('gone-complete.example.org'))).workflowId).result();
    const parsed = parseDecommissionSiteInput({ serviceName: 'demo-agency.ovh', domain: 'gone-complete.example.org', confirmed: true });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('decommission', parsed.value, { requestId: 'captured' });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // a hosting whose CUSTOM certificate does not cover a new domain: the ssl step asks for a decision (the
  // `ovhflow-custom-certificate-decision-1` patch), and an operator skips it.
  async 'provision-custom-decision'(client, taskQueue, sim) {
    const day = 24 * 60 * 60 * 1000;
    await sim.admin('POST', '/services/custom-capture.ovh', { offer: 'PRO', primaryLogin: 'customcap' });
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'first.example.org' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - day),
      notAfterDate: new Date(Date.now() + 90 * day),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'first.example.org' }] }],
    });
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const first = parseProvisionSiteInput({ serviceName: 'custom-capture.ovh', domain: 'first.example.org', ssl: { mode: 'custom', certificate: pems.cert, key: pems.private } });
    if (!first.ok) throw new Error('bad scenario input');
    await client.workflow.getHandle((await runs.start('provision', first.value)).workflowId).result();
    const second = parseProvisionSiteInput({ serviceName: 'custom-capture.ovh', domain: 'second.example.org' });
    if (!second.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('provision', second.value);
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(skipUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // an attached domain's options changed (PUT attachedDomain, its task waited for), started as the CLI starts it.
  async 'update-domain'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('update-domain', { serviceName: 'demo-shop.ovh', domain: 'shop.example.com', cdn: 'active', firewall: 'active' }, { requestId: randomUUID() });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // Issue #14's runs, started as the CLI and the API start them (the run service).
  // A database a CMS uses, rotated with the explicit flag: preflight finds the module, the password is changed once.
  async rotate(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseRotateCredentialsInput({ serviceName: 'demo-shop.ovh', target: { kind: 'database', name: 'demoshopdb1', evenIfUsedByCms: true } });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('rotate', parsed.value, { requestId: randomUUID() });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  async 'ftp-user-update'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseUpdateFtpUserInput({ serviceName: 'demo-shop.ovh', login: 'demoshop', sshState: 'sftponly' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('ftp-user-update', parsed.value, { requestId: randomUUID() });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // a deletion started without confirmation: it shows the user, waits, and is confirmed by an operator's update.
  async 'ftp-user-delete-confirmed'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const created = parseCreateFtpUserInput({ serviceName: 'demo-shop.ovh', login: 'demoshop-gone', home: 'gone' });
    const parsed = parseDeleteFtpUserInput({ serviceName: 'demo-shop.ovh', login: 'demoshop-gone' });
    if (!created.ok || !parsed.ok) throw new Error('bad scenario input');
    await client.workflow.getHandle((await runs.start('ftp-user', created.value)).workflowId).result();
    const { workflowId } = await runs.start('ftp-user-delete', parsed.value, { requestId: randomUUID() });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(confirmUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // php set: the shop's folder moved to PHP 8.3, through the run service (as the CLI and the API start it).
  async php(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseSetPhpConfigInput({ serviceName: 'demo-shop.ovh', path: 'shop', engineVersion: '8.3', environment: 'development' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('php', parsed.value);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // php set stopped for an operator after OVH took the change (its task could not be read), then aborted: rollback.
  async 'php-abort'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'GET', path: '/hosting/web/*/tasks/*', status: 400, times: 1 }] });
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseSetPhpConfigInput({ serviceName: 'demo-agency.ovh', engineVersion: '8.4', httpFirewall: 'security' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('php', parsed.value);
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(abortUpdate);
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // env set: a string and an integer variable created, a password one too, through the run service.
  async env(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseSetEnvVarsInput({ serviceName: 'demo-shop.ovh', set: [{ name: 'APP_ENV', value: 'production' }, { name: 'WORKERS', value: '4', type: 'integer' }, { name: 'DB_PASS', value: 'Captured-Secret-1', type: 'password' }] });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('env', parsed.value);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // env set stopped for an operator after its writes (the check was refused), then aborted: created removed, changed
  // put back, removed created again.
  async 'env-abort'(client, taskQueue, sim) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const setup = parseSetEnvVarsInput({ serviceName: 'demo-agency.ovh', set: [{ name: 'KEEP_ME', value: 'old-value' }, { name: 'OLD_FLAG', value: '7', type: 'integer' }] });
    if (!setup.ok) throw new Error('bad scenario input');
    await client.workflow.getHandle((await runs.start('env', setup.value)).workflowId).result();
    const parsed = parseSetEnvVarsInput({ serviceName: 'demo-agency.ovh', set: [{ name: 'NEW_VAR', value: 'fresh' }, { name: 'KEEP_ME', value: 'new-value' }], unset: ['OLD_FLAG'] });
    if (!parsed.ok) throw new Error('bad scenario input');
    await sim.admin('PUT', '/config', { taskDurationMs: { 'envVar/delete': 2_000 } });
    const { workflowId } = await runs.start('env', parsed.value);
    const handle = client.workflow.getHandle(workflowId);
    for (;;) {
      const progress = await handle.query(progressQuery);
      if (progress.steps.find((step) => step.name === 'apply')?.task?.function === 'envVar/delete') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await sim.admin('POST', '/faults', { rules: [{ method: 'GET', path: '/hosting/web/demo-agency.ovh/envVar', status: 400, times: 1 }] });
    await untilNeedsAttention(client, workflowId);
    await handle.executeUpdate(abortUpdate);
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // deploy: a first Git deployment of a folder (the link created, then deployed), through the run service.
  async deploy(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('deploy', deployInput('captured'));
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // deploy whose deployment failed (OVH's log in the failure), retried by an operator: the second deployment succeeds.
  async 'deploy-failed-retry'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ taskFunction: 'website/vcs/deploy', outcome: 'failed', times: 1 }] });
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('deploy', deployInput('retried'));
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(retryUpdate, { args: [{ set: [] }] });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // deploy whose first deployment failed, aborted: the link the run created is removed.
  async 'deploy-abort'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ taskFunction: 'website/vcs/deploy', outcome: 'failed', times: 1 }] });
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const { workflowId } = await runs.start('deploy', deployInput('aborted'));
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(abortUpdate);
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // deploy of another repository into a linked folder: it waits for a confirmation, then deletes and creates the link.
  async 'deploy-replace-confirmed'(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const first = await runs.start('deploy', deployInput('replaced'));
    await client.workflow.getHandle(first.workflowId).result();
    const { workflowId } = await runs.start('deploy', { ...deployInput('replaced'), repository: 'https://github.com/acme/other-site' });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(confirmUpdate);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  async smoke(client, taskQueue) {
    const workflowId = `capture/smoke/${randomUUID()}`;
    await client.workflow.execute(smokeTest, { taskQueue, workflowId, args: [{ greeting: 'captured' }] });
    return workflowId;
  },
  // The worker-side reads of `ovhflow ls` and `ovhflow credentials request|check`.
  async inventory(client, taskQueue) {
    const workflowId = `capture/inventory/${randomUUID()}`;
    await client.workflow.execute(inventory, { taskQueue, workflowId, args: [{ kind: 'databases', serviceName: 'demo-shop.ovh' }] });
    return workflowId;
  },
  async 'credentials-request'(client, taskQueue) {
    const workflowId = `capture/credentials-request/${randomUUID()}`;
    await client.workflow.execute(requestCredentials, { taskQueue, workflowId, args: [{}] });
    return workflowId;
  },
  async 'credentials-check'(client, taskQueue) {
    const workflowId = `capture/credentials-check/${randomUUID()}`;
    await client.workflow.execute(checkCredentials, { taskQueue, workflowId, args: [] });
    return workflowId;
  },
  // A notification as a run starts it (RunControl, the certificate watch); with receivers when OVHFLOW_NOTIFY_URL is set.
  async 'deliver-notification'(client, taskQueue) {
    const workflowId = `capture/deliver-notification/${randomUUID()}`;
    const input = {
      event: 'run.needs_attention' as const,
      deliveryId: 'provision-site/demo-shop.ovh/captured.example.com/run-1/run.needs_attention/1',
      occurredAt: new Date().toISOString(),
      runId: 'provision-site/demo-shop.ovh/captured.example.com',
      temporalRunId: 'run-1',
      kind: 'provision',
      step: 'createDatabase',
      failureType: 'OvhBadRequest',
      message: 'OVH refused the database creation',
    };
    await client.workflow.execute(deliverNotification, { taskQueue, workflowId, args: [input] });
    return workflowId;
  },
  async 'certificate-watch'(client, taskQueue) {
    const workflowId = `capture/certificate-watch/${randomUUID()}`;
    await client.workflow.execute(certificateWatch, { taskQueue, workflowId, args: [{ services: ['demo-shop.ovh'], warnDays: 14 }] });
    return workflowId;
  },
  // `ovhflow plan`'s read: two services, one of them unknown (a failure the plan reports, not the run's).
  async 'fleet-read'(client, taskQueue) {
    const workflowId = `capture/fleet-read/${randomUUID()}`;
    const declaration = { sites: [{ domain: 'shop.example.com', path: 'shop', cdn: 'active', php: { engineVersion: '8.3' } }] };
    await client.workflow.execute(fleetRead, {
      taskQueue,
      workflowId,
      args: [{ op: 'plan', services: [{ serviceName: 'demo-shop.ovh', declaration }, { serviceName: 'nowhere.ovh', declaration: {} }] }],
    });
    return workflowId;
  },
  // cron add: a job of the shop added, OVH's cron/create task waited for, the job read back.
  async cron(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseCronJobInput({ serviceName: 'demo-shop.ovh', action: 'add', command: 'shop/cron/captured.php', frequency: '0 3 * * *', language: 'php8.3' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('cron', parsed.value, { requestId: randomUUID() });
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // cron add stopped for an operator after OVH took the job (its task could not be read), then aborted: the job deleted.
  async 'cron-abort'(client, taskQueue, sim) {
    await sim.admin('POST', '/faults', { rules: [{ method: 'GET', path: '/hosting/web/*/tasks/*', status: 400, times: 1 }] });
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const parsed = parseCronJobInput({ serviceName: 'demo-agency.ovh', action: 'add', command: 'www/cron/captured.php', frequency: '0 4 * * *', language: 'php8.2' });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('cron', parsed.value, { requestId: randomUUID() });
    await untilNeedsAttention(client, workflowId);
    await client.workflow.getHandle(workflowId).executeUpdate(abortUpdate);
    await untilClosed(client, workflowId);
    return workflowId;
  },
  // Three workers share an account's limit, one gives its share back, and the run continues as new with the holders.
  async 'account-rate-shares'(client, taskQueue) {
    const workflowId = `capture/account-rate-shares/${randomUUID()}`;
    const claim = (holder: string, usingPerSecond: number, release = false) =>
      client.workflow.executeUpdateWithStart(claimRateShare, {
        args: [{ holder, limitPerSecond: 10, usingPerSecond, ...(release ? { release } : {}) }],
        startWorkflowOperation: new WithStartWorkflowOperation(accountRateShares, {
          workflowId,
          taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [{ account: 'default', leaseMs: 60_000, maxHistoryEvents: 30 }],
        }),
      });
    const a = await claim('worker-a', 0);
    const b = await claim('worker-b', 0);
    await claim('worker-a', a.perSecond);
    const c = await claim('worker-c', 0);
    await claim('worker-b', b.perSecond);
    await claim('worker-c', c.perSecond);
    await claim('worker-a', 0, true);
    const handle = client.workflow.getHandle(workflowId);
    const { runId } = await handle.describe();
    // The first run, which ends in the continue-as-new (the claims above fill its history past maxHistoryEvents).
    while ((await client.workflow.getHandle(workflowId).describe()).runId === runId) await claim('worker-b', 5);
    return { workflowId, runId };
  },
  // `ovhflow apply`: one parent, a site's two changes as child runs (a domain update, then its folder's PHP).
  async apply(client, taskQueue) {
    const runs = createRunService({ client, taskQueue, settings: { poll: FAST_POLL } });
    const domain = parseUpdateAttachedDomainInput({ serviceName: 'demo-shop.ovh', domain: 'shop.example.com', cdn: 'active' });
    const php = parseSetPhpConfigInput({ serviceName: 'demo-shop.ovh', path: 'shop', engineVersion: '8.3' });
    if (!domain.ok || !php.ok) throw new Error('bad scenario input');
    const parsed = parseApplyFleetInput({
      tasks: [
        {
          account: 'default',
          serviceName: 'demo-shop.ovh',
          subject: 'shop.example.com',
          changes: [
            { runType: 'update-domain', input: domain.value, requestId: `apply-${randomUUID().slice(0, 8)}`, what: 'site shop.example.com: cdn: none → active' },
            { runType: 'php', input: php.value, requestId: `apply-${randomUUID().slice(0, 8)}`, what: 'php shop: engineVersion: 8.1 → 8.3' },
          ],
        },
      ],
      parallel: 2,
      accounts: { defaultAccount: 'default', names: ['default'] },
    });
    if (!parsed.ok) throw new Error('bad scenario input');
    const { workflowId } = await runs.start('apply', parsed.value);
    await client.workflow.getHandle(workflowId).result();
    return workflowId;
  },
  // A drift schedule's check: one account read by a fleetRead child, a CDN that differs from the file (fleet.drift).
  async 'fleet-drift'(client, taskQueue) {
    const workflowId = `capture/fleet-drift/${randomUUID()}`;
    const file = { version: 1 as const, accounts: { default: { services: { 'demo-shop.ovh': { sites: [{ domain: 'shop.example.com', path: 'shop', cdn: 'active' as const }] } } } } };
    await client.workflow.execute(fleetDrift, { taskQueue, workflowId, args: [{ file, source: 'fleet.yaml' }] });
    return workflowId;
  },
};

function simulatorAdmin(url: string, ca: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(`${url}/_sim${path}`, { method, ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolvePromise(text ? JSON.parse(text) : null) : reject(new Error(`admin ${method} ${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function capture(address: string, namespace: string, workflowId: string, runId?: string): Promise<string> {
  const connection = await Connection.connect({ address });
  try {
    const history = await new Client({ connection, namespace }).workflow.getHandle(workflowId, runId).fetchHistory();
    return historyToJSON(history);
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  let json: string;
  let name: string;
  if (values.scenario) {
    const run = scenarios[values.scenario];
    if (!run) throw new Error(`unknown scenario "${values.scenario}"; known: ${Object.keys(scenarios).join(', ')}`);
    const server = await startDevServer({ uiPort: null, log: console.log });
    let stopSimulator: (() => Promise<void>) | undefined;
    try {
      const logger = createLogger('warn');
      const taskQueue = `capture-${randomUUID().slice(0, 8)}`;
      const temporal = { address: server.address, namespace: server.namespace, taskQueue };
      const sim = await startSimulator({ port: 0, host: '127.0.0.1', dataDir: mkdtempSync(join(tmpdir(), 'ovhflow-capture-sim-')), taskDurationMs: { default: 100 } });
      stopSimulator = () => sim.stop();
      const ovh = { endpoint: sim.url, caFile: sim.caFile, ...sim.credentials, timeoutMs: 10_000, rateLimitPerSecond: 0 };
      const { worker } = await createWorker({
        temporal,
        logger,
        connection: await connectWorkerConnection(temporal, logger),
        keyring: REPLAY_KEYRING,
        ovh,
        // With receivers (OVHFLOW_NOTIFY_URL, OVHFLOW_NOTIFY_SECRET; they need not be up), runs start notifications.
        notify: parseNotifySettings(process.env, []),
      });
      const connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection, namespace: server.namespace, dataConverter: encryptedDataConverter(REPLAY_KEYRING) });
      const captured = await worker.runUntil(run(client, taskQueue, { admin: (method, path, body) => simulatorAdmin(sim.url, sim.caPem, method, path, body) }));
      await connection.close();
      json = typeof captured === 'string' ? await capture(server.address, server.namespace, captured) : await capture(server.address, server.namespace, captured.workflowId, captured.runId);
      name = values.scenario;
    } finally {
      await stopSimulator?.();
      await server.stop();
    }
  } else if (values['workflow-id']) {
    json = await capture(values.address, values.namespace, values['workflow-id'], values['run-id']);
    name = values['workflow-id'].replace(/[^A-Za-z0-9.-]+/g, '_');
  } else {
    throw new Error('give --workflow-id ID or --scenario NAME');
  }
  const out = resolve(values.out ?? `test/replay/histories/${name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
  console.log(`history written to ${out}`);
}

// The worker's native runtime keeps the event loop alive after its run: exit explicitly.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
