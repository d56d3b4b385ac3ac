// Property-based tests: random and adversarial values for every input. Whatever comes in, parsing returns ok or
// issues (never throws), what it accepts is in canonical form and safe, and what it says is printable and bounded.
import { posix } from 'node:path';
import fc from 'fast-check';
import punycodePackage from 'punycode/punycode.js';
import selfsigned from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertificateMaterial } from '../../src/inputs/certificate.js';
import { generatePassword } from '../../src/secrets/passwords.js';
import {
  type InputIssue,
  type ParseResult,
  formatIssues,
  isValidPassword,
  normalizeDomainName,
  normalizeFtpLogin,
  normalizeRelativePath,
  parseBackupDatabaseInput,
  parseCreateFtpUserInput,
  parseNightlyDumpsInput,
  parseProvisionSiteInput,
  parseProvisionSitePatch,
  parseRestoreDatabaseInput,
  parseSetArguments,
  punycodeDecode,
  punycodeEncode,
} from '../../src/shared/inputs/index.js';

/** PROPERTY_RUNS=20000 npx vitest run test/inputs/properties.test.ts for a deeper search than CI's default. */
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

/** A valid ASCII label: alphanumeric ends, hyphens inside but not "--" at positions 3–4. */
const asciiLabel = fc
  .tuple(alnum, fc.array(fc.oneof(alnum, fc.constant('-')), { maxLength: 40 }), alnum)
  .map(([first, middle, last]) => `${first}${middle.join('')}${last}`)
  .filter((label) => label.length <= 63 && label.slice(2, 4) !== '--');
const tld = fc.array(letter, { minLength: 2, maxLength: 10 }).map((chars) => chars.join(''));
const validDomain = fc
  .tuple(fc.array(asciiLabel, { minLength: 1, maxLength: 4 }), tld)
  .map(([labels, top]) => [...labels, top].join('.'))
  .filter((domain) => domain.length <= 253);

/** Letters of one script, as internationalized labels are written. */
const latinAccented = fc.constantFrom(...'àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿœß');
const cyrillic = fc.constantFrom(...'абвгдежзийклмнопрстуфхцчшщъыьэюя');
const unicodeLabel = fc.oneof(
  fc.array(fc.oneof(letter, latinAccented), { minLength: 1, maxLength: 20 }).map((c) => c.join('')),
  fc.array(cyrillic, { minLength: 1, maxLength: 20 }).map((c) => c.join('')),
);

/** Cyrillic letters that look like Latin ones. */
const confusable = fc.constantFrom('а', 'е', 'о', 'р', 'с', 'х', 'у');

const adversarialString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom(
    '',
    ' ',
    '.',
    '..',
    '/',
    '\\',
    '\u0000',
    '%2e%2e',
    '%252e',
    '\u202e',
    '\ufeff',
    '\ud800',
    '-----BEGIN PRIVATE KEY-----',
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.nat({ max: 2_000_000 }).map((n) => 'x'.repeat(n)),
);

const anyValue = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withDate: true,
    withBigInt: true,
    stringUnit: 'binary',
  }),
  adversarialString,
);

/** Objects with the real field names, filled with anything. */
function fieldsOf(keys: string[]) {
  return fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 })), fc.oneof(anyValue, adversarialString), {
    maxKeys: keys.length + 2,
  });
}

const provisionShaped = fc.record(
  {
    serviceName: fc.oneof(validDomain, adversarialString),
    domain: fc.oneof(validDomain, adversarialString, unicodeLabel.map((l) => `${l}.com`)),
    path: adversarialString,
    database: fc.oneof(fieldsOf(['type', 'capability', 'userSuffix', 'quota', 'version']), anyValue),
    module: fc.oneof(fieldsOf(['id', 'name', 'language', 'adminName']), anyValue),
    ssl: fc.oneof(fieldsOf(['mode', 'certificate', 'key', 'chain']), anyValue),
    stepDeadlineMinutes: anyValue,
  },
  { requiredKeys: [] },
);

