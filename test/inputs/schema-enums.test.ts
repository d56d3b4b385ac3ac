// The enums in src/shared/inputs/ovh-enums.ts are copied from the OVH schema; this keeps them honest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_CAPABILITIES,
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  DUMP_DATES,
  KNOWN_MODULES,
  KNOWN_MODULE_NAMES,
  MODULE_DEPENDENCY_TYPES,
  MODULE_LANGUAGES,
  OVH_BACKUP_DATES,
  SSH_STATES,
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  HOSTING_COUNTRIES,
  SERVICE_STATES,
  HOSTED_SSL_PROVIDERS,
  ATTACHED_DOMAIN_RECORD_TYPES,
  PHP_VERSIONS,
  PHP_ENGINES,
  PHP_ENVIRONMENTS,
  PHP_HTTP_FIREWALLS,
  PHP_CONTAINERS,
  ENV_VAR_TYPES,
  CRON_LANGUAGES,
  findKnownModuleInCatalog,
} from '../../src/shared/inputs/index.js';

interface Schema {
  models: Record<string, { enum?: string[] }>;
  apis: { path: string; operations: { httpMethod: string; parameters?: { name: string; dataType: string }[] }[] }[];
}

const schemaPath = new URL('../../spec/ovh-api/hosting-web.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Schema;
const enumOf = (model: string) => schema.models[model]?.enum ?? [];

function bodyParameter(path: string, method: string, name: string): string | undefined {
  const operation = schema.apis.find((a) => a.path === path)?.operations.find((o) => o.httpMethod === method);
  return operation?.parameters?.find((p) => p.name === name)?.dataType;
}

describe('the input enums match the OVH schema', () => {
  it.each([
    ['hosting.web.database.DatabaseCreationTypeEnum', DATABASE_TYPES],
    ['hosting.web.database.DatabaseCapabilitiesTypeEnum', DATABASE_CAPABILITIES],
    ['hosting.web.database.ExtraSqlQuotaEnum', DATABASE_QUOTAS.map(String)],
    ['hosting.web.database.VersionEnum', DATABASE_VERSIONS],
    ['hosting.web.database.dump.DateEnum', DUMP_DATES],
    ['hosting.web.module.LanguageEnum', MODULE_LANGUAGES],
    ['hosting.web.module.DependencyTypeEnum', MODULE_DEPENDENCY_TYPES],
    ['hosting.web.user.SshStateEnum', SSH_STATES],
    ['hosting.web.attachedDomain.CdnEnum', ATTACHED_DOMAIN_CDN_STATES],
    ['hosting.web.attachedDomain.FirewallEnum', ATTACHED_DOMAIN_FIREWALL_STATES],
    ['hosting.web.CountryEnum', HOSTING_COUNTRIES],
    ['hosting.web.StateEnum', SERVICE_STATES],
    ['hosting.web.hostedssl.ProviderEnum', HOSTED_SSL_PROVIDERS],
    ['hosting.web.attachedDomain.RecordTypeEnum', ATTACHED_DOMAIN_RECORD_TYPES],
    ['hosting.web.ovhConfig.AvailableEngineVersionEnum', PHP_VERSIONS],
    ['hosting.web.ovhConfig.EngineNameEnum', PHP_ENGINES],
    ['hosting.web.ovhConfig.EnvironmentEnum', PHP_ENVIRONMENTS],
    ['hosting.web.ovhConfig.HttpFirewallEnum', PHP_HTTP_FIREWALLS],
    ['hosting.web.ovhconfig.ContainerEnum', PHP_CONTAINERS],
    ['hosting.web.envVar.TypeEnum', ENV_VAR_TYPES],
    ['hosting.web.LanguagesEnum', CRON_LANGUAGES],
  ])('%s', (model, ours) => {
    expect([...ours].sort()).toEqual([...enumOf(model)].sort());
  });

  it('uses those enums where the API takes them', () => {
    const db = '/hosting/web/{serviceName}/database';
    expect(bodyParameter(db, 'POST', 'capabilitie')).toBe('hosting.web.database.DatabaseCapabilitiesTypeEnum');
    expect(bodyParameter(db, 'POST', 'type')).toBe('hosting.web.database.DatabaseCreationTypeEnum');
    expect(bodyParameter(db, 'POST', 'quota')).toBe('hosting.web.database.ExtraSqlQuotaEnum');
    expect(bodyParameter(`${db}/{name}/restore`, 'POST', 'date')).toBe('hosting.web.database.dump.DateEnum');
    expect(bodyParameter('/hosting/web/{serviceName}/user', 'POST', 'sshState')).toBe('hosting.web.user.SshStateEnum');
    expect(bodyParameter('/hosting/web/{serviceName}/module', 'POST', 'language')).toBe('hosting.web.module.LanguageEnum');
  });

  it('knows OVH\'s 2026 values: PHP 8.4 and 8.5, the blocked states, SECTIGO, CAA', () => {
    expect(PHP_VERSIONS).toEqual(expect.arrayContaining(['8.4', '8.5']));
    expect(SERVICE_STATES).toEqual(expect.arrayContaining(['blocked', 'hardBlocked']));
    expect(HOSTED_SSL_PROVIDERS).toContain('SECTIGO');
    expect(ATTACHED_DOMAIN_RECORD_TYPES).toContain('CAA');
  });

  it('offers only real backups for a restore', () => {
    for (const date of OVH_BACKUP_DATES) expect(DUMP_DATES).toContain(date);
    expect(OVH_BACKUP_DATES).not.toContain('now');
  });
});

describe('known modules', () => {
  it('covers the four CMS the product names', () => {
    expect([...KNOWN_MODULE_NAMES].sort()).toEqual(['drupal', 'joomla', 'prestashop', 'wordpress']);
    for (const name of KNOWN_MODULE_NAMES) expect(KNOWN_MODULES[name].catalogName).toMatch(/^[a-z]+$/);
  });

  it('picks the active, latest, stable catalog entry, matching names loosely', () => {
    const catalog = [
      { id: 10, name: 'WordPress', active: true, latest: false, branch: 'stable' },
      { id: 11, name: 'wordpress', active: false, latest: true, branch: 'stable' },
      { id: 12, name: 'wordpress', active: true, latest: true, branch: 'testing' },
      { id: 13, name: 'wordpress', active: true, latest: true, branch: 'stable' },
      { id: 14, name: 'Joomla!', active: true, latest: true, branch: 'stable' },
      { id: 15, name: 'wordpress-multisite', active: true, latest: true, branch: 'stable' },
    ];
    expect(findKnownModuleInCatalog('wordpress', catalog)?.id).toBe(13);
    expect(findKnownModuleInCatalog('joomla', catalog)?.id).toBe(14);
    expect(findKnownModuleInCatalog('drupal', catalog)).toBeUndefined();
    expect(findKnownModuleInCatalog('wordpress', [...catalog].reverse())?.id).toBe(13);
  });
});
