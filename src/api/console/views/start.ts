// Starting a provisioning or a backup from a form. The form's fields are the CLI's flags; what is submitted goes
// through the same shared parser as `ovhflow provision` and `POST /v1/provisions`, and every refusal is shown beside
// its field. A private key typed into the form is never sent back in a page.
import { DNS_MODES } from '../../../shared/dns.js';
import { ATTACHED_DOMAIN_CDN_STATES, ATTACHED_DOMAIN_OPTION_KEYS, ATTACHED_DOMAIN_FIREWALL_STATES, HOSTING_COUNTRIES, KNOWN_MODULE_NAMES, MODULE_LANGUAGES, DATABASE_CAPABILITIES, DATABASE_QUOTAS, DATABASE_TYPES, DATABASE_VERSIONS, SSL_MODES, type InputIssue } from '../../../shared/inputs/index.js';
import { html } from '../html.js';
import { csrfField, field, formErrors, page, type PageContext } from './layout.js';

export interface FormState {
  values: Record<string, string>;
  issues: InputIssue[];
}

/** The attached domain's options: each form input shows the issues of its own field. */
const ATTACH_OPTION_FIELDS: Record<string, string[]> = Object.fromEntries(ATTACHED_DOMAIN_OPTION_KEYS.map((key) => [key, [key]]));

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
  ...ATTACH_OPTION_FIELDS,
};

export const BACKUP_FIELDS: Record<string, string[]> = {
  serviceName: ['serviceName'],
  databaseName: ['databaseName'],
  sendEmail: ['sendEmail'],
};

export const DOMAIN_UPDATE_FIELDS: Record<string, string[]> = {
  serviceName: ['serviceName'],
  domain: ['domain'],
  path: ['path'],
  ssl: ['ssl'],
  ...ATTACH_OPTION_FIELDS,
};

export function startPage(
  state: { provision: FormState; backup: FormState & { requestId: string }; domainUpdate?: FormState & { requestId: string } },
  context: PageContext,
): string {
  const p = state.provision;
  const v = (name: string) => p.values[name] ?? '';
  const f = (name: string, label: string, extra: Partial<Parameters<typeof field>[0]> = {}) =>
    field({ name, label, value: v(name), issues: p.issues, issueFields: PROVISION_FIELDS[name] ?? [name], ...extra });
  const b = state.backup;
  const d = state.domainUpdate ?? { values: {}, issues: [], requestId: '' };
  const u = (name: string, label: string, extra: Partial<Parameters<typeof field>[0]> = {}) =>
    field({ name, label, value: d.values[name] ?? '', issues: d.issues, issueFields: DOMAIN_UPDATE_FIELDS[name] ?? [name], ...extra });
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
${f('module.adminName', 'Module admin login', { hint: 'default admin; admin@<domain> for PrestaShop (an e-mail)' })}
${f('cdn', 'CDN', { suggestions: ATTACHED_DOMAIN_CDN_STATES, hint: "default: OVH's (none)" })}
${f('firewall', 'Firewall', { suggestions: ATTACHED_DOMAIN_FIREWALL_STATES, hint: "default: OVH's (none)" })}
${f('ownLog', 'Logs shared with', { hint: 'an attached domain, or this one' })}
${f('runtimeId', 'Runtime id', { hint: "default: the hosting's" })}
${f('ipLocation', 'IP location', { suggestions: HOSTING_COUNTRIES })}
${f('bypassDNSConfiguration', 'Leave the DNS zone alone', { type: 'checkbox' })}
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
</div><button type="submit">Start the backup</button></form></section>

<section class="card" id="domain-update"><h2>Change an attached domain</h2>
<p class="muted">Change its settings — as <code>ovhflow domain update</code>. Only what differs is sent; a domain that already has them completes with nothing written.</p>
<form method="post" action="/console/start/domain-update">${csrfField(context)}<input type="hidden" name="requestId" value="${d.requestId}">
${formErrors(d.issues, Object.values(DOMAIN_UPDATE_FIELDS).flat())}
<div class="form">
${u('serviceName', 'Hosting service', { required: true, placeholder: 'demo-shop.ovh' })}
${u('domain', 'Attached domain', { required: true, placeholder: 'shop.example.com' })}
${u('path', 'Folder')}
${u('ssl', 'In the certificate', { suggestions: ['on', 'off'] })}
${u('cdn', 'CDN', { suggestions: ATTACHED_DOMAIN_CDN_STATES })}
${u('firewall', 'Firewall', { suggestions: ATTACHED_DOMAIN_FIREWALL_STATES })}
${u('ownLog', 'Logs shared with')}
${u('runtimeId', 'Runtime id')}
${u('ipLocation', 'IP location', { suggestions: HOSTING_COUNTRIES })}
${u('bypassDNSConfiguration', 'Leave the DNS zone alone', { type: 'checkbox' })}
</div><button type="submit">Change the domain</button></form></section>`;
  return page('Start a run', 'start', context, body);
}
