// The CMS modules a run can name instead of giving an id. OVH's module ids change with every packaged version, so an
// input never carries a guessed id: it carries a name, and the run finds the id in `GET /hosting/web/moduleList`
// (then `/moduleList/{id}`) by matching the catalog entry's `name`.

export const KNOWN_MODULE_NAMES = ['wordpress', 'prestashop', 'joomla', 'drupal'] as const;
export type KnownModuleName = (typeof KNOWN_MODULE_NAMES)[number];

/**
 * What the CMS's own installer (which OVH runs on `POST /module`) accepts, the one table the installer, preflight
 * validation and the docs follow; the simulator models the same installers (src/simulator/state/module-catalog.ts,
 * and test/inputs/cms-rules.test.ts checks that the two agree).
 * - WordPress: login up to 60 characters (`user_login`), letters, digits, space and `_ . - @`; table prefix of
 *   letters, digits and underscores (wp-admin/setup-config.php).
 * - Joomla! 4.2+: login of 2 to 150 characters without `< > \ " ' % ; ( ) &`; password of at least 12 characters;
 *   table prefix starting with a letter, at most 15 characters.
 * - Drupal: login up to 60 characters, letters, digits, space and `. - _ @ '`.
 * - PrestaShop: the back-office login is an e-mail address (the catalog's `adminNameType: email`, up to 128
 *   characters); table prefix starting with a letter or digit.
 * Every prefix stays at most 16 characters (table names under MySQL's 64) and every password at most 128.
 */
export interface CmsRules {
  /** `email`: the admin login is an e-mail address (the catalog entry's `adminNameType`). */
  adminNameType: 'email' | 'string';
  adminName: { minLength: number; maxLength: number; pattern: RegExp; allowed: string };
  adminPasswordMinLength: number;
  tablePrefix: { default: string; pattern: RegExp; allowed: string; maxLength: number };
}

export interface KnownModule extends CmsRules {
  /** The `name` of its entries in `/hosting/web/moduleList/{id}` (compared case- and punctuation-insensitively). */
  catalogName: string;
  /** How people write it, for messages. */
  displayName: string;
}

export const CMS_ADMIN_PASSWORD_MAX_LENGTH = 128;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const LETTERS_DIGITS_UNDERSCORES = { pattern: /^[A-Za-z0-9_]+$/, allowed: 'letters, digits and underscores', maxLength: 16 };

