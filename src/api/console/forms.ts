// Reading a submitted form: its fields, and a retry form's corrections as `--set` pairs. Start forms become raw inputs
// by their run kind's form description (src/runs/run-forms.ts).
import type { FormFields } from '../../runs/run-forms.js';

export type { FormFields };

/** `application/x-www-form-urlencoded` → fields (a repeated name keeps its first value). */
export function parseForm(body: string): FormFields {
  // No prototype: a field named `constructor` or `__proto__` is a field like any other, never Object's.
  const fields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(body)) if (!Object.hasOwn(fields, name)) fields[name] = value;
  return fields;
}

/** The retry form's corrections as `ovhflow retry --set` pairs, in the form's order; empty fields are no change. */
export function setPairsFromForm(form: FormFields, keys: readonly string[]): string[] {
  const pairs: string[] = [];
  for (const key of keys) {
    const value = form[`set.${key}`]?.trim();
    if (value) pairs.push(`${key}=${value}`);
  }
  return pairs;
}
