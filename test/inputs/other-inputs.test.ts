import { describe, expect, it } from 'vitest';
import {
  formatIssues,
  normalizeDateTime,
  parseBackupDatabaseInput,
  parseCreateFtpUserInput,
  parseNightlyDumpsInput,
  parseRestoreDatabaseInput,
} from '../../src/shared/inputs/index.js';

const service = 'demo-agency.ovh';

describe('backupDatabase input', () => {
  it('defaults to no email from OVH', () => {
    expect(parseBackupDatabaseInput({ serviceName: service, databaseName: 'demoagewp' })).toEqual({
      ok: true,
      value: { serviceName: service, databaseName: 'demoagewp', sendEmail: false },
    });
  });

  it('names each bad field', () => {
    const result = parseBackupDatabaseInput({ serviceName: 'x', databaseName: '../db', sendEmail: 'yes' });
    expect(!result.ok && result.issues.map((i) => i.field)).toEqual(['serviceName', 'databaseName', 'sendEmail']);
  });
});

describe('restoreDatabase input', () => {
  const restore = (dump: unknown, extra: object = {}) =>
    parseRestoreDatabaseInput({ serviceName: service, databaseName: 'demoagewp', dump, ...extra });

  it('takes a safety dump and waits for confirmation unless told otherwise', () => {
    expect(restore({ id: 42 })).toEqual({
      ok: true,
      value: { serviceName: service, databaseName: 'demoagewp', dump: { id: 42 }, safetyDump: true, confirmed: false },
    });
    expect(restore({ latest: true }, { safetyDump: false, confirmed: true })).toMatchObject({
      ok: true,
      value: { dump: { latest: true }, safetyDump: false, confirmed: true },
    });
  });

  it('selects a dump by id, latest, latest before a time, or OVH’s own backups', () => {
    expect(restore({ latestBefore: '2025-03-01T03:00:00+01:00' })).toMatchObject({
      ok: true,
      value: { dump: { latestBefore: '2025-03-01T02:00:00.000Z' } },
    });
    expect(restore({ ovhBackup: 'daily.1' })).toMatchObject({ ok: true, value: { dump: { ovhBackup: 'daily.1' } } });
    expect(restore({ ovhBackup: 'weekly.1' })).toMatchObject({ ok: true, value: { dump: { ovhBackup: 'weekly.1' } } });
  });

  it('accepts the CLI’s shorthands: an id, "latest", a backup date, a time', () => {
    expect(restore(42)).toMatchObject({ ok: true, value: { dump: { id: 42 } } });
    expect(restore('42')).toMatchObject({ ok: true, value: { dump: { id: 42 } } });
    expect(restore('latest')).toMatchObject({ ok: true, value: { dump: { latest: true } } });
    expect(restore('daily.1')).toMatchObject({ ok: true, value: { dump: { ovhBackup: 'daily.1' } } });
    expect(restore('2025-03-01T02:00:00Z')).toMatchObject({ ok: true, value: { dump: { latestBefore: '2025-03-01T02:00:00.000Z' } } });
  });

  it.each([
    ['no selector', {}, 'dump', /say which dump/],
    ['two selectors', { id: 1, latest: true }, 'dump', /exactly one of "id", "latest"/],
    ['now is not a backup', { ovhBackup: 'now' }, 'dump.ovhBackup', /use "daily.1" or "weekly.1"/],
    ['latest false', { latest: false }, 'dump.latest', /must be true/],
    ['time without zone', { latestBefore: '2025-03-01T02:00:00' }, 'dump.latestBefore', /with a time zone/],
    ['not a date', { latestBefore: 'yesterday' }, 'dump.latestBefore', /ISO 8601/],
    ['impossible date', { latestBefore: '2025-02-30T00:00:00Z' }, 'dump.latestBefore', /not a real date/],
    ['id zero', { id: 0 }, 'dump.id', /positive/],
    ['unknown selector', { newest: true }, 'dump.newest', /unknown field/],
    ['missing', undefined, 'dump', /is required/],
  ])('refuses %s', (_name, dump, field, message) => {
    const result = restore(dump);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('normalizes any zone to UTC and keeps fractions', () => {
    expect(normalizeDateTime('2025-12-31T23:30:00.250-01:00')).toEqual({ ok: true, value: '2026-01-01T00:30:00.250Z' });
  });
});

describe('createFtpUser input', () => {
  it('defaults to no SSH and a generated password', () => {
    expect(parseCreateFtpUserInput({ serviceName: service, login: 'demoage-dev', home: 'www' })).toEqual({
      ok: true,
      value: { serviceName: service, login: 'demoage-dev', home: 'www', sshState: 'none' },
    });
  });

  it('accepts the whole home, an SSH state from the schema, and a compliant password', () => {
    expect(
      parseCreateFtpUserInput({ serviceName: service, login: 'demoage-dev', home: '.', sshState: 'sftponly', password: 'Str0ngEnough' }),
    ).toMatchObject({ ok: true, value: { home: '.', sshState: 'sftponly', password: 'Str0ngEnough' } });
  });

  it('refuses a weak password without ever showing it', () => {
    const password = 'weakpass';
    const result = parseCreateFtpUserInput({ serviceName: service, login: 'demoage-dev', home: 'www', password });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.every((i) => i.field === 'password')).toBe(true);
    expect(formatIssues(result.issues)).not.toContain(password);
    expect(formatIssues(result.issues)).toMatch(/9 to 30 characters.*\n.*one uppercase letter and one digit/);
  });

  it('names the login, home and SSH state problems', () => {
    const result = parseCreateFtpUserInput({ serviceName: service, login: 'Dev', home: '/home/x', sshState: 'yes' });
    expect(!result.ok && result.issues.map((i) => i.field)).toEqual(['login', 'home', 'sshState']);
  });
});

describe('nightlyDumps input', () => {
  it('means every service, four at a time, when empty', () => {
    expect(parseNightlyDumpsInput(undefined)).toEqual({ ok: true, value: { services: [], concurrency: 4 } });
    expect(parseNightlyDumpsInput({})).toEqual({ ok: true, value: { services: [], concurrency: 4 } });
  });

  it('normalizes and de-duplicates the services', () => {
    expect(parseNightlyDumpsInput({ services: ['Demo-Agency.ovh', 'demo-agency.ovh', 'other.ovh'], concurrency: 20 })).toEqual({
      ok: true,
      value: { services: ['demo-agency.ovh', 'other.ovh'], concurrency: 20 },
    });
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 21 }, 'concurrency'],
    [{ concurrency: 2.5 }, 'concurrency'],
    [{ services: 'demo-agency.ovh' }, 'services'],
    [{ services: ['ok.ovh', 'bad'] }, 'services[1]'],
    [{ services: Array.from({ length: 1001 }, (_, i) => `s${i}.ovh`) }, 'services'],
  ])('refuses %j naming %s', (input, field) => {
    const result = parseNightlyDumpsInput(input);
    expect(!result.ok && result.issues.map((i) => i.field)).toEqual([field]);
  });
});
