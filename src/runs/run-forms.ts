// The console's start form of each run kind, as data: its fields are the CLI's flags under the names of the raw input
// the shared parsers take (dotted for nested objects: `database.type`), so a submitted form becomes the very JSON the
// HTTP API receives and is validated once, by the same parser. The console renders these (api/console/views/start.ts);
// nothing here is HTML.
import { DNS_MODES } from '../shared/dns.js';
import {
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  DATABASE_CAPABILITIES,
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  HOSTING_COUNTRIES,
  KNOWN_MODULE_NAMES,
  MODULE_LANGUAGES,
  OVH_BACKUP_DATES,
  PHP_CONTAINERS,
  PHP_ENGINES,
  PHP_ENVIRONMENTS,
  PHP_HTTP_FIREWALLS,
  PHP_VERSIONS,
  rawSettingOf,
  CRON_LANGUAGES,
  CRON_STATUSES,
  ROTATION_KINDS,
  SSH_STATES,
  SSL_MODES,
} from '../shared/inputs/index.js';

export type FormFields = Record<string, string>;

export interface FormField {
  /** The raw input's property, dotted for a nested one (`database.type`, `target.login`). */
  name: string;
  label: string;
  /**
   * `select`: one of `choices` (or of a `source`); `list`: several values separated by commas or spaces; `number`:
   * digits become a number (anything else is passed as typed, for the parser to name the problem).
   */
  type?: 'text' | 'number' | 'checkbox' | 'textarea' | 'select' | 'list';
  choices?: readonly (string | number)[];
  /** Choices read from OVH when the page is shown: the account's hosting services, or the module catalog. */
  source?: 'services' | 'modules';
  hint?: string;
  placeholder?: string;
  required?: boolean;
  /** Never sent back into a page (a private key): the operator pastes it again after a refusal. */
  secret?: boolean;
  /** Shown only while another field has one of these values (a checkbox: `on`). */
  showWhen?: { field: string; values: readonly string[] };
  /** The parser's issue fields shown beside this input (default: its name). */
  issueFields?: readonly string[];
  /** What the field holds when the form is first shown. */
  initial?: string;
}

export interface RunForm {
  /** One line above the form: what it does, and the CLI command it is. */
  intro: string;
  submit: string;
  fields: readonly FormField[];
  /** The request id comes from this field (the nightly run's night) instead of a hidden random one. */
  requestIdField?: FormField;
  /** From the submitted fields to the raw input; default {@link rawInputFromForm}. */
  toRaw?: (form: FormFields, fields: readonly FormField[]) => unknown;
}

const text = (form: FormFields, name: string): string | undefined => {
  const value = form[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};
const numberOrText = (value: string | undefined) => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : value);

function put(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/**
 * The generic reading of a form: empty fields are absent (the parser's defaults apply), a ticked checkbox is `true`,
 * numbers are numbers, lists are arrays, dotted names nest. A field hidden by its `showWhen` is not read.
 */
export function rawInputFromForm(form: FormFields, fields: readonly FormField[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.showWhen && !field.showWhen.values.includes(form[field.showWhen.field] ?? '')) continue;
    const value = text(form, field.name);
    if (field.type === 'checkbox') {
      if (form[field.name] === 'on') put(raw, field.name, true);
    } else if (value === undefined) {
      continue;
    } else if (field.type === 'number') {
      put(raw, field.name, numberOrText(value));
    } else if (field.type === 'list') {
      put(raw, field.name, value.split(/[\s,]+/).filter(Boolean));
    } else {
      put(raw, field.name, field.type === 'textarea' ? (form[field.name] ?? '') : value);
    }
  }
  return raw;
}

