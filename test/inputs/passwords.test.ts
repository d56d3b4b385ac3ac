import { describe, expect, it } from 'vitest';
import { PASSWORD_KINDS, PASSWORD_RULES, generatePassword, isValidPassword, passwordIssues } from '../../src/secrets/passwords.js';

describe('generated passwords', () => {
  it.each(PASSWORD_KINDS)('meet OVH’s rules for %s accounts, every time', (kind) => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const password = generatePassword(kind);
      expect(isValidPassword(kind, password), password).toBe(true);
      expect(password).toMatch(/^[A-Za-z0-9]+$/);
      expect(password.length).toBeGreaterThanOrEqual(PASSWORD_RULES[kind].minLength);
      expect(password.length).toBeLessThanOrEqual(PASSWORD_RULES[kind].maxLength);
      seen.add(password);
    }
    expect(seen.size).toBe(500);
  });

  it('uses the whole alphabet (no character class is starved)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) for (const ch of generatePassword('database')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
  });
});

describe('user-supplied passwords', () => {
  it('accepts letters, digits and the safe specials', () => {
    expect(isValidPassword('ftp', 'Str0ngEnough')).toBe(true);
    expect(isValidPassword('ftp', 'A1b-_.,:!?@%+=*#x')).toBe(true);
    expect(isValidPassword('moduleAdmin', 'Abcdef12')).toBe(true);
  });

  it.each([
    ['too short', 'ftp', 'Ab1defgh', /9 to 30 characters long \(it is 8\)/],
    ['too long', 'database', `Ab1${'x'.repeat(28)}`, /9 to 30 characters long \(it is 31\)/],
    ['no uppercase', 'ftp', 'abcdefgh1', /one uppercase letter/],
    ['no digit', 'ftp', 'Abcdefghij', /one digit/],
    ['only digits', 'ftp', '1234567890', /one uppercase letter and one lowercase letter/],
    ['a quote', 'database', "Abcdefg1'x", /may only contain letters, digits and these characters/],
    ['a space', 'ftp', 'Abcd efg12', /may only contain/],
    ['a dollar', 'database', 'Abcdefg1$x', /may only contain/],
    ['non-ASCII', 'ftp', 'Abcdéfgh1', /may only contain/],
    ['not text', 'ftp', 12345678901, /must be a text value/],
  ])('refuses %s', (_name, kind, password, message) => {
    const issues = passwordIssues(kind as 'ftp', password);
    expect(issues.join('\n')).toMatch(message);
    expect(isValidPassword(kind as 'ftp', password)).toBe(false);
    if (typeof password === 'string') for (const issue of issues) expect(issue).not.toContain(password);
  });
});
