// The one result shape every input parser returns, and the messages a person can act on. Plain JS, no zod: workflows
// import this (update validators, cheap input checks), and every module a workflow imports is evaluated again for
// each cached run — zod and the schemas built with it cost a worker about 1.2 MB per run (docs/BENCHMARKS.md).

/** One thing wrong with an input: the dotted field (`database.capability`, `services[2]`) and what to do about it. */
export interface InputIssue {
  field: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

/** A single value's check: the normalized value, or why it is wrong (a message without the field name). */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The field name used when the input as a whole is unusable (not an object, unreadable). */
export const ROOT_FIELD = 'input';

/** More issues than this are summarized: a flood of messages helps nobody and costs memory on hostile input. */
export const MAX_ISSUES = 50;

/**
 * One `field: message` line per issue, e.g. `domain: "shop..example.com" is not a valid domain name (empty label)`.
 * No header: callers say what was refused ("invalid input, nothing was started:") and may indent the lines.
 */
export function formatIssues(issues: readonly InputIssue[], indent = ''): string {
  return issues.map((issue) => `${indent}${issue.field}: ${issue.message}`).join('\n');
}

/**
 * Quotes a user-supplied value for a message: JSON-escaped so control characters and invisible code points show,
 * shortened so a megabyte of garbage does not become a megabyte of log, and never echoing anything that looks like
 * key material (someone will paste a private key into the wrong field).
 */
export function quote(value: string, max = 80): string {
  if (/PRIVATE KEY|BEGIN [A-Z ]+-----/.test(value)) return '(PEM text, not shown)';
  const shown = value.length > max ? value.slice(0, max) : value;
  // Code points outside printable ASCII are shown as \u escapes so a homoglyph or zero-width space is visible.
  const quoted = JSON.stringify(shown).replace(/[^\x20-\x7e]/gu, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
  return shown === value ? quoted : `${quoted}… (${value.length} characters)`;
}

/** `U+200B`: how a single offending character is named in a message. */
export function codePointName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The closest candidate within a small edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // A longer or shorter spelling of the same word ("sqlPersonal" for "sqlPerso") counts as one edit.
    const affix = Math.min(lower.length, other.length) >= 4 && (lower.startsWith(other) || other.startsWith(lower));
    const distance = affix ? 1 : editDistance(lower, other);
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `database.capability`, `services[2]` — how a zod path is named in an issue. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (isPlainFieldKey(key)) out += out === '' ? key : `.${key}`;
    // A key a caller made up (control characters, dots, a megabyte) is shown quoted and escaped, never raw.
    else out += `[${quote(typeof key === 'symbol' ? (key.description ?? 'symbol') : key, 40)}]`;
  }
  return out === '' ? ROOT_FIELD : out;
}

function isPlainFieldKey(key: PropertyKey): key is string {
  return typeof key === 'string' && key.length <= 64 && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
}

/** A user-typed dotted key (`--set database.capability=…`) as an issue field: as typed when plain, escaped if not. */
export function dottedFieldName(key: string): string {
  const parts = key.split('.');
  return parts.every(isPlainFieldKey) ? key : fieldName([key]);
}

/** "is required" for a missing field, "must be X, not a number" for a wrong type. */
export function typeError(input: unknown, what: string): string {
  if (input === undefined) return `is required (${what})`;
  return `must be ${what}, not ${describeType(input)}`;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a text value';
    case 'number':
      return Number.isFinite(value) ? 'a number' : `${String(value)}`;
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Optional fields are left out rather than set to undefined, so values compare and serialize cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

