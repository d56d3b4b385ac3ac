import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cronLineOf, parseProvisionSiteInput } from '../../shared/inputs/index.js';
import { checkCertificateMaterial } from '../../inputs/certificate.js';
import { checkServiceExists } from '../../runs/service-check.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError, invalidInput } from '../exit-codes.js';
import { followRun, reportStarted } from '../output.js';
import { collect, readValueEnv, readValueFile, settingsFrom, settingsOfArguments } from '../env-values.js';
import { attachedDomainOptionsFromFlags, withAttachedDomainOptionFlags, type AttachedDomainOptionFlags } from './domain-option-flags.js';

interface ProvisionFlags extends AttachedDomainOptionFlags {
  account?: string;
  service: string;
  domain: string;
  path?: string;
  database: boolean;
  dbType?: string;
  dbCapability?: string;
  dbUserSuffix?: string;
  dbQuota?: string;
  dbVersion?: string;
  module?: string;
  moduleLanguage?: string;
  language?: string;
  adminName?: string;
  adminEmail?: string;
  ssl?: string;
  certFile?: string;
  keyFile?: string;
  chainFile?: string;
  stepDeadline?: string;
  dns?: string;
  dnsDeadline?: string;
  php?: string;
  phpEngine?: string;
  phpEnvironment?: string;
  phpFirewall?: string;
  phpContainer?: string;
  env: string[];
  gitRepo?: string;
  gitBranch?: string;
  gitReset?: boolean;
  cron: string[];
  cronLanguage?: string;
  envFromFile: string[];
  envFromEnv: string[];
  wait?: boolean;
  json?: boolean;
  showSecrets?: boolean;
}

