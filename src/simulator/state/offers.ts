// What each hosting offer allows. The figures follow OVHcloud's published plans in spirit (Perso: one database and
// no extra FTP user or SSH; Pro: a few databases, extra users, SSH); they are the simulator's rules, documented in
// docs/simulator.md, and tests rely on them.
import type { OfferName } from './records.js';

export interface DatabaseAllowance {
  /** The `capabilitie` value a create call must use. */
  type: 'sqlPerso' | 'sqlPro' | 'extraSqlPerso' | 'local' | 'privateDatabase' | 'sqlLocal';
  count: number;
  quotaMb: number;
  engines: Array<'mysql' | 'mariadb' | 'postgresql' | 'redis'>;
}

export interface OfferLimits {
  attachedDomains: number;
  databases: DatabaseAllowance[];
  extraUsers: number;
  ssh: boolean;
  diskGb: number;
  sitesRecommended: number;
  /** The PHP versions a `.ovhconfig` may ask for (`ovhConfigCapabilities`): newer offers first get the newest. */
  phpVersions: string[];
  /** Git website links the offer allows (`websiteCreationCapabilities.allowedWebsites`), -1 for unlimited. */
  websites: number;
  /** How many scheduled tasks (`/cron`) the hosting may hold: 0 where the offer has no crontab (Start). */
  cronJobs: number;
}

export const OFFERS: Record<OfferName, OfferLimits> = {
  START: { attachedDomains: 1, databases: [], extraUsers: 0, ssh: false, diskGb: 1, sitesRecommended: 1, phpVersions: ['8.1', '8.2', '8.3'], websites: 1, cronJobs: 0 },
  PERSO: {
    attachedDomains: 10,
    databases: [{ type: 'sqlPerso', count: 1, quotaMb: 512, engines: ['mysql'] }],
    extraUsers: 0,
    ssh: false,
    diskGb: 100,
    sitesRecommended: 10,
    phpVersions: ['7.4', '8.0', '8.1', '8.2', '8.3', '8.4'],
    websites: 10,
    cronJobs: 10,
  },
  PRO: {
    attachedDomains: 100,
    databases: [{ type: 'sqlPerso', count: 3, quotaMb: 1024, engines: ['mysql'] }],
    extraUsers: 10,
    ssh: true,
    diskGb: 250,
    sitesRecommended: 100,
    phpVersions: ['7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5'],
    websites: 100,
    cronJobs: 50,
  },
  PERFORMANCE_1: {
    attachedDomains: 250,
    databases: [{ type: 'sqlPerso', count: 4, quotaMb: 1024, engines: ['mysql'] }],
    extraUsers: 100,
    ssh: true,
    diskGb: 500,
    sitesRecommended: 250,
    phpVersions: ['7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5'],
    websites: -1,
    cronJobs: 100,
  },
};

export const OFFER_NAMES = Object.keys(OFFERS) as OfferName[];

/** The database engine versions a shared hosting can create, by engine. */
export const DATABASE_VERSIONS: Record<string, { default: string; list: string[] }> = {
  mysql: { default: '8.0', list: ['5.7', '8.0'] },
};

/** Support status of each version, as `hosting.web.database.versionSupport` reports it. */
export function versionSupport(version: string): 'beta' | 'deprecated' | 'stable' {
  return version === '5.7' ? 'deprecated' : 'stable';
}

/** The container images a PHP version runs in (`OvhConfigCapabilities.containerImage`): 7.x can still run `legacy`. */
export function phpContainers(version: string): string[] {
  return version.startsWith('7.') ? ['stable64', 'legacy'] : ['stable64'];
}

/** The languages a scheduled task may run with (`cronAvailableLanguage`): the offer's PHP versions, and on Pro and
 * above Node.js, Python and Ruby too; none without a crontab. */
export function cronLanguages(offer: OfferName): string[] {
  const limits = OFFERS[offer];
  if (limits.cronJobs === 0) return [];
  const php = limits.phpVersions.map((version) => `php${version}`);
  return offer === 'PERSO' ? [...php, 'other'] : [...php, 'node14', 'python3', 'ruby2.6', 'other'];
}
