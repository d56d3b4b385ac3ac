import { describe, expect, it } from 'vitest';
import {
  HOME_ROOT,
  databaseUser,
  databaseUserIssue,
  ftpLoginIssue,
  normalizeAdminName,
  normalizeDatabaseName,
  normalizeDatabaseUserSuffix,
  normalizeFtpLogin,
  normalizeRelativePath,
} from '../../src/shared/inputs/index.js';

describe('folders inside the hosting home', () => {
  it.each([
    ['www', 'www'],
    ['sites/shop', 'sites/shop'],
    ['./www/', 'www'],
    ['sites//shop/', 'sites/shop'],
    ['shop.example.com', 'shop.example.com'],
    ['a_b-c.d', 'a_b-c.d'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(normalizeRelativePath(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['parent', '..', /must not contain "\.\."/],
    ['parent inside', 'www/../../etc', /must not contain "\.\."/],
    ['absolute', '/var/www', /relative to the hosting home.*"\/"/],
    ['home shortcut', '~/www', /relative to the hosting home/],
    ['drive letter', 'C:/www', /relative to the hosting home/],
    ['encoded dots', '%2e%2e/etc', /URL-encoded sequence "%2e"/],
    ['encoded slash', 'www%2F..', /URL-encoded/],
    ['double-encoded', '%252e%252e', /URL-encoded/],
    ['backslash', 'www\\..\\etc', /separate folders with "\/"/],
    ['NUL', 'www\u0000', /U\+0000/],
    ['newline', 'www\nrm', /U\+000A/],
    ['space', 'my site', /contains a space/],
    ['quote', "it's", /contains "'"/],
    ['non-ASCII', 'café', /contains "\\u00e9"/],
    ['hidden', 'www/.git', /hidden folder/],
    ['dash', '-rf', /must not start with "-"/],
    ['too long', 'a'.repeat(256), /256 characters long; at most 255/],
    ['far too long', 'a/'.repeat(10_000), /at most 255/],
    ['the home itself', '.', /not the home itself/],
    ['empty', '', /not the home itself/],
  ])('refuses %s', (_name, raw, message) => {
    const result = normalizeRelativePath(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('uses the exact message the CLI documents for ".."', () => {
    expect(normalizeRelativePath('../x')).toEqual({
      ok: false,
      message: 'must be relative to the hosting home and must not contain ".."',
    });
  });

  it('allows the home itself where a rule says so (an FTP user with access to everything)', () => {
    expect(normalizeRelativePath('.', { allowRoot: true })).toEqual({ ok: true, value: HOME_ROOT });
    expect(normalizeRelativePath('./', { allowRoot: true })).toEqual({ ok: true, value: HOME_ROOT });
    expect(normalizeRelativePath('..', { allowRoot: true }).ok).toBe(false);
  });
});

describe('FTP logins', () => {
  it('accepts the primary login, a hyphen and a name', () => {
    expect(normalizeFtpLogin('demoage-dev')).toEqual({ ok: true, value: 'demoage-dev' });
    expect(normalizeFtpLogin('demoage-dev-2')).toEqual({ ok: true, value: 'demoage-dev-2' });
  });

  it.each([
    ['uppercase', 'Demoage-Dev', /must be lowercase \(did you mean "demoage-dev"\?\)/],
    ['no hyphen', 'demoage', /primary login, a hyphen and a name/],
    ['trailing hyphen', 'demoage-', /primary login, a hyphen and a name/],
    ['underscore', 'demoage_dev', /lowercase letters, digits and "-"/],
    ['space', 'demoage dev', /lowercase letters, digits and "-"/],
    ['empty', '', /must not be empty/],
    ['too long', `demoage-${'x'.repeat(30)}`, /at most 32/],
  ])('refuses %s', (_name, raw, message) => {
    const result = normalizeFtpLogin(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('checks, once the service is known, that the login belongs to its primary login', () => {
    expect(ftpLoginIssue('demoage-dev', 'demoage')).toBeUndefined();
    expect(ftpLoginIssue('other-dev', 'demoage')).toMatch(/must start with this hosting's primary login.*"demoage-dev"/);
    expect(ftpLoginIssue('demoagex-dev', 'demoage')).toBeDefined();
  });
});

describe('database user suffixes and names', () => {
  it('accepts 1 to 6 lowercase letters and digits', () => {
    expect(normalizeDatabaseUserSuffix('wp')).toEqual({ ok: true, value: 'wp' });
    expect(normalizeDatabaseUserSuffix('shop01')).toEqual({ ok: true, value: 'shop01' });
  });

  it.each([
    ['empty', '', /1 to 6 characters/],
    ['too long', 'wordpress', /1 to 6 characters/],
    ['uppercase', 'WP', /must be lowercase \(did you mean "wp"\?\)/],
    ['underscore', 'wp_1', /lowercase letters and digits/],
  ])('refuses %s', (_name, raw, message) => {
    const result = normalizeDatabaseUserSuffix(raw);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('builds the user from the primary login and checks its length once that login is known', () => {
    expect(databaseUser('demoage', 'wp')).toBe('demoagewp');
    expect(databaseUserIssue('demoage', 'wp')).toBeUndefined();
    expect(databaseUserIssue('averylonglogin', 'shop01')).toMatch(/20 characters long; at most 16.*at most 2 character/);
  });

  it('accepts database names as OVH lists them and refuses anything that could bend a URL', () => {
    expect(normalizeDatabaseName('demoagewp')).toEqual({ ok: true, value: 'demoagewp' });
    expect(normalizeDatabaseName('mydb.mysql.db')).toEqual({ ok: true, value: 'mydb.mysql.db' });
    for (const bad of ['', '../x', 'a/b', 'a?b', 'a%2f', '.hidden', 'x'.repeat(65), 'a..b']) {
      expect(normalizeDatabaseName(bad).ok, bad).toBe(false);
    }
  });
});

describe('module administrator names', () => {
  it('accepts a plain login or an email', () => {
    expect(normalizeAdminName('admin')).toEqual({ ok: true, value: 'admin' });
    expect(normalizeAdminName('web.master+shop@example.org')).toEqual({ ok: true, value: 'web.master+shop@example.org' });
  });

  it('refuses spaces, quotes, markup and very long names', () => {
    for (const bad of ['', 'shop admin', "o'neil", '<b>admin</b>', '-admin', 'a'.repeat(65)]) {
      expect(normalizeAdminName(bad).ok, bad).toBe(false);
    }
  });
});
