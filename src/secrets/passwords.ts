// Passwords the runs generate for the accounts they create (database user, CMS administrator, FTP user). The rules
// per kind, and why, are in src/shared/inputs/passwords.ts; the check is there too so workflows can use it.
import { randomInt } from 'node:crypto';
import { registerSecretValue } from '../logging/secret-values.js';
import { PASSWORD_RULES, type PasswordKind, isValidPassword } from '../shared/inputs/passwords.js';

export {
  PASSWORD_KINDS,
  PASSWORD_RULES,
  PASSWORD_SPECIALS,
  type PasswordKind,
  isValidPassword,
  passwordIssues,
} from '../shared/inputs/passwords.js';

/**
 * Letters and digits only: every password policy OVH documents for hosting accounts accepts them (the database guide
 * allows nothing else), and they survive any config file, URL or shell they are pasted into. At 24 characters that is
 * about 142 bits of entropy.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const LENGTH: Record<PasswordKind, number> = { database: 24, ftp: 24, moduleAdmin: 24 };

/**
 * A fresh random password for this kind of account, from the OS's CSPRNG (`randomInt` is unbiased). Candidates that
 * miss a required character class are drawn again rather than patched, so every valid password stays equally likely.
 */
export function generatePassword(kind: PasswordKind): string {
  const length = Math.min(LENGTH[kind], PASSWORD_RULES[kind].maxLength);
  for (;;) {
    let password = '';
    for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
    if (isValidPassword(kind, password)) {
      registerSecretValue(password);
      return password;
    }
  }
}
