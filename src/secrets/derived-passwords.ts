// Passwords ovhflow creates for OVH resources are *derived*, not stored: HKDF(secret key, run's business key +
// resource). Every activity attempt — including a retry after an answer that was lost on the wire — computes the same
// password, so the database and the module wired to it always agree, and the password never has to travel through
// Temporal history to get from one step to the next. Only holders of the secret key can compute them.
import { hkdfSync } from 'node:crypto';
import type { Keyring } from '../codec/keyring.js';
import { registerSecretValue } from '../logging/secret-values.js';
import { PASSWORD_RULES, passwordIssues, type PasswordKind } from '../shared/inputs/passwords.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const LENGTH = 20;

export interface PasswordDeriver {
  /** The key new runs derive with; a run records it so a later key rotation does not change its passwords. */
  readonly activeKeyId: string;
  derive(kind: PasswordKind, context: string, keyId: string): string;
}

export function createPasswordDeriver(keyring: Keyring): PasswordDeriver {
  return {
    activeKeyId: keyring.active.id,
    derive(kind, context, keyId) {
      const secretKey = keyring.byId.get(keyId)?.key;
      if (!secretKey) throw new Error(`secret key "${keyId}" is not configured on this worker: keep it in OVHFLOW_ENCRYPTION_KEY until its runs end`);
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
        if (passwordIssues(kind, password).length === 0) {
          // This process now knows the password: it must never reach a log line, whatever field it ends up in.
          registerSecretValue(password);
          return password;
        }
      }
    },
  };
}
