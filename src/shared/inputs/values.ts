// Rules for single values that are not text to normalize: one of a fixed list, a whole number in a range. Written
// once here, in plain JS, so a workflow's update validator can check them without zod; the zod schemas
// (./field-schemas.ts, ./provision-site.ts) are built from the same lists, bounds and messages.
import { type Checked, closest, quote } from './issues.js';

/** "… is not allowed; use one of …" (with a "did you mean" for a near miss), as every enum field says it. */
export function enumError(values: readonly (string | number)[]) {
  return (iss: { input?: unknown }): string => {
    const allowed = values.map((v) => JSON.stringify(v)).join(', ');
    const got = iss.input;
    if (got === undefined) return `is required; use one of ${allowed}`;
    const shown = typeof got === 'string' ? quote(got) : typeof got === 'number' ? String(got) : 'this value';
    const suggestion = typeof got === 'string' ? closest(got, values.map(String)) : undefined;
    return `${shown} is not allowed; use one of ${allowed}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  };
}

/** One of `values`, exactly (OVH's enums are case-sensitive). */
export function checkEnum<T extends string>(values: readonly T[], raw: unknown): Checked<T> {
  const found = values.find((value) => value === raw);
  return found !== undefined ? { ok: true, value: found } : { ok: false, message: enumError(values)({ input: raw }) };
}

/** A whole number between two bounds, with the message for each way of missing it. */
export interface WholeNumberRule {
  required: string;
  notNumber: string;
  notWhole: string;
  min: number;
  tooSmall: string;
  max: number;
  tooLarge: string;
}

/** A positive whole number (an OVH `long` id). */
export const ID_RULES: WholeNumberRule = {
  required: 'is required (a number)',
  notNumber: 'must be a whole number',
  notWhole: 'must be a whole number',
  min: 1,
  tooSmall: 'must be a positive number',
  max: Number.MAX_SAFE_INTEGER,
  tooLarge: 'is too large',
};

/**
 * Every message zod gives `value` for this rule, in zod's order: a fraction stops at "not whole"; a whole number too
 * large to be exact (beyond 2^53) is "not whole" and still checked against the bounds.
 */
export function wholeNumberIssues(rule: WholeNumberRule, value: unknown): string[] {
  if (value === undefined) return [rule.required];
  if (typeof value !== 'number' || !Number.isFinite(value)) return [rule.notNumber];
  if (!Number.isInteger(value)) return [rule.notWhole];
  const issues: string[] = [];
  if (!Number.isSafeInteger(value)) issues.push(rule.notWhole);
  if (value < rule.min) issues.push(rule.tooSmall);
  if (value > rule.max) issues.push(rule.tooLarge);
  return issues;
}

/** The value, or the first rule it breaks. */
export function checkWholeNumber(rule: WholeNumberRule, value: unknown): Checked<number> {
  const [issue] = wholeNumberIssues(rule, value);
  return issue === undefined ? { ok: true, value: value as number } : { ok: false, message: issue };
}
