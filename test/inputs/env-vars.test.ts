// The pure parts of the env run kind: how `NAME[:TYPE]=VALUE` is read, what the parser refuses, and which variables a
// run must write given what OVH has (the plan ensureEnvVars follows).
import { describe, expect, it } from 'vitest';
import { envVarChanges, matchesTarget } from '../../src/shared/env-vars.js';
import { formatIssues, parseSetEnvVarsInput, rawSettingOf } from '../../src/shared/inputs/index.js';

describe('env inputs', () => {
  it('reads NAME=VALUE and NAME:TYPE=VALUE, the value being everything after the first =', () => {
    expect(rawSettingOf('APP_ENV=production')).toEqual({ name: 'APP_ENV', value: 'production' });
    expect(rawSettingOf('DSN=mysql://u@h/db?x=1')).toEqual({ name: 'DSN', value: 'mysql://u@h/db?x=1' });
    expect(rawSettingOf('TOKEN:password=a=b:c', 'string')).toEqual({ name: 'TOKEN', type: 'password', value: 'a=b:c' });
    expect(rawSettingOf('N=1', 'integer')).toEqual({ name: 'N', type: 'integer', value: '1' });
    expect(rawSettingOf('NO_EQUALS')).toBeUndefined();
  });

  it('defaults the type to string, takes integers as JSON numbers, and refuses what OVH or a shell could not use without quoting a value', () => {
    const ok = parseSetEnvVarsInput({ serviceName: 'demo-shop.ovh', set: [{ name: 'A', value: 'x' }, { name: 'N', value: 42, type: 'integer' }], unset: ['OLD'] });
    expect(ok).toEqual({ ok: true, value: { serviceName: 'demo-shop.ovh', set: [{ name: 'A', type: 'string', value: 'x' }, { name: 'N', type: 'integer', value: '42' }], unset: ['OLD'] } });
    const bad = parseSetEnvVarsInput({
      serviceName: 'demo-shop.ovh',
      set: [
        { name: 'A-B', value: 'x' },
        { name: 'LINES', value: 'secret-one\nsecret-two' },
        { name: 'TOO_LONG_NAME_'.padEnd(65, 'X'), value: 'x' },
        { name: 'PW', value: 'short', type: 'password' },
      ],
    });
    expect(bad.ok).toBe(false);
    const text = bad.ok ? '' : formatIssues(bad.issues);
    expect(text).toContain('set[0].name: a variable name is letters, digits and _');
    expect(text).toContain('set[1].value: must be one line');
    expect(text).toContain('set[2].name: must be at most 64 characters long');
    expect(text).toContain('set[3].value: a password variable must be at least 8 characters long');
    expect(text).not.toMatch(/secret-one|short/);
  });
});

describe('what a run writes', () => {
  const now = [
    { name: 'SAME', type: 'string' as const, value: 'v', status: 'created' },
    { name: 'VALUE', type: 'string' as const, value: 'old', status: 'created' },
    { name: 'TYPE', type: 'string' as const, value: '12', status: 'created' },
    { name: 'GONE', type: 'integer' as const, value: '7', status: 'created' },
  ];

  it('creates what is missing, updates a value, replaces a type, deletes what is unset and present, and leaves the rest', () => {
    const changes = envVarChanges(
      now,
      [
        { name: 'SAME', type: 'string', value: 'v' },
        { name: 'VALUE', type: 'string', value: 'new' },
        { name: 'TYPE', type: 'integer', value: '12' },
        { name: 'NEW', type: 'password', value: 'a-secret-value' },
      ],
      ['GONE', 'NEVER_THERE'],
    );
    expect(changes).toEqual([
      { name: 'VALUE', action: 'update', before: { type: 'string', value: 'old' }, after: { type: 'string', value: 'new' } },
      { name: 'TYPE', action: 'replace', before: { type: 'string', value: '12' }, after: { type: 'integer', value: '12' } },
      { name: 'NEW', action: 'create', before: null, after: { type: 'password', value: 'a-secret-value' } },
      { name: 'GONE', action: 'delete', before: { type: 'integer', value: '7' }, after: null },
    ]);
  });

  it('a variable matches its target only with the same type and value; absent matches only absent', () => {
    expect(matchesTarget({ type: 'string', value: '12' }, { type: 'integer', value: '12' })).toBe(false);
    expect(matchesTarget({ type: 'integer', value: '12' }, { type: 'integer', value: '12' })).toBe(true);
    expect(matchesTarget(undefined, null)).toBe(true);
    expect(matchesTarget({ type: 'string', value: 'x' }, null)).toBe(false);
  });
});
