// Password rules per kind of OVH account — the pure check, sandbox-safe, so a workflow's update validator can reject a
// bad password the same way the CLI does. Generation (which needs node:crypto) lives in src/secrets/passwords.ts.
//
// Where the rules come from:
// - database: OVH's guide "Changing the password for a Web Hosting plan's database" asks for 8–30 characters, at
//   least one capital, one lower-case letter and one number, "only numbers and letters"; the current Control Panel
//   asks for at least 9. We take the stricter of both for the minimum (9).
// - ftp: the Control Panel's FTP/SSH password policy has the same shape (9–30, upper, lower, digit).
// - moduleAdmin: the schema's `adminPassword` says "at least 8 characters"; we keep the same upper bound and
//   character classes so one rule fits every CMS installer.
// Characters: letters, digits and a small set of specials that mean nothing to a shell word inside quotes, a SQL or
// PHP string literal, a URL's userinfo or an XML/JSON document: no quotes, backslash, `$`, `&`, `;`, `|`, `<`,
// `>`, `(`, `)`, `/`, backtick, `~`, `^` or space. Generated passwords use letters and digits only, which every one of
// OVH's documented policies accepts.

export type PasswordKind = 'database' | 'moduleAdmin' | 'ftp';
export const PASSWORD_KINDS = ['database', 'moduleAdmin', 'ftp'] as const satisfies readonly PasswordKind[];

/** The specials accepted in a user-supplied password (see above for why these and no others). */
export const PASSWORD_SPECIALS = '!#%*+,-.:=?@_';

export interface PasswordRule {
  minLength: number;
  maxLength: number;
}

export const PASSWORD_RULES: Readonly<Record<PasswordKind, PasswordRule>> = {
  database: { minLength: 9, maxLength: 30 },
  ftp: { minLength: 9, maxLength: 30 },
  moduleAdmin: { minLength: 8, maxLength: 30 },
};

const ALLOWED = /^[A-Za-z0-9!#%*+,\-.:=?@_]*$/;

/**
 * What is wrong with a password for this kind of account, as messages that never contain the password itself.
 * Empty when it is acceptable.
 */
export function passwordIssues(kind: PasswordKind, password: unknown): string[] {
  const rule = PASSWORD_RULES[kind];
  if (typeof password !== 'string') return ['must be a text value'];
  const issues: string[] = [];
  if (password.length < rule.minLength || password.length > rule.maxLength) {
    issues.push(
      `must be ${rule.minLength} to ${rule.maxLength} characters long (it is ${Math.min(password.length, 99_999)})`,
    );
  }
  if (!ALLOWED.test(password)) {
    issues.push(`may only contain letters, digits and these characters: ${PASSWORD_SPECIALS}`);
  }
  const missing = [
    /[A-Z]/.test(password) ? undefined : 'one uppercase letter',
    /[a-z]/.test(password) ? undefined : 'one lowercase letter',
    /[0-9]/.test(password) ? undefined : 'one digit',
  ].filter((item): item is string => item !== undefined);
  if (missing.length > 0) {
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
    issues.push(`must contain at least ${list}`);
  }
  return issues;
}

export function isValidPassword(kind: PasswordKind, password: unknown): boolean {
  return passwordIssues(kind, password).length === 0;
}
