// The 1-click module catalog (`GET /hosting/web/moduleList`): several versions of each CMS OVHcloud offers as a
// 1-click module on web hosting — WordPress, Joomla!, Drupal and PrestaShop, the four its guide "Installing your
// website with 1-click modules" lists — with the fields of `hosting.web.ModuleList`, plus what an installation needs
// to know: admin folder, default table prefix, and each CMS's admin rules.
//
// Admin rules: the schema asks `adminPassword` of at least 8 characters and lets `adminName` be "a standard string or
// your email" (`adminNameType`); the module's own installer, which OVH runs, adds its rules, and OVH answers them as
// a 400 on `POST /module`:
// - WordPress: login up to 60 characters (`user_login`), letters, digits, space and `_ . - @`; table prefix of
//   letters, digits and underscores (wp-admin/setup-config.php);
// - Joomla! (4.2+): login of 2 to 150 characters without `< > \ " ' % ; ( ) &`, password of at least 12 characters;
//   table prefix starting with a letter, then letters, digits or underscores, at most 15 characters;
// - Drupal: login up to 60 characters, letters, digits, space and `. - _ @ '`; table prefix of letters, digits
//   and underscores;
// - PrestaShop: the admin login is an e-mail address (`adminNameType: email`, up to 128 characters); table
//   prefix starting with a letter or digit, then letters, digits or underscores.
// Every password is at most 128 characters and every prefix at most 16 (table names stay under MySQL's 64).

export interface CatalogModule {
  id: number;
  name: string;
  version: string;
  branch: 'old' | 'stable' | 'testing';
  active: boolean;
  latest: boolean;
  adminNameType: 'email' | 'string';
  author: string;
  keywords: string[];
  language: string[];
  languageRequirement: { unit: string; value: string };
  size: { unit: string; value: number };
  upgradeFrom: number[];
  /** Where the CMS's back office lives under the install path. */
  adminFolder: string;
  defaultPrefix: string;
  rules: CmsRules;
}

export interface CmsRules {
  adminName: { minLength: number; maxLength: number; pattern: RegExp; allowed: string };
  adminPasswordMinLength: number;
  prefix: { pattern: RegExp; allowed: string; maxLength: number };
}

