// Helpers of the security tests: where to look for a secret (every string and byte array of a history, both as text
// and as base64), how to spell a secret the ways it could leak, and hosting services no other test file uses.
import { randomUUID } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import type { TestStack } from '../support/stack.js';
import { ACCOUNT_HEADER } from '../../src/shared/accounts.js';

/**
 * Every way `secret` could show up in a dump: as is, as a JSON string body (a PEM's line breaks become `\n`), and
 * base64-encoded at each of the three byte alignments it could have inside a larger base64 blob (the edge
 * characters, which depend on the neighbouring bytes, are left out). For a multi-line secret (a PEM), each body line
 * too, so a partial leak is caught.
 */
export function leakForms(secret: string): string[] {
  const parts = [secret];
  if (secret.includes('\n')) parts.push(...secret.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----')));
  const forms = new Set<string>();
  for (const part of parts) {
    forms.add(part);
    forms.add(JSON.stringify(part).slice(1, -1));
    for (let shift = 0; shift < 3; shift++) {
      const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(part, 'utf8')]).toString('base64');
      const inner = encoded.slice(shift === 0 ? 0 : 4, -4);
      forms.add(inner);
      forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms].filter((form) => form.length >= 8);
}

/** Which of `secrets` (by name) appear in `text` in any of their {@link leakForms}. */
export function leakedIn(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => leakForms(secret).some((form) => text.includes(form)))
    .map(([name]) => name);
}

/**
 * Everything a reader of a raw object (a history, a description) can see, as one text: the object as JSON, plus
 * every byte array in it decoded as UTF-8 and as base64 — payload data is bytes, and JSON.stringify alone would show
 * it as a list of numbers.
 */
export function everythingIn(value: unknown): string {
  const out: string[] = [JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))];
  const seen = new Set<unknown>();
  const walk = (item: unknown): void => {
    if (item === null || typeof item !== 'object' || seen.has(item)) return;
    seen.add(item);
    if (item instanceof Uint8Array) {
      out.push(Buffer.from(item).toString('utf8'), Buffer.from(item).toString('base64'));
      return;
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'string') out.push(child);
      else walk(child);
    }
  };
  walk(value);
  return out.join('\n');
}

/**
 * Every payload in a raw history (inputs, results, failures' encoded attributes, markers...), apart from search
 * attributes, which Temporal indexes and keeps plain by design.
 */
export function payloadsIn(value: unknown): Payload[] {
  const found: Payload[] = [];
  const seen = new Set<unknown>();
  const walk = (item: unknown): void => {
    if (item === null || typeof item !== 'object' || seen.has(item) || item instanceof Uint8Array) return;
    seen.add(item);
    const candidate = item as { metadata?: unknown; data?: unknown };
    if (candidate.metadata && typeof candidate.metadata === 'object' && (candidate.data === undefined || candidate.data === null || candidate.data instanceof Uint8Array)) {
      const metadata = candidate.metadata;
      if (Object.values(metadata).every((v) => v instanceof Uint8Array) && 'encoding' in metadata) {
        found.push(item);
        return;
      }
    }
    // Search attributes and the run's account header are plain by design (names, never secrets: docs/security.md).
    for (const [key, child] of Object.entries(item)) if (key !== 'searchAttributes' && key !== ACCOUNT_HEADER) walk(child);
  };
  walk(value);
  return found;
}

export const metadataText = (payload: Payload, key: string): string | undefined => {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
};

/** A hosting service of its own (an offer with room for databases, no certificate yet), created on the simulator. */
export async function createHostingService(
  stack: TestStack,
  prefix: string,
  options: { hostingWideSsl?: boolean } = {},
): Promise<{ serviceName: string; primaryLogin: string }> {
  const tag = randomUUID().replace(/-/g, '').slice(0, 5).replace(/^\d/, 'x');
  const serviceName = `${prefix}${tag}.example.net`;
  const primaryLogin = `${prefix.slice(0, 2)}${tag}`;
  // hostingWideSsl: an older hosting without per-domain certificates (multipleSSL false).
  const answer = await stack.sim.request('POST', `/_sim/services/${serviceName}`, { offer: 'PERFORMANCE_1', primaryLogin, ...(options.hostingWideSsl ? { multipleSsl: false } : {}) });
  if (answer.status !== 200) throw new Error(`cannot create ${serviceName}: ${answer.text}`);
  return { serviceName, primaryLogin };
}
