// Redaction by value. Redaction by path (logger.ts) only catches a secret under a field name it knows; a generated
// password quoted in an error message, or a private key echoed back by an API, would go through. So the code that
// creates or receives a secret registers its value here, and every log line is scrubbed of every registered value
// just before it is written (pino's streamWrite hook), whatever field or sentence it sits in.
//
// Kept in memory only, for this process. Bounded: the oldest values are forgotten first, long after the run that
// used them has moved on (a provisioning registers a handful).

const CENSOR = '[redacted]';
/** Shorter values are too likely to be ordinary words or numbers; every secret ovhflow handles is longer. */
export const MIN_SECRET_LENGTH = 8;
const MAX_REMEMBERED = 4096;
/** Lines of a multi-line secret (a PEM body) are registered one by one too, so a partial quote is caught. */
const MIN_LINE_LENGTH = 16;

const remembered = new Set<string>();
let longestFirst: string[] | undefined;

function remember(form: string): void {
  if (form.length < MIN_SECRET_LENGTH || remembered.has(form)) return;
  remembered.add(form);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value as string);
  longestFirst = undefined;
}

/**
 * Never write this value to a log. Registers the value as it is and as it appears inside a JSON string (a PEM's line
 * breaks become `\n`), and, for multi-line values, each line that is not a PEM armour line.
 */
export function registerSecretValue(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  for (const form of [value, value.trim()]) {
    remember(form);
    remember(JSON.stringify(form).slice(1, -1));
  }
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH && !trimmed.startsWith('-----')) remember(trimmed);
    }
  }
}

/** `text` with every registered secret value replaced by `[redacted]`. */
export function redactSecretValues(text: string): string {
  if (remembered.size === 0) return text;
  // Longest first: a whole escaped PEM goes before the lines it contains.
  longestFirst ??= [...remembered].sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of longestFirst) {
    if (result.includes(secret)) result = result.split(secret).join(CENSOR);
  }
  return result;
}

/** How many values are remembered (for tests and diagnostics; never the values). */
export function registeredSecretCount(): number {
  return remembered.size;
}