export const KNOWN_MODULES: Readonly<Record<KnownModuleName, KnownModule>> = {
  wordpress: {
    catalogName: 'wordpress',
    displayName: 'WordPress',
    adminNameType: 'string',
    adminName: { minLength: 1, maxLength: 60, pattern: /^[A-Za-z0-9 _.@-]+$/, allowed: 'letters, digits, spaces and _ . - @' },
    adminPasswordMinLength: 8,
    tablePrefix: { default: 'wp_', ...LETTERS_DIGITS_UNDERSCORES },
  },
  prestashop: {
    catalogName: 'prestashop',
    displayName: 'PrestaShop',
    adminNameType: 'email',
    adminName: { minLength: 6, maxLength: 128, pattern: EMAIL, allowed: 'an e-mail address' },
    adminPasswordMinLength: 8,
    tablePrefix: { default: 'ps_', pattern: /^[A-Za-z0-9][A-Za-z0-9_]*$/, allowed: 'a letter or digit, then letters, digits and underscores', maxLength: 16 },
  },
  joomla: {
    catalogName: 'joomla',
    displayName: 'Joomla!',
    adminNameType: 'string',
    adminName: { minLength: 2, maxLength: 150, pattern: /^[^<>\\"'%;()&]+$/, allowed: 'any character but < > \\ " \' % ; ( ) &' },
    adminPasswordMinLength: 12,
    tablePrefix: { default: 'jos_', pattern: /^[A-Za-z][A-Za-z0-9_]*$/, allowed: 'a letter, then letters, digits and underscores', maxLength: 15 },
  },
  drupal: {
    catalogName: 'drupal',
    displayName: 'Drupal',
    adminNameType: 'string',
    adminName: { minLength: 1, maxLength: 60, pattern: /^[A-Za-z0-9 ._@'-]+$/, allowed: "letters, digits, spaces and . - _ @ '" },
    adminPasswordMinLength: 8,
    tablePrefix: { default: 'dr_', ...LETTERS_DIGITS_UNDERSCORES },
  },
};

/** The known CMS a catalog entry's `name` is ("WordPress", "joomla"...), if any. */
export function knownModuleOfCatalogName(catalogName: string): KnownModuleName | undefined {
  const key = catalogKey(catalogName);
  return KNOWN_MODULE_NAMES.find((name) => KNOWN_MODULES[name].catalogName === key);
}

/**
 * The admin login a run uses when the input names none: `admin`, or for a CMS whose login is an e-mail address
 * (PrestaShop), `admin@<domain>` — a mailbox at the site's own domain, valid for the installer and easy to guess
 * for the site's owner.
 */
export function defaultAdminName(name: KnownModuleName, domain: string): string {
  return KNOWN_MODULES[name].adminNameType === 'email' ? `admin@${domain}` : 'admin';
}

/** What is wrong with an admin login for this CMS (a message that names the CMS and its rule), if anything. */
export function cmsAdminNameIssue(name: KnownModuleName, adminName: string): string | undefined {
  const { displayName, adminName: rule, adminNameType } = KNOWN_MODULES[name];
  if (adminNameType === 'email' && !rule.pattern.test(adminName)) {
    return `${JSON.stringify(adminName)} is not an e-mail address; ${displayName}'s admin login is an e-mail address (e.g. admin@your-shop.example)`;
  }
  if (adminName.length < rule.minLength || adminName.length > rule.maxLength) {
    return `${JSON.stringify(adminName)} is ${adminName.length} characters long; ${displayName} takes an admin login of ${rule.minLength} to ${rule.maxLength}`;
  }
  if (!rule.pattern.test(adminName)) return `${JSON.stringify(adminName)} is not accepted by ${displayName}: its admin login takes ${rule.allowed}`;
  return undefined;
}

/** What is wrong with a table prefix for this CMS, if anything. */
export function cmsTablePrefixIssue(name: KnownModuleName, prefix: string): string | undefined {
  const { displayName, tablePrefix: rule } = KNOWN_MODULES[name];
  if (prefix.length === 0 || prefix.length > rule.maxLength) return `${displayName} takes a table prefix of 1 to ${rule.maxLength} characters`;
  if (!rule.pattern.test(prefix)) return `${JSON.stringify(prefix)} is not a ${displayName} table prefix: ${rule.allowed}`;
  return undefined;
}

/** The fields of a `hosting.web.ModuleList` entry this choice needs. */
export interface ModuleCatalogEntry {
  id: number;
  name: string;
  active?: boolean;
  latest?: boolean;
  branch?: string;
}

const BRANCH_PREFERENCE: Record<string, number> = { stable: 0, testing: 1, old: 2 };

function catalogKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The catalog entry to install for a known name: an active one, preferring the latest version on the stable branch,
 * then the highest id — deterministic for the same catalog. Undefined when the catalog has no active entry for it.
 */
export function findKnownModuleInCatalog<E extends ModuleCatalogEntry>(
  name: KnownModuleName,
  catalog: readonly E[],
): E | undefined {
  const wanted = KNOWN_MODULES[name].catalogName;
  const candidates = catalog.filter((entry) => entry.active !== false && catalogKey(entry.name) === wanted);
  const rank = (entry: E): [number, number, number] => [
    entry.latest === true ? 0 : 1,
    BRANCH_PREFERENCE[entry.branch ?? 'stable'] ?? 3,
    -entry.id,
  ];
  return [...candidates].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  })[0];
}
