// The input rules OVHcloud enforces beyond the schema's types, each answered with a 400 naming the parameter.
// Sources: OVHcloud's guides (database users "must be lowercase and start with your web hosting ID"; FTP and
// database passwords: 8 to 30 characters, letters and digits only, at least one capital, one lower-case letter and
// one digit — "Changing an FTP user password", OVHcloud docs, 2023).
import { domainToASCII } from 'node:url';
import { apiErrors } from '../http/ovh-errors.js';

const PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{8,30}$/;

export function checkPassword(value: string, field: string): void {
  if (!PASSWORD.test(value)) {
    throw apiErrors.badRequest(
      `[${field}] The password must be 8 to 30 characters long, made of letters and digits only, ` +
        'with at least one lowercase letter, one uppercase letter and one digit',
    );
  }
}

export const DATABASE_USER_MAX_LENGTH = 16;

/** A database user: lowercase letters and digits, starting with the hosting's primary login, at most 16 chars. */
export function checkDatabaseUser(user: string, primaryLogin: string): void {
  if (!/^[a-z0-9]+$/.test(user)) {
    throw apiErrors.badRequest(`[user] The database user must contain only lowercase letters and digits`);
  }
  if (!user.startsWith(primaryLogin) || user === primaryLogin) {
    throw apiErrors.badRequest(`[user] The database user must start with the hosting's primary login (${primaryLogin}) followed by a suffix`);
  }
  if (user.length > DATABASE_USER_MAX_LENGTH) {
    throw apiErrors.badRequest(`[user] The database user must be at most ${DATABASE_USER_MAX_LENGTH} characters long`);
  }
}

/** An extra FTP/SSH user: `<primaryLogin>-<suffix>`, lowercase letters and digits, at most 32 chars. */
export function checkFtpLogin(login: string, primaryLogin: string): void {
  const suffix = login.startsWith(`${primaryLogin}-`) ? login.slice(primaryLogin.length + 1) : '';
  if (!/^[a-z0-9]+$/.test(suffix) || login.length > 32) {
    throw apiErrors.badRequest(`[login] The login must be ${primaryLogin}-<suffix> (lowercase letters and digits, at most 32 characters)`);
  }
}

/** A directory relative to the hosting's home: `www`, `sites/blog`. Leading `./` and slashes are dropped. */
export function normalizeRelativePath(value: string, field: string): string {
  const path = value.trim().replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return '.';
  if (!/^[A-Za-z0-9._\-/]+$/.test(path) || path.split('/').some((segment) => segment === '..' || segment === '')) {
    throw apiErrors.badRequest(`[${field}] Invalid path: ${value}`);
  }
  return path;
}

/** A domain name as OVH stores it: lowercase ASCII (an internationalized name is converted to punycode). */
export function normalizeDomain(value: string, field: string): string {
  const ascii = domainToASCII(value.trim().toLowerCase().replace(/\.$/, ''));
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = ascii.split('.');
  if (ascii.length > 253 || labels.length < 2 || !labels.every((part) => label.test(part))) {
    throw apiErrors.badRequest(`[${field}] Invalid domain name: ${value}`);
  }
  return ascii;
}

/** `%` is the only wildcard of OVH's "like" filters; without one a filter is an exact, case-insensitive match. */
export function matchesLike(value: string | null, pattern: unknown): boolean {
  if (pattern === undefined) return true;
  if (value === null) return false;
  const source = (typeof pattern === 'string' ? pattern : JSON.stringify(pattern))
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}