export const ADMIN_PASSWORD_MAX_LENGTH = 128;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const CMS_RULES: Record<string, CmsRules> = {
  wordpress: {
    adminName: { minLength: 1, maxLength: 60, pattern: /^[A-Za-z0-9 _.@-]+$/, allowed: 'letters, digits, spaces and _ . - @' },
    adminPasswordMinLength: 8,
    prefix: { pattern: /^[A-Za-z0-9_]+$/, allowed: 'letters, digits and underscores', maxLength: 16 },
  },
  joomla: {
    adminName: { minLength: 2, maxLength: 150, pattern: /^[^<>\\"'%;()&]+$/, allowed: 'any character but < > \\ " \' % ; ( ) &' },
    adminPasswordMinLength: 12,
    prefix: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, allowed: 'a letter, then letters, digits and underscores', maxLength: 15 },
  },
  drupal: {
    adminName: { minLength: 1, maxLength: 60, pattern: /^[A-Za-z0-9 ._@'-]+$/, allowed: "letters, digits, spaces and . - _ @ '" },
    adminPasswordMinLength: 8,
    prefix: { pattern: /^[A-Za-z0-9_]+$/, allowed: 'letters, digits and underscores', maxLength: 16 },
  },
  prestashop: {
    adminName: { minLength: 6, maxLength: 128, pattern: EMAIL, allowed: 'an email address' },
    adminPasswordMinLength: 8,
    prefix: { pattern: /^[A-Za-z0-9][A-Za-z0-9_]*$/, allowed: 'a letter or digit, then letters, digits and underscores', maxLength: 16 },
  },
};

const ALL_LANGUAGES = ['cz', 'de', 'en', 'es', 'fi', 'fr', 'it', 'lt', 'nl', 'pl', 'pt'];

function cms(name: string, fields: Omit<CatalogModule, 'name' | 'author' | 'keywords' | 'languageRequirement' | 'rules'> & { php: string }): CatalogModule {
  const { php, ...rest } = fields;
  const rules = CMS_RULES[name];
  if (!rules) throw new Error(`no admin rules for the CMS ${name}`);
  return {
    name,
    rules,
    author: 'OVH',
    keywords: KEYWORDS[name] ?? ['cms'],
    languageRequirement: { unit: `supported versions: '${php}'`, value: 'php' },
    ...rest,
  };
}

const KEYWORDS: Record<string, string[]> = {
  wordpress: ['blog', 'cms'],
  prestashop: ['ecommerce', 'shop'],
  joomla: ['cms', 'portal'],
  drupal: ['cms', 'community'],
};

export const MODULE_CATALOG: CatalogModule[] = [
  cms('wordpress', { id: 301, version: '6.5.3', branch: 'stable', active: true, latest: true, adminNameType: 'string', language: ALL_LANGUAGES, size: { unit: 'MB', value: 68.4 }, upgradeFrom: [288, 254], adminFolder: 'wp-admin', defaultPrefix: 'wp_', php: '>=7.4' }),
  cms('wordpress', { id: 288, version: '6.4.3', branch: 'old', active: true, latest: false, adminNameType: 'string', language: ALL_LANGUAGES, size: { unit: 'MB', value: 66.1 }, upgradeFrom: [254], adminFolder: 'wp-admin', defaultPrefix: 'wp_', php: '>=7.0' }),
  cms('wordpress', { id: 254, version: '6.2.2', branch: 'old', active: false, latest: false, adminNameType: 'string', language: ALL_LANGUAGES, size: { unit: 'MB', value: 62.9 }, upgradeFrom: [], adminFolder: 'wp-admin', defaultPrefix: 'wp_', php: '>=5.6' }),
  cms('wordpress', { id: 306, version: '6.6-RC1', branch: 'testing', active: true, latest: false, adminNameType: 'string', language: ['en', 'fr'], size: { unit: 'MB', value: 69.0 }, upgradeFrom: [301], adminFolder: 'wp-admin', defaultPrefix: 'wp_', php: '>=7.4' }),
  cms('prestashop', { id: 302, version: '8.1.5', branch: 'stable', active: true, latest: true, adminNameType: 'email', language: ['cz', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt'], size: { unit: 'MB', value: 187.3 }, upgradeFrom: [276], adminFolder: 'admin-ovh', defaultPrefix: 'ps_', php: '>=7.2 <=8.1' }),
  cms('prestashop', { id: 276, version: '1.7.8.11', branch: 'old', active: true, latest: false, adminNameType: 'email', language: ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt'], size: { unit: 'MB', value: 164.8 }, upgradeFrom: [], adminFolder: 'admin-ovh', defaultPrefix: 'ps_', php: '>=7.1 <=7.4' }),
  cms('joomla', { id: 303, version: '5.1.0', branch: 'stable', active: true, latest: true, adminNameType: 'string', language: ['cz', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt'], size: { unit: 'MB', value: 91.5 }, upgradeFrom: [280], adminFolder: 'administrator', defaultPrefix: 'jos_', php: '>=8.1' }),
  cms('joomla', { id: 280, version: '4.4.4', branch: 'old', active: true, latest: false, adminNameType: 'string', language: ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt'], size: { unit: 'MB', value: 88.2 }, upgradeFrom: [], adminFolder: 'administrator', defaultPrefix: 'jos_', php: '>=7.2.5' }),
  cms('drupal', { id: 304, version: '10.2.6', branch: 'stable', active: true, latest: true, adminNameType: 'string', language: ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt'], size: { unit: 'MB', value: 74.6 }, upgradeFrom: [281], adminFolder: 'user/login', defaultPrefix: 'dr_', php: '>=8.1' }),
  cms('drupal', { id: 281, version: '9.5.11', branch: 'old', active: false, latest: false, adminNameType: 'string', language: ['de', 'en', 'es', 'fr', 'it', 'nl'], size: { unit: 'MB', value: 70.3 }, upgradeFrom: [], adminFolder: 'user/login', defaultPrefix: 'dr_', php: '>=7.3' }),
];

export function findCatalogModule(id: number): CatalogModule | undefined {
  return MODULE_CATALOG.find((module) => module.id === id);
}
