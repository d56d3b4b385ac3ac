// The per-CMS rules ovhflow validates with (KNOWN_MODULES) and the ones the simulator models OVH's installers with
// (src/simulator/state/module-catalog.ts) must say the same thing, and the defaults a run picks must pass them.
import { describe, expect, it } from 'vitest';
import { CMS_RULES, MODULE_CATALOG } from '../../src/simulator/state/module-catalog.js';
import {
  cmsAdminNameIssue,
  cmsTablePrefixIssue,
  defaultAdminName,
  KNOWN_MODULES,
  KNOWN_MODULE_NAMES,
  knownModuleOfCatalogName,
  PASSWORD_RULES,
} from '../../src/shared/inputs/index.js';

describe('one table of per-CMS rules', () => {
  it.each(KNOWN_MODULE_NAMES)('%s: ovhflow and the simulated installer agree on admin login, password and table prefix', (name) => {
    const ours = KNOWN_MODULES[name];
    const simulated = CMS_RULES[name]!;
    expect({ min: ours.adminName.minLength, max: ours.adminName.maxLength, pattern: ours.adminName.pattern.source }).toEqual({
      min: simulated.adminName.minLength,
      max: simulated.adminName.maxLength,
      pattern: simulated.adminName.pattern.source,
    });
    expect(ours.adminPasswordMinLength).toBe(simulated.adminPasswordMinLength);
    expect({ pattern: ours.tablePrefix.pattern.source, max: ours.tablePrefix.maxLength }).toEqual({ pattern: simulated.prefix.pattern.source, max: simulated.prefix.maxLength });
    for (const entry of MODULE_CATALOG.filter((module) => knownModuleOfCatalogName(module.name) === name)) {
      expect(entry.defaultPrefix).toBe(ours.tablePrefix.default);
      expect(entry.adminNameType).toBe(ours.adminNameType);
    }
  });

  it.each(KNOWN_MODULE_NAMES)('%s: the defaults a run picks are valid for the CMS', (name) => {
    expect(cmsAdminNameIssue(name, defaultAdminName(name, 'blog.example.org'))).toBeUndefined();
    expect(cmsTablePrefixIssue(name, KNOWN_MODULES[name].tablePrefix.default)).toBeUndefined();
    // Generated admin passwords are 20 letters and digits (src/secrets/derived-passwords.ts), within every CMS's bounds.
    expect(Math.min(20, PASSWORD_RULES.moduleAdmin.maxLength)).toBeGreaterThanOrEqual(KNOWN_MODULES[name].adminPasswordMinLength);
  });

  it('names what each CMS refuses', () => {
    expect(defaultAdminName('prestashop', 'shop.example.com')).toBe('admin@shop.example.com');
    expect(cmsAdminNameIssue('prestashop', 'admin')).toMatch(/not an e-mail address/);
    expect(cmsAdminNameIssue('joomla', 'a')).toMatch(/Joomla! takes an admin login of 2 to 150/);
    expect(cmsAdminNameIssue('wordpress', 'web/master')).toMatch(/WordPress: its admin login takes letters, digits/);
    expect(cmsTablePrefixIssue('joomla', '1jos_')).toMatch(/a letter, then/);
    expect(knownModuleOfCatalogName('Joomla!')).toBe('joomla');
    expect(knownModuleOfCatalogName('magento')).toBeUndefined();
  });
});
