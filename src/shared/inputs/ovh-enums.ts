// Enumerations copied from the OVHcloud API schema (spec/ovh-api/hosting-web.json). A unit test compares every
// list here with the schema, so a schema update that changes one fails the build rather than a run.

/** `hosting.web.database.DatabaseCreationTypeEnum` — the `type` body field of `POST /database`. */
export const DATABASE_TYPES = ['mariadb', 'mysql', 'postgresql', 'redis'] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

/** `hosting.web.database.DatabaseCapabilitiesTypeEnum` — the `capabilitie` (sic) body field of `POST /database`. */
export const DATABASE_CAPABILITIES = ['extraSqlPerso', 'local', 'privateDatabase', 'sqlLocal', 'sqlPerso', 'sqlPro'] as const;
export type DatabaseCapability = (typeof DATABASE_CAPABILITIES)[number];

/** `hosting.web.database.ExtraSqlQuotaEnum` (a `long` enum, MB) — `quota`, "only for extraSql". */
export const DATABASE_QUOTAS = [25, 100, 200, 256, 400, 512, 800, 1024] as const;
export type DatabaseQuota = (typeof DATABASE_QUOTAS)[number];

/** `hosting.web.database.VersionEnum`. */
export const DATABASE_VERSIONS = [
  '10', '10.1', '10.11', '10.2', '10.3', '10.4', '10.5', '10.6', '11', '12', '13', '15', '3.2', '3.4', '4.0',
  '5.1', '5.5', '5.6', '5.7', '6.0', '7.0', '8.0', '8.4', '9.4', '9.5', '9.6',
] as const;
export type DatabaseVersion = (typeof DATABASE_VERSIONS)[number];

/** `hosting.web.database.dump.DateEnum` — `now` asks for a fresh dump; the others name OVH's own backups. */
export const DUMP_DATES = ['daily.1', 'now', 'weekly.1'] as const;
export type DumpDate = (typeof DUMP_DATES)[number];

/** The dump dates that name an existing OVH backup, i.e. what `POST /database/{name}/restore` can restore from. */
export const OVH_BACKUP_DATES = ['daily.1', 'weekly.1'] as const satisfies readonly DumpDate[];
export type OvhBackupDate = (typeof OVH_BACKUP_DATES)[number];

/** `hosting.web.module.LanguageEnum`. */
export const MODULE_LANGUAGES = ['cz', 'de', 'en', 'es', 'fi', 'fr', 'it', 'lt', 'nl', 'pl', 'pt'] as const;
export type ModuleLanguage = (typeof MODULE_LANGUAGES)[number];

/** `hosting.web.module.DependencyTypeEnum`: the only database a module can be wired to. */
export const MODULE_DEPENDENCY_TYPES = ['mysql'] as const;

/** `hosting.web.user.SshStateEnum`. */
export const SSH_STATES = ['active', 'none', 'sftponly'] as const;
export type SshState = (typeof SSH_STATES)[number];

/** `hosting.web.attachedDomain.CdnEnum` — an attached domain's `cdn`. */
export const ATTACHED_DOMAIN_CDN_STATES = ['active', 'none'] as const;
export type AttachedDomainCdn = (typeof ATTACHED_DOMAIN_CDN_STATES)[number];

/** `hosting.web.attachedDomain.FirewallEnum` — an attached domain's `firewall`. */
export const ATTACHED_DOMAIN_FIREWALL_STATES = ['active', 'none'] as const;
export type AttachedDomainFirewall = (typeof ATTACHED_DOMAIN_FIREWALL_STATES)[number];

/** `hosting.web.CountryEnum` — an attached domain's `ipLocation` (the country whose hosting IP its DNS points at). */
export const HOSTING_COUNTRIES = ['BE', 'CA', 'CZ', 'DE', 'ES', 'FI', 'FR', 'IE', 'IT', 'LT', 'NL', 'PL', 'PT', 'UK'] as const;
export type HostingCountry = (typeof HOSTING_COUNTRIES)[number];

