// Starting a provisioning or a backup from a form. The form's fields are the CLI's flags; what is submitted goes
// through the same shared parser as `ovhflow provision` and `POST /v1/provisions`, and every refusal is shown beside
// its field. A private key typed into the form is never sent back in a page.
import { DNS_MODES } from '../../../shared/dns.js';
import { KNOWN_MODULE_NAMES, MODULE_LANGUAGES, DATABASE_CAPABILITIES, DATABASE_QUOTAS, DATABASE_TYPES, DATABASE_VERSIONS, SSL_MODES, type InputIssue } from '../../../shared/inputs/index.js';
import { html } from '../html.js';
import { csrfField, field, formErrors, page, type PageContext } from './layout.js';

export interface FormState {
  values: Record<string, string>;
  issues: InputIssue[];
}

/** Which parser issue fields each provisioning form input shows beside it. */
export const PROVISION_FIELDS: Record<string, string[]> = {
  serviceName: ['serviceName'],
  domain: ['domain'],
  path: ['path'],
  database: ['database'],
  'database.type': ['database.type'],
  'database.capability': ['database.capability'],
  'database.userSuffix': ['database.userSuffix'],
  'database.quota': ['database.quota'],
  'database.version': ['database.version'],
  module: ['module', 'module.name', 'module.id'],
  'module.language': ['module.language'],
  'module.adminName': ['module.adminName'],
  ssl: ['ssl', 'ssl.mode'],
  'ssl.certificate': ['ssl.certificate'],
  'ssl.key': ['ssl.key'],
  'ssl.chain': ['ssl.chain'],
  stepDeadlineMinutes: ['stepDeadlineMinutes'],
  dns: ['dns'],
  dnsDeadlineMinutes: ['dnsDeadlineMinutes'],
};

export const BACKUP_FIELDS: Record<string, string[]> = {
  serviceName: ['serviceName'],
  databaseName: ['databaseName'],
  sendEmail: ['sendEmail'],
};

export function startPage(state: { provision: FormState; backup: FormState & { requestId: string } }, context: PageContext): string {
  const p = state.provision;
  const v = (name: string) => p.values[name] ?? '';
  const f = (name: string, label: string, extra: Partial<Parameters<typeof field>[0]> = {}) =>
    field({ name, label, value: v(name), issues: p.issues, issueFields: PROVISION_FIELDS[name] ?? [name], ...extra });
  const b = state.backup;
  const body = html`<h1>Start a run</h1>
<section class="card" id="provision"><h2>Provision a site</h2>
<p class="muted">Attach the domain, create its database, install the module wired to it, turn on HTTPS — as <code>ovhflow provision</code>. Starting the same service and domain again opens the existing run.</p>
<form method="post" action="/console/start/provision">${csrfField(context)}
${formErrors(p.issues, Object.values(PROVISION_FIELDS).flat())}
<div class="form">
${f('serviceName', 'Hosting service', { required: true, placeholder: 'demo-agency.ovh' })}
${f('domain', 'Domain', { required: true, placeholder: 'blog.example.com' })}
${f('path', 'Folder', { hint: 'default: the domain' })}
${f('stepDeadlineMinutes', 'Step deadline (minutes)', { hint: "default: the workflow's" })}
${f('database', 'Create a database', { type: 'checkbox' })}
${f('database.type', 'Database type', { suggestions: DATABASE_TYPES, hint: 'default mysql' })}
${f('database.capability', 'Database offer', { suggestions: DATABASE_CAPABILITIES, hint: 'default sqlPerso' })}
${f('database.userSuffix', 'Database user suffix')}
${f('database.quota', 'Quota (MB, extraSqlPerso)', { suggestions: DATABASE_QUOTAS })}
${f('database.version', 'Engine version', { suggestions: DATABASE_VERSIONS })}
${f('module', 'Module', { suggestions: KNOWN_MODULE_NAMES, hint: 'a name or a catalog id; empty: none' })}
${f('module.language', 'Module language', { suggestions: MODULE_LANGUAGES })}
${f('module.adminName', 'Module admin login', { hint: 'default admin' })}
${f('ssl', 'HTTPS', { suggestions: SSL_MODES, hint: 'letsencrypt (default), custom or none' })}
${f('ssl.certificate', 'Certificate (PEM, custom)', { type: 'textarea', wide: true })}
${f('ssl.key', 'Private key (PEM, custom)', { type: 'textarea', wide: true, hint: 'never shown back; paste it again after a refusal' })}
${f('ssl.chain', 'Chain (PEM, custom)', { type: 'textarea', wide: true })}
${f('dns', 'DNS', { suggestions: DNS_MODES, hint: 'auto (default): set the records in an OVH zone of this account, else wait for them; check: never write DNS; skip' })}
${f('dnsDeadlineMinutes', 'DNS deadline (minutes)', { hint: 'default 1440 (a day)' })}
</div><button type="submit">Start the provisioning</button></form></section>

<section class="card" id="backup"><h2>Back up a database</h2>
<p class="muted">Dump one database now and verify the dump — as <code>ovhflow backup</code>.</p>
<form method="post" action="/console/start/backup">${csrfField(context)}<input type="hidden" name="requestId" value="${b.requestId}">
${formErrors(b.issues, Object.values(BACKUP_FIELDS).flat())}
<div class="form">
${field({ name: 'serviceName', label: 'Hosting service', value: b.values.serviceName ?? '', issues: b.issues, required: true })}
${field({ name: 'databaseName', label: 'Database', value: b.values.databaseName ?? '', issues: b.issues, required: true })}
${field({ name: 'sendEmail', label: 'OVH emails the account', type: 'checkbox', value: b.values.sendEmail ?? '', issues: b.issues })}
</div><button type="submit">Start the backup</button></form></section>`;
  return page('Start a run', 'start', context, body);
}
