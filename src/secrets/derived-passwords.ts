// Passwords ovhflow creates for OVH resources are *derived*, not stored: HKDF(secret key, run's business key +
// resource). Every activity attempt — including a retry after an answer that was lost on the wire — computes the same
// password, so the database and the module wired to it always agree, and the password never has to travel through
// Temporal history to get from one step to the next. Only holders of the secret key can compute them.
import { hkdfSync } from 'node:crypto';
import { PASSWORD_RULES, passwordIssues, type PasswordKind } from '../shared/inputs/passwords.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const LENGTH = 20;

export interface PasswordDeriver {
  derive(kind: PasswordKind, context: string): string;
}

export function createPasswordDeriver(secretKey: Buffer): PasswordDeriver {
  if (secretKey.length < 32) throw new Error('the password derivation key must be at least 32 bytes');
  return {
    derive(kind, context) {
      for (let round = 0; ; round += 1) {
        const bytes = Buffer.from(hkdfSync('sha256', secretKey, 'ovhflow/passwords/v1', `${kind}|${context}|${round}`, 64));
        // Rejection sampling keeps every character equally likely.
        const limit = 256 - (256 % ALPHABET.length);
        let password = '';
        for (const byte of bytes) {
          if (byte < limit) password += ALPHABET[byte % ALPHABET.length];
          if (password.length === Math.min(LENGTH, PASSWORD_RULES[kind].maxLength)) break;
        }
        // A derived password that misses a character class is re-derived with the next round number.
        if (passwordIssues(kind, password).length === 0) return password;
      }
    },
  };
}
