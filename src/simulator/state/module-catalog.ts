// The 1-click module catalog (`GET /hosting/web/moduleList`): several versions of the CMSs OVHcloud offers, with the
// fields of `hosting.web.ModuleList`, plus what an installation needs to know (admin folder, table prefix).

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
}

const ALL_LANGUAGES = ['cz', 'de', 'en', 'es', 'fi', 'fr', 'it', 'lt', 'nl', 'pl', 'pt'];

function cms(name: string, fields: Omit<CatalogModule, 'name' | 'author' | 'keywords' | 'languageRequirement'> & { php: string }): CatalogModule {
  const { php, ...rest } = fields;
  return {
    name,
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
