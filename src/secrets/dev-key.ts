import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { singleKeyring, type Keyring } from '../codec/keyring.js';

/**
 * The embedded dev mode's secret key: generated once into the data folder (mode 0600, git-ignored) so runs started
 * before a restart can still be decrypted after it. Outside dev mode the key must be configured.
 */
export function loadOrCreateDevKey(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

/** Where `ovhflow dev` keeps its key, relative to the working directory. */
export const DEV_KEY_FILE = resolve('.data', 'secret.key');

/** The dev stack's keyring, if `ovhflow dev` ever ran here: lets the CLI read what the dev worker encrypted. */
export function devKeyringIfPresent(file = DEV_KEY_FILE): Keyring | null {
  return existsSync(file) ? singleKeyring(loadOrCreateDevKey(file)) : null;
}