/** `hosting.web.StateEnum` — a hosting's `state` (2026 added `blocked`, `hardBlocked`, `hardBloqued`). */
export const SERVICE_STATES = ['active', 'blocked', 'bloqued', 'hardBlocked', 'hardBloqued', 'maintenance'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** The states in which OVH blocks every change to a hosting: preflight says so instead of failing at the first write. */
export const BLOCKED_SERVICE_STATES = ['blocked', 'bloqued', 'hardBlocked', 'hardBloqued'] as const satisfies readonly ServiceState[];

/** `hosting.web.hostedssl.ProviderEnum` — who issued a certificate (`SECTIGO` is new in 2026). */
export const HOSTED_SSL_PROVIDERS = ['COMODO', 'CUSTOM', 'LETSENCRYPT', 'SECTIGO'] as const;
export type HostedSslProvider = (typeof HOSTED_SSL_PROVIDERS)[number];

/** `hosting.web.attachedDomain.RecordTypeEnum` — the records digStatus and OVH's DNS set-up speak of (`CAA`, 2026). */
export const ATTACHED_DOMAIN_RECORD_TYPES = ['A', 'AAAA', 'CAA'] as const;

/** `hosting.web.ovhConfig.AvailableEngineVersionEnum` — PHP versions a hosting can run (8.4 and 8.5 since 2026). */
export const PHP_VERSIONS = ['5.4', '5.5', '5.6', '7.0', '7.1', '7.2', '7.3', '7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5'] as const;
export type PhpVersion = (typeof PHP_VERSIONS)[number];

/** `hosting.web.ovhConfig.EngineNameEnum` — `phpcgi` is the old CGI engine, `php` the PHP-FPM one OVH recommends. */
export const PHP_ENGINES = ['php', 'phpcgi'] as const;
export type PhpEngine = (typeof PHP_ENGINES)[number];

/** `hosting.web.ovhConfig.EnvironmentEnum` — `development` shows errors and disables caches. */
export const PHP_ENVIRONMENTS = ['development', 'production'] as const;
export type PhpEnvironment = (typeof PHP_ENVIRONMENTS)[number];

/** `hosting.web.ovhConfig.HttpFirewallEnum` — `security` turns on OVH's application firewall (mod_security). */
export const PHP_HTTP_FIREWALLS = ['none', 'security'] as const;
export type PhpHttpFirewall = (typeof PHP_HTTP_FIREWALLS)[number];

/** `hosting.web.ovhconfig.ContainerEnum` — the image a site runs in. */
export const PHP_CONTAINERS = ['jessie.i386', 'legacy', 'stable', 'stable64', 'testing'] as const;
export type PhpContainer = (typeof PHP_CONTAINERS)[number];

/** `hosting.web.envVar.TypeEnum` — a `password` variable's value is a secret: never logged, shown masked. */
export const ENV_VAR_TYPES = ['integer', 'password', 'string'] as const;
export type EnvVarType = (typeof ENV_VAR_TYPES)[number];
/** `hosting.web.LanguagesEnum` — what a scheduled task (cron job) runs with (php8.4 and php8.5 since 2026). */
export const CRON_LANGUAGES = [
  'node10', 'node11', 'node12', 'node14', 'node8', 'node9', 'other', 'php4', 'php5.2', 'php5.3', 'php5.4', 'php5.5', 'php5.6', 'php7.0', 'php7.1', 'php7.2', 'php7.3',
  'php7.4', 'php8.0', 'php8.1', 'php8.2', 'php8.3', 'php8.4', 'php8.5', 'python2', 'python3', 'ruby2.6',
] as const;
export type CronLanguage = (typeof CRON_LANGUAGES)[number];

/** `hosting.web.cron.StatusEnum` as an owner sets it (`suspended` is OVH's doing, never asked for). */
export const CRON_STATUSES = ['enabled', 'disabled'] as const;
export type CronStatus = (typeof CRON_STATUSES)[number];
