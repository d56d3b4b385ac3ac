import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRestoreCorrections } from '../../src/shared/backups.js';
import {
  type ProvisionSiteInput,
  SETTABLE_KEYS,
  applyProvisionSitePatch,
  correctProvisionSiteInput,
  dumpSelectorSchema,
  parseDumpSelectorText,
  parseProvisionSiteInput,
  parseProvisionSitePatch,
  parseSetArguments,
  parseWith,
} from '../../src/shared/inputs/index.js';

function run(raw: unknown): ProvisionSiteInput {
  const result = parseProvisionSiteInput(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const wordpressRun = run({
  serviceName: 'demo-agency.ovh',
  domain: 'shop.example.com',
  database: { capability: 'extraSqlPerso', quota: 256 },
  module: { name: 'wordpress', language: 'fr' },
});

describe('retry --set key=value', () => {
  it('turns dotted keys into a validated, normalized patch', () => {
    expect(
      parseSetArguments([
        'database.capability=sqlPro',
        'path=./www2/',
        'database.quota=512',
        'module.language=de',
        'stepDeadlineMinutes=30',
        'ssl.mode=none',
      ]),
    ).toEqual({
      ok: true,
      value: {
        path: 'www2',
        database: { capability: 'sqlPro', quota: 512 },
        module: { language: 'de' },
        ssl: { mode: 'none' },
        stepDeadlineMinutes: 30,
      },
    });
  });

  it('reads "module" as an id or a name', () => {
    expect(parseSetArguments(['module=195'])).toEqual({ ok: true, value: { module: { id: 195 } } });
    expect(parseSetArguments(['module=Drupal'])).toEqual({ ok: true, value: { module: { name: 'drupal' } } });
  });

  it('is an empty patch without arguments', () => {
    expect(parseSetArguments([])).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['unknown key with a suggestion', ['databse.capability=sqlPro'], 'databse.capability', /did you mean "database.capability"/],
    ['unknown key', ['colour=blue'], 'colour', /is not a setting; use one of path, database.type/],
    ['the run’s identity', ['domain=other.com'], 'domain', /cannot change on retry/],
    ['the service', ['serviceName=x.ovh'], 'serviceName', /cannot change on retry/],
    ['key material', ['ssl.key=abc'], 'ssl.key', /must not sit in shell history/],
    ['custom SSL', ['ssl.mode=custom'], 'ssl.mode', /certificate material cannot be passed/],
    ['no equals sign', ['path'], '--set', /not of the form key=value/],
    ['empty value', ['path='], 'path', /has no value/],
    ['empty key', ['=www'], '--set', /is not a setting/],
    ['repeated key', ['path=a', 'path=b'], 'path', /more than once/],
    ['module twice', ['module=12', 'module.id=13'], 'module.id', /more than once/],
    ['bad value', ['database.capability=sqlPersonal'], 'database.capability', /did you mean "sqlPerso"/],
    ['bad path', ['path=../x'], 'path', /must not contain "\.\."/],
    ['not a number', ['stepDeadlineMinutes=soon'], 'stepDeadlineMinutes', /number of minutes/],
    ['unknown dns mode', ['dns=manual'], 'dns', /auto/],
    ['both module id and name', ['module.id=12', 'module.name=drupal'], 'module', /either the module id or its name/],
  ])('refuses %s', (_name, pairs, field, message) => {
    const result = parseSetArguments(pairs);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('documents every settable key and accepts each with a sensible value', () => {
    const samples: Record<(typeof SETTABLE_KEYS)[number], string> = {
      path: 'www',
      'database.type': 'mysql',
      'database.capability': 'sqlPro',
      'database.userSuffix': 'wp',
      'database.quota': '256',
      'database.version': '8.0',
      module: 'joomla',
      'module.id': '12',
      'module.name': 'prestashop',
      'module.language': 'en',
      'module.adminName': 'boss',
      'ssl.mode': 'letsencrypt',
      stepDeadlineMinutes: '15',
      dns: 'check',
      dnsDeadlineMinutes: '30',
      cdn: 'active',
      firewall: 'none',
      ownLog: 'example.com',
      runtimeId: '2',
      ipLocation: 'DE',
      bypassDNSConfiguration: 'true',
    };
    for (const key of SETTABLE_KEYS) expect(parseSetArguments([`${key}=${samples[key]}`]).ok, key).toBe(true);
  });
});

describe('a patch as the retry update carries it', () => {
  it('is checked on its own, strictly', () => {
    expect(parseProvisionSitePatch(undefined)).toEqual({ ok: true, value: {} });
    expect(parseProvisionSitePatch({ domain: 'x.com' })).toMatchObject({ ok: false, issues: [{ field: 'domain' }] });
    expect(parseProvisionSitePatch('path=www')).toMatchObject({ ok: false, issues: [{ field: 'input' }] });
  });

  it('can replace the SSL settings as a whole, custom certificate included', () => {
    const certificate = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const key = `-----BEGIN ${'PRIVATE KEY'}-----\nBBBB\n-----END ${'PRIVATE KEY'}-----`;
    expect(parseProvisionSitePatch({ ssl: { mode: 'custom', certificate, key } })).toEqual({
      ok: true,
      value: { ssl: { mode: 'custom', certificate, key } },
    });
  });
});

describe('applying a patch to a run’s input', () => {
  const apply = (pairs: string[]) => {
    const patch = parseSetArguments(pairs);
    if (!patch.ok) throw new Error(JSON.stringify(patch.issues));
    return applyProvisionSitePatch(wordpressRun, patch.value);
  };

  it('merges database and module settings and keeps the rest', () => {
    expect(apply(['database.version=8.0', 'module.adminName=boss'])).toEqual({
      ok: true,
      value: {
        ...wordpressRun,
        database: { ...wordpressRun.database, version: '8.0' },
        module: { name: 'wordpress', language: 'fr', adminName: 'boss' },
      },
    });
  });

  it('drops the quota when the capability moves away from extraSqlPerso', () => {
    expect(apply(['database.capability=sqlPro'])).toMatchObject({
      ok: true,
      value: { database: { type: 'mysql', capability: 'sqlPro' } },
    });
    const result = apply(['database.capability=sqlPro']);
    expect(result.ok && result.value.database?.quota).toBeUndefined();
  });

  it('replaces the module reference: an id replaces a name', () => {
    expect(apply(['module.id=195'])).toMatchObject({
      ok: true,
      value: { module: { id: 195, language: 'fr' } },
    });
    const result = apply(['module.id=195']);
    expect(result.ok && 'name' in (result.value.module ?? {})).toBe(false);
  });

  it('gives a run without a database the defaults plus the patch', () => {
    const bare = run({ serviceName: 'demo-agency.ovh', domain: 'plain.example.com' });
    expect(applyProvisionSitePatch(bare, { database: { userSuffix: 'db' } })).toEqual({
      ok: true,
      value: { ...bare, database: { type: 'mysql', capability: 'sqlPerso', userSuffix: 'db' } },
    });
  });

  it('re-checks the rules that span fields', () => {
    expect(apply(['database.type=postgresql'])).toEqual({
      ok: false,
      issues: [{ field: 'database.type', message: '"postgresql" cannot back a module: OVH modules only use a mysql database' }],
    });
  });
});

// The workflow checks `--set` corrections without zod (parseSetArguments, correctProvisionSiteInput): they must say
// exactly what the zod schemas say, value for value and message for message.
describe('the zod-free corrections agree with the zod schemas', () => {
  const VALUES: Record<string, string[]> = {
    path: ['www2', './site/', '../x', 'a b', '.hidden', '%2e'],
    'database.type': ['mysql', 'postgresql', 'MySQL', 'redis'],
    'database.capability': ['sqlPro', 'extraSqlPerso', 'sqlPersonal', 'local'],
    'database.userSuffix': ['wp', 'toolongsuffix', 'W P', '1'],
    'database.quota': ['256', '25', '300', 'lots', '0256'],
    'database.version': ['8.0', '5.7', '9', 'latest'],
    'module.id': ['12', '0', 'x12', '999999999999999', '-4', '1.5'],
    'module.name': ['prestashop', 'JOOMLA ', 'magento'],
    'module.language': ['fr', 'FR', 'xx'],
    'module.adminName': ['boss', 'bad name', '-x'],
    'ssl.mode': ['none', 'letsencrypt', 'LetsEncrypt', 'off'],
    stepDeadlineMinutes: ['30', '0', '10081', 'soon', '1.5', '10080'],
    cdn: ['active', 'none', 'on', 'Active'],
    firewall: ['active', 'none', 'off'],
    ownLog: ['logs.example.com', 'Logs.Example.COM.', 'not a domain', '-x.com'],
    runtimeId: ['2', '0', 'php8', '1.5'],
    ipLocation: ['FR', 'DE', 'fr', 'GB'],
    bypassDNSConfiguration: ['true', 'false', 'yes', 'TRUE'],
  };
  const pair = fc.constantFrom(...Object.keys(VALUES)).chain((key) => fc.constantFrom(...(VALUES[key] ?? [])).map((value) => `${key}=${value}`));
  const pairs = fc.uniqueArray(pair, { maxLength: 4, selector: (p) => p.split('=')[0] });

  /** What the CLI did before the zod-free parser: the same object, judged by the zod patch schema. */
  function throughZod(list: string[]) {
    const raw: Record<string, unknown> = {};
    for (const item of list) {
      const eq = item.indexOf('=');
      let key = item.slice(0, eq);
      const value = item.slice(eq + 1);
      if (key === 'module') key = /^\d+$/.test(value) ? 'module.id' : 'module.name';
      const typed = ['module.id', 'stepDeadlineMinutes', 'runtimeId'].includes(key) && /^\d{1,15}$/.test(value) ? Number(value) : value;
      const [head, tail] = key.split('.') as [string, string | undefined];
      if (tail === undefined) raw[head] = head === 'ssl' ? { mode: typed } : typed;
      else ((raw[head] ??= {}) as Record<string, unknown>)[tail] = typed;
    }
    return parseProvisionSitePatch(raw);
  }

  const bases = [
    wordpressRun,
    run({ serviceName: 'demo-agency.ovh', domain: 'plain.example.com' }),
    run({ serviceName: 'demo-agency.ovh', domain: 'db.example.com', database: { type: 'postgresql' } }),
    run({ serviceName: 'demo-agency.ovh', domain: 'id.example.com', database: {}, module: { id: 42, adminName: 'root' }, stepDeadlineMinutes: 5 }),
  ];

  it('parses every --set list as the zod patch schema would', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const custom = list.some((p) => p === 'ssl.mode=custom');
        if (!custom) expect(parseSetArguments(list)).toEqual(throughZod(list));
      }),
      { numRuns: 500 },
    );
  });

  it('corrects a run’s input as the full input parser would', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), pairs, (base, list) => {
        const patch = parseSetArguments(list);
        if (patch.ok) expect(correctProvisionSiteInput(base, patch.value)).toEqual(applyProvisionSitePatch(base, patch.value));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a restore’s dump=… as the dump selector schema does', () => {
    const texts = ['123', '0', '99999999999999999999', 'latest', 'daily.1', 'weekly.1', '2025-03-01T02:00:00Z', '2025-02-30T02:00:00Z', '2025-03-01', 'soon', ' 7 '];
    for (const text of texts) {
      const zod = parseWith(dumpSelectorSchema, text.trim());
      const plain = parseDumpSelectorText(text.trim());
      expect(plain.ok ? { ok: true, value: plain.value } : { ok: false, issues: plain.messages }, text).toEqual(
        zod.ok ? zod : { ok: false, issues: zod.issues.map((issue) => issue.message) },
      );
    }
    expect(parseRestoreCorrections(['dump=0', 'safetyDump=false'])).toEqual({ ok: false, issues: [{ field: 'dump', message: 'must be a positive number' }] });
  });
});