/** A PEM file's text; a file that cannot be read is a usage error naming the flag. */
export function readPem(file: string | undefined, flag: string): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as Error).message})`);
  }
}

/** The flags as a raw input, for the same validation the HTTP API and the workflow use. */
export function provisionInputFromFlags(flags: ProvisionFlags): unknown {
  const database = flags.database
    ? Object.fromEntries(
        Object.entries({
          type: flags.dbType,
          capability: flags.dbCapability,
          userSuffix: flags.dbUserSuffix,
          quota: flags.dbQuota,
          version: flags.dbVersion,
        }).filter(([, v]) => v !== undefined),
      )
    : undefined;
  if (flags.adminName !== undefined && flags.adminEmail !== undefined) throw new UsageError('give --admin-name or --admin-email, not both (they are the same login)');
  const adminName = flags.adminName ?? flags.adminEmail;
  if (flags.moduleLanguage !== undefined && flags.language !== undefined) throw new UsageError('give --language or --module-language, not both (they are the same setting)');
  const language = flags.moduleLanguage ?? flags.language;
  const module = flags.module
    ? { ...(/^\d+$/.test(flags.module) ? { id: Number(flags.module) } : { name: flags.module }), ...(language ? { language } : {}), ...(adminName !== undefined ? { adminName } : {}) }
    : undefined;
  const mode = flags.ssl ?? (flags.certFile ? 'custom' : 'letsencrypt');
  const ssl =
    mode === 'custom'
      ? { mode, certificate: readPem(flags.certFile, '--cert-file'), key: readPem(flags.keyFile, '--key-file'), ...(flags.chainFile ? { chain: readPem(flags.chainFile, '--chain-file') } : {}) }
      : { mode };
  const phpGiven = Object.entries({ engineVersion: flags.php, engineName: flags.phpEngine, environment: flags.phpEnvironment, httpFirewall: flags.phpFirewall, container: flags.phpContainer }).filter(
    ([, value]) => value !== undefined,
  );
  const env = [
    ...settingsOfArguments('--env', flags.env ?? []),
    ...settingsFrom('--env-from-file', flags.envFromFile ?? [], undefined, readValueFile),
    ...settingsFrom('--env-from-env', flags.envFromEnv ?? [], undefined, readValueEnv),
  ];
  return {
    serviceName: flags.service,
    domain: flags.domain,
    ...(flags.path !== undefined ? { path: flags.path } : {}),
    ...(database ? { database } : {}),
    ...(module ? { module } : {}),
    ssl,
    ...(flags.stepDeadline !== undefined ? { stepDeadlineMinutes: Number(flags.stepDeadline) } : {}),
    ...(flags.dns !== undefined ? { dns: flags.dns } : {}),
    ...(flags.dnsDeadline !== undefined ? { dnsDeadlineMinutes: Number(flags.dnsDeadline) } : {}),
    ...(phpGiven.length > 0 ? { php: Object.fromEntries(phpGiven) } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...((flags.cron ?? []).length > 0 ? { cron: flags.cron.map((line) => ({ ...cronLineOf(line), ...(flags.cronLanguage ? { language: flags.cronLanguage } : {}) })) } : {}),
    ...(flags.gitRepo !== undefined || flags.gitBranch !== undefined ? { git: { repository: flags.gitRepo, branch: flags.gitBranch, ...(flags.gitReset ? { reset: true } : {}) } } : {}),
    ...attachedDomainOptionsFromFlags(flags),
  };
}

export function registerProvisionCommand(program: Command): void {
  const command = program
    .command('provision')
    .description('provision a site: attach the domain, create its database, install a module wired to it, turn on HTTPS')
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-agency.ovh')
    .requiredOption('--domain <fqdn>', 'the domain to attach')
    .option('--path <folder>', 'the site folder, relative to the hosting home (default: the domain)')
    .option('--no-database', 'create no database (and install no module)')
    .option('--db-type <type>', 'database engine (mysql, mariadb, postgresql, redis)', 'mysql')
    .option('--db-capability <capability>', 'database offer (sqlPerso, sqlPro, extraSqlPerso, ...)')
    .option('--db-user-suffix <suffix>', "appended to the hosting's primary login to make the database user")
    .option('--db-quota <MB>', 'quota, for extraSqlPerso')
    .option('--db-version <version>', 'engine version, e.g. 8.0')
    .option('--module <name|id>', 'module to install: wordpress, prestashop, joomla, drupal, or a catalog id')
    .option('--module-language <lang>', 'module language (en, fr, de, ...; one the CMS ships in)')
    .option('--language <lang>', 'the same as --module-language')
    .option('--admin-name <login>', "the module's administrator login (default: admin; admin@<domain> where the CMS wants an e-mail, e.g. PrestaShop)")
    .option('--admin-email <email>', "the same, for a CMS whose admin login is an e-mail address (PrestaShop)")
    .option('--ssl <mode>', 'letsencrypt (default), custom or none')
    .option('--cert-file <pem>', 'custom certificate (with --ssl custom)')
    .option('--key-file <pem>', 'custom certificate private key')
    .option('--chain-file <pem>', 'custom certificate chain')
    .option('--step-deadline <minutes>', 'how long each step may wait for its OVH task')
    .option('--dns <mode>', 'auto (default: set the A/AAAA records when the zone is at OVH in this account, else wait for them), check (never write DNS, wait) or skip')
    .option('--dns-deadline <minutes>', 'how long the DNS step waits for the domain to point at the hosting (default 1440, a day)')
    .option('--php <x.y>', "the site folder's PHP version, e.g. 8.3 (its .ovhconfig; checked against what the hosting offers)")
    .option('--php-engine <php|phpcgi>', "the site folder's PHP engine")
    .option('--php-environment <production|development>', "the site folder's PHP environment")
    .option('--php-firewall <security|none>', "the site folder's HTTP application firewall")
    .option('--php-container <image>', "the site folder's container image, e.g. stable64")
    .option('--env <name=value>', "an environment variable of the hosting (repeat; NAME:password=VALUE or NAME:integer=VALUE for a type)", collect, [])
    .option('--env-from-file <name=path>', "a variable's value from a file (NAME:password=PATH for a password)", collect, [])
    .option('--env-from-env <name=envname>', "a variable's value from this environment's ENVNAME", collect, [])
    .option('--git-repo <url>', "deploy the site's folder from this GitHub repository (https://github.com/ORG/REPO; the folder must be empty: no --module)")
    .option('--git-branch <branch>', 'the branch to deploy, with --git-repo')
    .option('--git-reset', "reset the folder to the branch before deploying")
    .option('--cron <line>', 'a cron job of the site, as a crontab line: "0 3 * * * www/site/cron.php" (repeat; OVH ignores the minutes)', collect, [])
    .option('--cron-language <phpX.Y>', "the cron jobs' language (default: the newest PHP the hosting offers)")
    .option('--account <name>', ACCOUNT_OPTION_HELP);
  withAttachedDomainOptionFlags(command)
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--json', 'machine-readable output')
    .option('--show-secrets', 'print generated passwords in the result')
    .action(async (flags: ProvisionFlags) => {
      const parsed = parseProvisionSiteInput(provisionInputFromFlags(flags));
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const input = parsed.value;
      if (input.ssl.mode === 'custom') {
        const issues = checkCertificateMaterial(input.ssl, { domain: input.domain });
        if (issues.length > 0) throw invalidInput(issues, 'certificate');
      }
      process.exitCode = await withRuns(async (runs) => {
        const missing = await checkServiceExists(runs, { serviceName: input.serviceName, account: flags.account });
        if (missing) throw invalidInput([missing]);
        const ref = await runs.start('provision', input, { account: flags.account });
        if (!flags.wait) {
          await reportStarted(runs, ref, flags);
          return EXIT.ok;
        }
        if (!flags.json) process.stdout.write(`${ref.existing ? 'following the existing run' : 'started'} ${ref.workflowId}\n`);
        return followRun(runs, ref.workflowId, flags);
      });
    });
}