// ---------------------------------------------------------------------------------------------------------------
// Invariants of every result

function expectWellFormed(result: ParseResult<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  expect(result.issues.length).toBeLessThanOrEqual(51);
  for (const issue of result.issues) expectPrintable(issue);
}

/** A message is safe to log: bounded, and no control characters (no log injection, no terminal escapes). */
function expectPrintable(issue: InputIssue): void {
  expect(typeof issue.field).toBe('string');
  expect(typeof issue.message).toBe('string');
  expect(issue.message.length).toBeGreaterThan(0);
  expect(issue.message.length).toBeLessThan(600);
  expect(`${issue.field}${issue.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  expect(issue.message).not.toMatch(/PRIVATE KEY-----/);
}

// ---------------------------------------------------------------------------------------------------------------

describe('every parser is total', () => {
  it('returns ok or printable issues for any value, and never throws', () => {
    const parsers = [
      parseProvisionSiteInput,
      parseBackupDatabaseInput,
      parseRestoreDatabaseInput,
      parseCreateFtpUserInput,
      parseNightlyDumpsInput,
      parseProvisionSitePatch,
    ];
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const parse of parsers) expectWellFormed(parse(value));
      }),
      RUNS,
    );
  });

  it('does the same for values shaped like a provisionSite input', () => {
    fc.assert(
      fc.property(provisionShaped, (value) => {
        const result = parseProvisionSiteInput(value);
        expectWellFormed(result);
        if (!result.ok) expect(formatIssues(result.issues).split('\n').length).toBe(result.issues.length);
      }),
      RUNS,
    );
  });

  it('does the same for the other inputs’ shapes', () => {
    fc.assert(
      fc.property(
        fieldsOf(['serviceName', 'databaseName', 'sendEmail', 'dump', 'safetyDump', 'confirmed', 'login', 'home', 'sshState', 'password', 'services', 'concurrency']),
        (value) => {
          expectWellFormed(parseBackupDatabaseInput(value));
          expectWellFormed(parseRestoreDatabaseInput(value));
          expectWellFormed(parseCreateFtpUserInput(value));
          expectWellFormed(parseNightlyDumpsInput(value));
        },
      ),
      RUNS,
    );
  });

  it('reads any --set arguments', () => {
    const pair = fc.oneof(
      adversarialString,
      fc
        .tuple(fc.constantFrom('path', 'database.capability', 'module', 'module.id', 'ssl.mode', 'domain', 'x'), adversarialString)
        .map(([key, value]) => `${key}=${value}`),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
        expectWellFormed(parseSetArguments(pairs));
      }),
      RUNS,
    );
  });

  it('accepts what it produced (normalized input is a fixed point)', () => {
    fc.assert(
      fc.property(provisionShaped, validDomain, (value, domain) => {
        const result = parseProvisionSiteInput({ ...value, domain, serviceName: 'demo-agency.ovh' });
        if (!result.ok) return;
        expect(parseProvisionSiteInput(result.value)).toEqual(result);
      }),
      RUNS,
    );
  });
});

describe('domain names, randomly', () => {
  it('accepts valid names in any case, with or without the trailing dot, as lowercase', () => {
    fc.assert(
      fc.property(validDomain, fc.boolean(), fc.boolean(), (domain, upper, trailingDot) => {
        const raw = `${upper ? domain.toUpperCase() : domain}${trailingDot ? '.' : ''}`;
        expect(normalizeDomainName(raw)).toEqual({ ok: true, value: domain });
      }),
      RUNS,
    );
  });

  it('only ever returns canonical ASCII names, and is idempotent', () => {
    const ldh = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
    fc.assert(
      fc.property(
        fc.oneof(
          validDomain,
          adversarialString,
          fc.domain(),
          unicodeLabel.map((l) => `${l}.example`),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((l) => `${l}.example`),
        ),
        (raw) => {
        const result = normalizeDomainName(raw);
        if (!result.ok) return;
        const labels = result.value.split('.');
        expect(labels.length).toBeGreaterThanOrEqual(2);
        for (const label of labels) expect(label).toMatch(ldh);
        expect(result.value.length).toBeLessThanOrEqual(253);
        expect(result.value).not.toMatch(/^\d+(\.\d+){3}$/);
        expect(normalizeDomainName(result.value)).toEqual(result);
        },
      ),
      RUNS,
    );
  });

  it('converts single-script internationalized labels to the Punycode the npm package produces', () => {
    fc.assert(
      fc.property(unicodeLabel, validDomain, (label, rest) => {
        const result = normalizeDomainName(`${label}.${rest}`);
        const expected = punycodePackage.toASCII(`${label.normalize('NFKC').toLowerCase()}.${rest}`);
        if (expected.split('.')[0]!.length > 63 || expected.length > 253) {
          expect(result.ok).toBe(false);
        } else {
          expect(result).toEqual({ ok: true, value: expected });
        }
      }),
      RUNS,
    );
  });

  it('refuses a Cyrillic look-alike slipped into a Latin label', () => {
    fc.assert(
      fc.property(fc.array(letter, { minLength: 1, maxLength: 15 }), confusable, fc.nat(), tld, (chars, fake, at, top) => {
        const label = [...chars];
        label.splice(at % (label.length + 1), 0, fake);
        const result = normalizeDomainName(`${label.join('')}.${top}`);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).toMatch(/homograph/);
      }),
      RUNS,
    );
  });

  it('refuses IP addresses, single labels, wildcards, underscores and edge hyphens', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4(),
          fc.ipV6(),
          asciiLabel.filter((l) => !l.includes('--')),
          validDomain.map((d) => `*.${d}`),
          fc.tuple(asciiLabel, validDomain).map(([l, d]) => `_${l}.${d}`),
          fc.tuple(asciiLabel, validDomain).map(([l, d]) => `${l}_x.${d}`),
          fc.tuple(asciiLabel, validDomain).map(([l, d]) => `-${l}.${d}`),
          fc.tuple(asciiLabel, validDomain).map(([l, d]) => `${l}-.${d}`),
          fc.tuple(asciiLabel, validDomain).map(([l, d]) => `${l}..${d}`),
        ),
        (raw) => {
          expect(normalizeDomainName(raw).ok).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('refuses labels over 63 characters and names over 253', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 300 }), validDomain, (n, domain) => {
        expect(normalizeDomainName(`${'a'.repeat(n)}.${domain}`).ok).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(asciiLabel, { minLength: 5, maxLength: 40 }), (labels) => {
        const name = `${labels.join('.')}.com`;
        const result = normalizeDomainName(name);
        if (name.length > 253) expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('the Punycode implementation', () => {
  it('encodes exactly like the npm package', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        let expected: string | undefined;
        try {
          expected = punycodePackage.encode(text);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) expect(() => punycodeEncode(text)).toThrow(RangeError);
        else expect(punycodeEncode(text)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes exactly like the npm package, and throws where it throws', () => {
    const encoded = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), maxLength: 30 }),
      fc.string({ unit: 'binary-ascii', maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 20 }).map((text) => punycodePackage.encode(text)),
    );
    fc.assert(
      fc.property(encoded, (text) => {
        let expected: string | undefined;
        try {
          expected = punycodePackage.decode(text);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) expect(() => punycodeDecode(text)).toThrow(RangeError);
        else expect(punycodeDecode(text)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('folders, randomly', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/);

  it('accepts relative folders and never returns one that leaves the home', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/')), adversarialString), (raw) => {
        const result = normalizeRelativePath(raw);
        if (!result.ok) return;
        expect(result.value).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/);
        expect(result.value.length).toBeLessThanOrEqual(255);
        expect(result.value.split('/')).not.toContain('..');
        expect(decodeURIComponent(result.value)).toBe(result.value);
        expect(posix.resolve('/home/demoage', result.value).startsWith('/home/demoage/')).toBe(true);
        expect(normalizeRelativePath(result.value)).toEqual(result);
      }),
      RUNS,
    );
  });

  it('refuses "..", absolute paths, encoded traversal, backslashes, control characters and long paths', () => {
    const encodedDots = fc
      .tuple(fc.constantFrom('%2e', '%2E'), fc.constantFrom('%2e', '%2E', '.'), fc.constantFrom('%2f', '%2F', '/', '%5c'))
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 0, maxLength: 4 }),
        fc.oneof(
          fc.constant('..'),
          segment.map((s) => `/${s}`),
          encodedDots,
          segment.map((s) => `${s}\\..`),
          fc.integer({ min: 0, max: 31 }).map((c) => `a${String.fromCharCode(c)}b`),
          fc.constant('a\u007fb'),
          fc.integer({ min: 256, max: 5000 }).map((n) => 'a'.repeat(n)),
        ),
        fc.nat(),
        (segments, bad, at) => {
          const parts = [...segments];
          parts.splice(at % (parts.length + 1), 0, bad);
          const raw = bad.startsWith('/') && parts[0] !== bad ? `${bad}/${segments.join('/')}` : parts.join('/');
          expect(normalizeRelativePath(raw).ok).toBe(false);
        },
      ),
      RUNS,
    );
  });
});

describe('logins and passwords, randomly', () => {
  it('only accepts lowercase primary-login-hyphen-name logins', () => {
    fc.assert(
      fc.property(adversarialString, (raw) => {
        const result = normalizeFtpLogin(raw);
        if (result.ok) {
          expect(result.value).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
          expect(result.value.length).toBeLessThanOrEqual(32);
        }
      }),
      RUNS,
    );
  });

  it('checks any password without throwing, and every generated one passes', () => {
    fc.assert(
      fc.property(anyValue, fc.constantFrom('database', 'ftp', 'moduleAdmin' as const), (value, kind) => {
        expect(typeof isValidPassword(kind, value)).toBe('boolean');
        expect(isValidPassword(kind, generatePassword(kind))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('certificate material, randomly', () => {
  let pool: { cert: string; private: string }[];
  beforeAll(async () => {
    pool = await Promise.all(
      ['shop.example.com', 'shop.example.com', 'other.example.net'].map((cn) =>
        selfsigned.generate([{ name: 'commonName', value: cn }], { algorithm: 'sha256', keyType: 'ec' }),
      ),
    );
  });

  const keyBodyLines = () =>
    pool.flatMap((p) => p.private.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')));

  it('never throws and never quotes key material, however the PEM is mangled', () => {
    const mangle = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('garbage' as const), text: adversarialString }),
      fc.record({ kind: fc.constant('intact' as const) }),
    );
    const apply = (text: string, m: { kind: string; at?: number; ch?: string; text?: string }) => {
      if (m.kind === 'truncate') return text.slice(0, (m.at ?? 0) % (text.length + 1));
      if (m.kind === 'flip') {
        const i = (m.at ?? 0) % text.length;
        return `${text.slice(0, i)}${m.ch ?? ''}${text.slice(i + 1)}`;
      }
      if (m.kind === 'garbage') return m.text ?? '';
      return text;
    };
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.nat({ max: 2 }), mangle, mangle, (c, k, mc, mk) => {
        const cert = pool[c]!;
        const key = pool[k]!;
        const issues = checkCertificateMaterial(
          { certificate: apply(cert.cert, mc), key: apply(key.private, mk) },
          { domain: 'shop.example.com' },
        );
        const text = issues.map((i) => i.message).join('\n');
        for (const line of keyBodyLines()) expect(text).not.toContain(line.slice(0, 16));
        for (const issue of issues) expectPrintable(issue);
        if (c !== k && mc.kind === 'intact' && mk.kind === 'intact') {
          expect(issues).toContainEqual({ field: 'ssl.key', message: expect.stringMatching(/does not match/) });
        }
      }),
      { numRuns: 300 },
    );
  });
});
