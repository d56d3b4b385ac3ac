// The API's bearer token: how a presented token is compared with the configured one, and what a usable token is.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config.js';

/** Long enough that guessing is hopeless; `openssl rand -base64 32` gives 44 characters. */
export const MIN_API_TOKEN_LENGTH = 32;

/**
 * A comparison that takes the same time whatever the presented token: both sides are hashed first, so the compared
 * buffers always have the same length and neither the token's length nor a matching prefix leaks through timing.
 */
export function tokenMatcher(expected: string): (presented: string) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), expectedDigest);
}

function digest(text: string): Buffer {
  return createHash('sha256').update('ovhflow/api-token/v1').update(text, 'utf8').digest();
}

/**
 * A random token of 32 characters or more has many different characters (even hex: 8 or fewer happens about once in
 * a million); fewer means a pattern or a placeholder ("xxxx...", "changemechangeme...") that a guesser tries first.
 */
export const MIN_DISTINCT_API_TOKEN_CHARACTERS = 8;

/**
 * Why a configured token cannot be used, or undefined. Dev mode accepts any non-empty token. Messages never quote
 * the token.
 */
export function apiTokenProblem(token: string | null, options: { devMode: boolean }): string | undefined {
  if (token === null || token.length === 0) {
    return 'OVHFLOW_API_TOKEN: required to serve the HTTP API (make one with `openssl rand -base64 32`)';
  }
  if (/\s/.test(token)) return 'OVHFLOW_API_TOKEN: must not contain spaces or line breaks';
  if (options.devMode) return undefined;
  if (token.length < MIN_API_TOKEN_LENGTH) {
    return `OVHFLOW_API_TOKEN: must be at least ${MIN_API_TOKEN_LENGTH} characters long (it is ${token.length}); make one with \`openssl rand -base64 32\``;
  }
  if (new Set(token).size < MIN_DISTINCT_API_TOKEN_CHARACTERS) {
    return 'OVHFLOW_API_TOKEN: is too weak (a repeated pattern or a placeholder, not a random value); make one with `openssl rand -base64 32`';
  }
  return undefined;
}

/** Where dev mode keeps its generated API token, beside the dev stack's secret key. */
export const DEV_API_TOKEN_FILE = resolve('.data', 'api-token');

/**
 * Dev mode's token: generated once (mode 0600, git-ignored with .data/), so scripts and the UI keep working. A file
 * that was emptied or cut short is refused rather than trusted: an empty token would make the empty string a login.
 */
export function loadOrCreateDevApiToken(file = DEV_API_TOKEN_FILE): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length < MIN_API_TOKEN_LENGTH || /\s/.test(token)) {
      throw new ConfigError([
        `${file}: not a usable API token (${token.length === 0 ? 'the file is empty' : `${token.length} characters, at least ${MIN_API_TOKEN_LENGTH} expected, without spaces`}); delete the file and a new token is generated, or set OVHFLOW_API_TOKEN`,
      ]);
    }
    return token;
  }
  mkdirSync(dirname(file), { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Whether an address only this machine can reach (dev mode's leniency on the token stops at the network's edge). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The token must not be one of the secret keys: it travels with every call, the keys never leave ovhflow. */
export function tokenReusesKey(token: string, keys: Iterable<Buffer>): boolean {
  const matches = tokenMatcher(token);
  for (const key of keys) {
    if (matches(key.toString('base64')) || matches(key.toString('base64url'))) return true;
  }
  return false;
}
