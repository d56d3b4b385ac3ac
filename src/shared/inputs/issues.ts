// The one result shape every input parser returns, and the turning of zod's issues into messages a person can act
// on. Sandbox-safe: zod and plain JS only.
import { z } from 'zod';

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
const MAX_ISSUES = 50;

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

/** A zod string check built from a `Checked` function, so every normalizing rule is one plain function plus this. */
export function checkedString<T>(check: (raw: string) => Checked<T>, what = 'a text value') {
  return z
    .string({ error: (iss) => typeError(iss.input, what) })
    .transform((raw, ctx): T => {
      const result = check(raw);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.message, input: raw });
      return z.NEVER;
    });
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

/**
 * Messages for the structural issues zod raises itself (wrong type, enum, bounds). Rules of our own carry their
 * message already; this map only fills in the rest. It never repeats the input of a field that may hold a secret.
 */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return typeError(iss.input, expectedName(iss.expected));
    case 'invalid_value': {
      const allowed = iss.values.map((v) => JSON.stringify(v)).join(', ');
      const got = typeof iss.input === 'string' ? `${quote(iss.input)} is not allowed` : `${describeType(iss.input)} is not allowed`;
      return iss.values.length === 1 ? `must be ${allowed}` : `${got}; use one of ${allowed}`;
    }
    case 'too_small':
      return iss.origin === 'array'
        ? `must have at least ${String(iss.minimum)} item(s)`
        : iss.origin === 'string'
          ? `must be at least ${String(iss.minimum)} characters long`
          : `must be ${iss.inclusive === false ? 'greater than' : 'at least'} ${String(iss.minimum)}`;
    case 'too_big':
      return iss.origin === 'array'
        ? `must have at most ${String(iss.maximum)} item(s)`
        : iss.origin === 'string'
          ? `must be at most ${String(iss.maximum)} characters long`
          : `must be ${iss.inclusive === false ? 'less than' : 'at most'} ${String(iss.maximum)}`;
    case 'not_multiple_of':
      return 'must be a whole number';
    default:
      return undefined;
  }
};

function expectedName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a text value';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    default:
      return expected;
  }
}

/**
 * Runs a schema over untrusted input and returns a `ParseResult`. Never throws: a hostile value (a Proxy whose getter
 * throws, a getter with side effects) becomes an issue, not an exception in a workflow validator.
 */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): ParseResult<z.output<S>> {
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(raw, { error: errorMap }) as ReturnType<S['safeParse']>;
  } catch {
    return { ok: false, issues: [{ field: ROOT_FIELD, message: 'could not be read (not plain data)' }] };
  }
  if (result.success) return { ok: true, value: result.data as z.output<S> };
  return { ok: false, issues: toInputIssues(result.error.issues, schema) };
}

function toInputIssues(zodIssues: readonly z.core.$ZodIssue[], schema: z.ZodType): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const iss of zodIssues) {
    if (iss.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, iss.path);
      for (const key of iss.keys) {
        const suggestion = closest(key, known);
        const hint = suggestion
          ? ` (did you mean "${suggestion}"?)`
          : known.length > 0
            ? ` (allowed: ${known.join(', ')})`
            : '';
        issues.push({ field: fieldName([...iss.path, key]), message: `unknown field${hint}` });
      }
    } else {
      issues.push({ field: fieldName(iss.path), message: iss.message });
    }
  }
  // One message per field and text, in order: unions and refinements can raise the same thing twice.
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= MAX_ISSUES) return unique;
  return [
    ...unique.slice(0, MAX_ISSUES),
    { field: ROOT_FIELD, message: `and ${unique.length - MAX_ISSUES} more problems not listed` },
  ];
}

/** The field names an object schema accepts at a path, found by walking the schema (for "did you mean" hints). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const key of [...path, undefined]) {
    // Unwrap optional/default/pipe layers until an object or array, then step into it.
    for (let guard = 0; guard < 20; guard++) {
      const def = (current as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
      if (!def) return [];
      if (def.type === 'object' || def.type === 'array') break;
      if (def.type === 'pipe') {
        const inner = (def.in as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type;
        current = inner === 'transform' ? def.out : def.in;
      } else if ('innerType' in def) current = def.innerType;
      else return [];
    }
    const def = (current as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (key === undefined) {
      return def.type === 'object' ? Object.keys(def.shape as object) : [];
    }
    current = def.type === 'object' ? (def.shape as Record<string, unknown>)[String(key)] : def.element;
  }
  return [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Optional fields are left out rather than set to undefined, so values compare and serialize cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The message for a value that should have been an object (or is missing). */
export function objectError(shape: string) {
  return (iss: { code?: string; input?: unknown }) => {
    if (iss.code !== 'invalid_type') return undefined;
    return iss.input === undefined ? `is required (${shape})` : `must be ${shape}`;
  };
}