/** Provisioning's shorthands: `database` ticked is `{}` with its options, the module is a name or a catalog id. */
export function provisionRequestFromForm(form: FormFields, fields: readonly FormField[]): Record<string, unknown> {
  const plain = fields.filter((f) => !f.name.startsWith('module') && !f.name.startsWith('database') && !f.name.startsWith('ssl'));
  const raw = rawInputFromForm(form, plain);
  if (form.database === 'on') {
    const database: Record<string, unknown> = {};
    for (const key of ['type', 'capability', 'userSuffix', 'version', 'quota'] as const) {
      const value = text(form, `database.${key}`);
      if (value !== undefined) database[key] = value;
    }
    raw.database = database;
  }
  const module = text(form, 'module');
  if (module !== undefined) {
    const language = text(form, 'module.language');
    const adminName = text(form, 'module.adminName');
    raw.module = {
      ...(/^\d+$/.test(module) ? { id: Number(module) } : { name: module }),
      ...(language ? { language } : {}),
      ...(adminName ? { adminName } : {}),
    };
  }
  const mode = text(form, 'ssl') ?? 'letsencrypt';
  raw.ssl = mode === 'custom' ? { mode, certificate: form['ssl.certificate'] ?? '', key: form['ssl.key'] ?? '', ...(text(form, 'ssl.chain') ? { chain: form['ssl.chain'] } : {}) } : mode;
  return raw;
}

const serviceField: FormField = { name: 'serviceName', label: 'Hosting service', source: 'services', required: true, placeholder: 'demo-agency.ovh' };
const attachOptions = (hintDefault: boolean): FormField[] => [
  { name: 'cdn', label: 'CDN', type: 'select', choices: ATTACHED_DOMAIN_CDN_STATES, ...(hintDefault ? { hint: "default: OVH's (none)" } : {}) },
  { name: 'firewall', label: 'Firewall', type: 'select', choices: ATTACHED_DOMAIN_FIREWALL_STATES, ...(hintDefault ? { hint: "default: OVH's (none)" } : {}) },
  { name: 'ownLog', label: 'Logs shared with', hint: 'an attached domain, or this one' },
  { name: 'runtimeId', label: 'Runtime id', type: 'number', hint: "default: the hosting's" },
  { name: 'ipLocation', label: 'IP location', type: 'select', choices: HOSTING_COUNTRIES },
  { name: 'bypassDNSConfiguration', label: 'Leave the DNS zone alone', type: 'checkbox' },
];
const confirmedField = (what: string): FormField => ({ name: 'confirmed', label: `Confirm the ${what} now`, type: 'checkbox', hint: 'otherwise the run shows what it will do and waits for a go-ahead' });
const today = () => new Date().toISOString().slice(0, 10);

