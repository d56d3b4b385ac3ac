// Zod's side of input parsing: schemas built from the plain rules (`checkedString`), zod's structural issues turned
// into the messages of ./issues.ts, and `parseWith`, which never throws. Used by the starters (CLI, HTTP API, run
// service, schedules) and activities — never by workflow code, which must stay zod-free (see ./issues.ts).
import { z } from 'zod';
import { type Checked, type InputIssue, type ParseResult, MAX_ISSUES, ROOT_FIELD, closest, describeType, fieldName, quote, typeError } from './issues.js';

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
      if (def.type === 'object' || def.type === 'array' || def.type === 'record') break;
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
    current = def.type === 'object' ? (def.shape as Record<string, unknown>)[String(key)] : def.type === 'record' ? def.valueType : def.element;
  }
  return [];
}

/** The message for a value that should have been an object (or is missing). */
export function objectError(shape: string) {
  return (iss: { code?: string; input?: unknown }) => {
    if (iss.code !== 'invalid_type') return undefined;
    return iss.input === undefined ? `is required (${shape})` : `must be ${shape}`;
  };
}
