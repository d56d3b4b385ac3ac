// The secret keys: one active key (encrypts new payloads, derives new passwords) and older ones still accepted
// (decrypt payloads and re-derive passwords of runs started before a rotation). Every key has an id, written into
// each encrypted payload and carried by each run, so a run always finds the key it started with.
import { createHash } from 'node:crypto';

export interface SecretKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  active: SecretKey;
  byId: ReadonlyMap<string, SecretKey>;
}

export const MIN_KEY_BYTES = 32;
/**
 * 32 random bytes have about 31 different values; a key with fewer than this many is a pattern or a placeholder
 * (a repeated character, a word typed in and base64-encoded), not something `openssl rand` made.
 */
export const MIN_DISTINCT_KEY_BYTES = 16;

/** A key's default id: a short fingerprint, so ids never reveal the key and are stable across restarts. */
export function fingerprint(key: Buffer): string {
  return createHash('sha256').update('ovhflow/key-id/v1').update(key).digest('hex').slice(0, 12);
}

/**
 * Parses `[id:]base64[,[id:]base64...]` — the first key is the active one. Throws a message naming the problem
 * (never the key).
 */
export function parseKeyring(text: string): Keyring {
  const keys: SecretKey[] = [];
  for (const [index, raw] of text.split(/[\s,]+/).filter(Boolean).entries()) {
    const match = /^(?:([A-Za-z0-9_.-]{1,64}):)?([A-Za-z0-9+/=_-]+)$/.exec(raw);
    if (!match) throw new Error(`key ${index + 1}: expected [id:]base64`);
    const key = Buffer.from(match[2] as string, 'base64');
    if (key.length < MIN_KEY_BYTES) throw new Error(`key ${index + 1}: must be at least ${MIN_KEY_BYTES} bytes once base64-decoded (it is ${key.length}); make one with \`openssl rand -base64 32\``);
    if (new Set(key).size < MIN_DISTINCT_KEY_BYTES) {
      throw new Error(`key ${index + 1}: is not random (a repeated pattern or a placeholder); make one with \`openssl rand -base64 32\``);
    }
    const id = match[1] ?? fingerprint(key);
    if (keys.some((k) => k.id === id)) throw new Error(`key ${index + 1}: duplicate key id "${id}"`);
    keys.push({ id, key });
  }
  if (keys.length === 0) throw new Error('no key given');
  return keyringOf(keys);
}

export function keyringOf(keys: SecretKey[]): Keyring {
  const [active] = keys;
  if (!active) throw new Error('a keyring needs at least one key');
  return { active, byId: new Map(keys.map((k) => [k.id, k])) };
}

export function singleKeyring(key: Buffer): Keyring {
  return keyringOf([{ id: fingerprint(key), key }]);
}