export const RUN_FORMS = {
  provision: {
    intro: 'Attach the domain, create its database, install the module wired to it, turn on HTTPS — as `ovhflow provision`. Starting the same service and domain again opens the existing run.',
    submit: 'Start the provisioning',
    toRaw: provisionRequestFromForm,
    fields: [
      serviceField,
      { name: 'domain', label: 'Domain', required: true, placeholder: 'blog.example.com' },
      { name: 'path', label: 'Folder', hint: 'default: the domain' },
      { name: 'database', label: 'Create a database', type: 'checkbox', initial: 'on' },
      { name: 'database.type', label: 'Database type', type: 'select', choices: DATABASE_TYPES, hint: 'default mysql', showWhen: { field: 'database', values: ['on'] } },
      { name: 'database.capability', label: 'Database offer', type: 'select', choices: DATABASE_CAPABILITIES, hint: 'default sqlPerso', showWhen: { field: 'database', values: ['on'] } },
      { name: 'database.userSuffix', label: 'Database user suffix', showWhen: { field: 'database', values: ['on'] } },
      { name: 'database.quota', label: 'Quota (MB, extraSqlPerso)', type: 'select', choices: DATABASE_QUOTAS, showWhen: { field: 'database', values: ['on'] } },
      { name: 'database.version', label: 'Engine version', type: 'select', choices: DATABASE_VERSIONS, showWhen: { field: 'database', values: ['on'] } },
      { name: 'module', label: 'Module', type: 'select', source: 'modules', choices: KNOWN_MODULE_NAMES, hint: 'empty: none', issueFields: ['module', 'module.name', 'module.id'] },
      { name: 'module.language', label: 'Module language', type: 'select', choices: MODULE_LANGUAGES },
      { name: 'module.adminName', label: 'Module admin login', hint: 'default admin; admin@<domain> for PrestaShop (an e-mail)' },
      ...attachOptions(true),
      { name: 'php.engineVersion', label: 'PHP version', type: 'select', choices: PHP_VERSIONS, hint: "empty: the hosting's; checked against what it offers" },
      { name: 'php.environment', label: 'PHP environment', type: 'select', choices: PHP_ENVIRONMENTS },
      { name: 'ssl', label: 'HTTPS', type: 'select', choices: SSL_MODES, initial: 'letsencrypt', required: true, issueFields: ['ssl', 'ssl.mode'] },
      { name: 'ssl.certificate', label: 'Certificate (PEM)', type: 'textarea', showWhen: { field: 'ssl', values: ['custom'] } },
      { name: 'ssl.key', label: 'Private key (PEM)', type: 'textarea', secret: true, hint: 'never shown back; paste it again after a refusal', showWhen: { field: 'ssl', values: ['custom'] } },
      { name: 'ssl.chain', label: 'Chain (PEM)', type: 'textarea', showWhen: { field: 'ssl', values: ['custom'] } },
      { name: 'dns', label: 'DNS', type: 'select', choices: DNS_MODES, hint: 'auto (default): set the records in an OVH zone of this account, else wait for them; check: never write DNS; skip' },
      { name: 'dnsDeadlineMinutes', label: 'DNS deadline (minutes)', type: 'number', hint: 'default 1440 (a day)' },
      { name: 'stepDeadlineMinutes', label: 'Step deadline (minutes)', type: 'number', hint: "default: the workflow's" },
    ],
  },
  backup: {
    intro: 'Dump one database now and verify the dump — as `ovhflow backup`.',
    submit: 'Start the backup',
    fields: [
      serviceField,
      { name: 'databaseName', label: 'Database', required: true },
      { name: 'sendEmail', label: 'OVH emails the account', type: 'checkbox' },
    ],
  },
  restore: {
    intro: 'Overwrite a database with a dump — as `ovhflow restore`. A safety dump is taken first unless declined; nothing is overwritten before the go-ahead.',
    submit: 'Start the restore',
    fields: [
      serviceField,
      { name: 'databaseName', label: 'Database', required: true },
      { name: 'dump', label: 'Dump', required: true, choices: ['latest', ...OVH_BACKUP_DATES], hint: 'latest, a dump id, an ISO time (the newest before it), or daily.1 / weekly.1 (OVH\'s own backups)' },
      { name: 'safetyDump', label: 'Safety dump first', type: 'select', choices: ['true', 'false'], hint: 'default true' },
      confirmedField('restore'),
    ],
    toRaw: (form, fields) => {
      const raw = rawInputFromForm(form, fields);
      if (raw.safetyDump === 'true' || raw.safetyDump === 'false') raw.safetyDump = raw.safetyDump === 'true';
      if (typeof raw.dump === 'string' && /^\d{1,15}$/.test(raw.dump)) raw.dump = Number(raw.dump);
      return raw;
    },
  },
  nightly: {
    intro: 'Dump every database of the chosen hosting services now, as one night — as a nightly schedule does.',
    submit: 'Start the dumps',
    requestIdField: { name: 'night', label: 'Night', required: true, hint: 'YYYY-MM-DD: one run per night', initial: '' },
    fields: [
      { name: 'services', label: 'Hosting services', type: 'list', hint: 'separated by commas; empty: every service of the account' },
      { name: 'concurrency', label: 'Databases at once', type: 'number', hint: 'default 4' },
    ],
  },
  'ftp-user': {
    intro: 'Create an FTP/SSH user confined to a folder — as `ovhflow ftp-user`. The generated password is in the run\'s result.',
    submit: 'Create the user',
    fields: [
      serviceField,
      { name: 'login', label: 'Login', required: true, hint: "the hosting's primary login, a hyphen, a name (e.g. demoagen-dev)" },
      { name: 'home', label: 'Home folder', required: true, placeholder: 'www/dev' },
      { name: 'sshState', label: 'SSH', type: 'select', choices: SSH_STATES, hint: 'default none' },
    ],
  },
  'renew-cert': {
    intro: "Replace the hosting's certificate with a custom one, or regenerate Let's Encrypt — as `ovhflow renew-cert`.",
    submit: 'Renew the certificate',
    fields: [
      serviceField,
      { name: 'mode', label: 'Certificate', type: 'select', choices: ['letsencrypt', 'custom'], required: true, initial: 'letsencrypt' },
      { name: 'certificate', label: 'Certificate (PEM)', type: 'textarea', showWhen: { field: 'mode', values: ['custom'] } },
      { name: 'key', label: 'Private key (PEM)', type: 'textarea', secret: true, hint: 'never shown back; paste it again after a refusal', showWhen: { field: 'mode', values: ['custom'] } },
      { name: 'chain', label: 'Chain (PEM)', type: 'textarea', showWhen: { field: 'mode', values: ['custom'] } },
      { name: 'currentCertificate', label: 'Current certificate (PEM)', type: 'textarea', hint: 'to check the new one expires later', showWhen: { field: 'mode', values: ['custom'] } },
      { ...confirmedField('replacement'), showWhen: { field: 'mode', values: ['custom'] } },
    ],
  },
  decommission: {
    intro: 'Remove one site: safety dump, module, database, domain — as `ovhflow decommission`. The run shows its plan before it removes anything.',
    submit: 'Decommission the site',
    fields: [
      serviceField,
      { name: 'domain', label: 'Domain', required: true },
      { name: 'path', label: 'Folder', hint: 'only the module in this folder' },
      confirmedField('decommission'),
    ],
  },
  'update-domain': {
    intro: 'Change an attached domain\'s settings — as `ovhflow domain update`. Only what differs is sent; a domain that already has them completes with nothing written.',
    submit: 'Change the domain',
    fields: [
      serviceField,
      { name: 'domain', label: 'Attached domain', required: true, placeholder: 'shop.example.com' },
      { name: 'path', label: 'Folder' },
      { name: 'ssl', label: 'In the certificate', type: 'select', choices: ['on', 'off'] },
      ...attachOptions(false),
    ],
    toRaw: (form, fields) => {
      const raw = rawInputFromForm(form, fields);
      if (raw.ssl === 'on' || raw.ssl === 'off') raw.ssl = raw.ssl === 'on';
      return raw;
    },
  },
  rotate: {
    intro: 'A new password for an FTP/SSH user or a database user — as `ovhflow rotate`. (A CMS admin password is changed in the CMS: OVH removed the call in 2026.)',
    submit: 'Rotate the password',
    fields: [
      serviceField,
      { name: 'target.kind', label: 'Whose password', type: 'select', choices: ROTATION_KINDS.filter((kind) => kind !== 'module'), required: true, initial: 'ftp-user', issueFields: ['target', 'target.kind'] },
      { name: 'target.login', label: 'FTP/SSH login', showWhen: { field: 'target.kind', values: ['ftp-user'] } },
      { name: 'target.name', label: 'Database', showWhen: { field: 'target.kind', values: ['database'] } },
      { name: 'target.evenIfUsedByCms', label: 'Even if a CMS uses it (the site breaks until reconfigured)', type: 'checkbox', showWhen: { field: 'target.kind', values: ['database'] } },
    ],
  },
  'ftp-user-update': {
    intro: "Change an FTP/SSH user's home folder or SSH access — as `ovhflow ftp-user update`.",
    submit: 'Change the user',
    fields: [
      serviceField,
      { name: 'login', label: 'Login', required: true },
      { name: 'home', label: 'Home folder' },
      { name: 'sshState', label: 'SSH', type: 'select', choices: SSH_STATES },
    ],
  },
  'ftp-user-delete': {
    intro: "Delete an FTP/SSH user (its files stay) — as `ovhflow ftp-user delete`. The hosting's primary login is refused.",
    submit: 'Delete the user',
    fields: [serviceField, { name: 'login', label: 'Login', required: true }, confirmedField('deletion')],
  },
  php: {
    intro: "A folder's PHP and .ovhconfig (engine, version, environment, HTTP firewall) — as `ovhflow php set`. A version the hosting does not offer is refused before anything is written; only what differs is sent; abort rolls the old configuration back.",
    submit: 'Set PHP',
    fields: [
      serviceField,
      { name: 'path', label: 'Folder', hint: 'relative to the home; empty for the home itself', placeholder: 'www' },
      { name: 'engineVersion', label: 'PHP version', type: 'select', choices: PHP_VERSIONS },
      { name: 'engineName', label: 'Engine', type: 'select', choices: PHP_ENGINES },
      { name: 'environment', label: 'Environment', type: 'select', choices: PHP_ENVIRONMENTS },
      { name: 'httpFirewall', label: 'HTTP firewall', type: 'select', choices: PHP_HTTP_FIREWALLS },
      { name: 'container', label: 'Container', type: 'select', choices: PHP_CONTAINERS },
    ],
  },
  env: {
    intro: "A hosting's environment variables — as `ovhflow env set` / `env unset`. Only what differs is written; a second identical request writes nothing; abort puts every variable the run wrote back as it was.",
    submit: 'Set the variables',
    fields: [
      serviceField,
      { name: 'variables', label: 'Variables', type: 'textarea', hint: 'one NAME=VALUE per line (a string); NAME:integer=42 for a whole number', placeholder: 'APP_ENV=production' },
      { name: 'passwords', label: 'Password variables', type: 'textarea', secret: true, hint: 'one NAME=VALUE per line, kept as password variables: never shown back, masked in listings', placeholder: 'DB_PASSWORD=…' },
      { name: 'unset', label: 'Remove', type: 'list', hint: 'names of variables to remove, separated by commas' },
    ],
    toRaw: (form) => {
      const lines = (name: string) => (form[name] ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
      const setting = (line: string, type?: string) => rawSettingOf(line, type) ?? { name: line, value: '' };
      const set = [...lines('variables').map((line) => setting(line)), ...lines('passwords').map((line) => setting(line, 'password'))];
      const unset = (form.unset ?? '').split(/[\s,]+/).filter(Boolean);
      return { serviceName: text(form, 'serviceName'), ...(set.length ? { set } : {}), ...(unset.length ? { unset } : {}) };
    },
  },
  deploy: {
    intro: "A folder deployed from a GitHub repository's branch (OVH's Git deployment) — as `ovhflow deploy`. The folder must be empty when its link is created; a new branch updates the link; another repository replaces it and waits for a confirmation. The result shows the commit deployed and the webhook URL to give GitHub.",
    submit: 'Deploy',
    fields: [
      serviceField,
      { name: 'path', label: 'Folder', required: true, hint: 'relative to the home; must be empty when first linked', placeholder: 'www/app' },
      { name: 'repository', label: 'GitHub repository', required: true, placeholder: 'https://github.com/acme/site' },
      { name: 'branch', label: 'Branch', required: true, placeholder: 'main' },
      { name: 'reset', label: 'Reset the folder to the branch first', type: 'checkbox', hint: 'drops changes made in the folder since the last deployment' },
      confirmedField('replacement of another repository'),
    ],
  },
  cron: {
    intro:
      'A scheduled task (cron job), known by the script it runs — as `ovhflow cron add|update|delete`. OVH ignores the minutes of the frequency and picks the minute itself. add of an identical job writes nothing, of a different one is refused (use update); abort undoes the change.',
    submit: 'Apply',
    fields: [
      serviceField,
      { name: 'action', label: 'Action', type: 'select', choices: ['add', 'update', 'delete'], required: true, initial: 'add' },
      { name: 'command', label: 'Command', required: true, hint: 'the script, relative to the home, and its arguments', placeholder: 'www/cron/cleanup.php' },
      { name: 'frequency', label: 'Frequency', hint: 'crontab: minutes hours day-of-month month day-of-week (OVH ignores the minutes)', placeholder: '0 3 * * *', showWhen: { field: 'action', values: ['add', 'update'] } },
      { name: 'language', label: 'Language', type: 'select', choices: CRON_LANGUAGES, hint: "default: the newest PHP the hosting offers", showWhen: { field: 'action', values: ['add', 'update'] } },
      { name: 'description', label: 'Description', showWhen: { field: 'action', values: ['add', 'update'] } },
      { name: 'email', label: 'Email for errors', placeholder: 'ops@example.com', showWhen: { field: 'action', values: ['add', 'update'] } },
      { name: 'status', label: 'Status', type: 'select', choices: CRON_STATUSES, showWhen: { field: 'action', values: ['add', 'update'] } },
    ],
  },
  apply: {
    intro: 'Apply a fleet file — as `ovhflow apply FILE`, which shows the plan and asks before it starts, or POST /v1/applies with the file. Not started from a form.',
    submit: 'Apply',
    fields: [],
  },
} satisfies Record<string, RunForm>;

/** The night a nightly form proposes: today (UTC). */
export const defaultNight = today;
