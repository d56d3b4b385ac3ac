// Redaction by value. Redaction by path (logger.ts) only catches a secret under a field name it knows; a generated
// password quoted in an error message, or a private key echoed back by an API, would go through. So the code that
// creates or receives a secret registers its value here, and every log line is scrubbed of every registered value
// just before it is written (pino's streamWrite hook), whatever field or sentence it sits in.
//
// Kept in memory only, for this process. Two kinds: what a run creates (passwords, keys pasted in an input) is bounded —
// the oldest values are forgotten first, long after the run that used them has moved on (a provisioning registers a
// handful); what the process holds for its whole life (the API token, the OVH application secret and consumer key, a
// service account's client secret, its current access token) is pinned: never forgotten, however long `ovhflow dev`
// runs, until released (an access token when the next one replaces it, which then ages out like a run's values).

const CENSOR = '[redacted]';
/** Shorter values are too likely to be ordinary words or numbers; every secret ovhflow handles is longer. */
export const MIN_SECRET_LENGTH = 8;
const MAX_REMEMBERED = 4096;
/** Lines of a multi-line secret (a PEM body) are registered one by one too, so a partial quote is caught. */
const MIN_LINE_LENGTH = 16;

const remembered = new Set<string>();
/** Pinned form → how many holders pinned it. */
const pinned = new Map<string, number>();
let longestFirst: string[] | undefined;

function remember(form: string): void {
  if (form.length < MIN_SECRET_LENGTH || remembered.has(form)) return;
  remembered.add(form);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value as string);
  longestFirst = undefined;
}

/** The value as it is, as it appears inside a JSON string (a PEM's line breaks become `\n`), and each PEM body line. */
function formsOf(value: string): string[] {
  const forms: string[] = [];
  for (const form of [value, value.trim()]) forms.push(form, JSON.stringify(form).slice(1, -1));
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH && !trimmed.startsWith('-----')) forms.push(trimmed);
    }
  }
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** Never write this value to a log (a run's secret: remembered among the last {@link MAX_REMEMBERED} values). */
export function registerSecretValue(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  for (const form of formsOf(value)) remember(form);
}

/**
 * Never write this value to a log, and never forget it while it is pinned: for secrets the process holds for its
 * life. Answers the release: the value then ages out like a run's (an access token replaced by the next one).
 */
export function pinSecretValue(value: string | null | undefined): () => void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return () => undefined;
  const forms = formsOf(value);
  for (const form of forms) pinned.set(form, (pinned.get(form) ?? 0) + 1);
  longestFirst = undefined;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const form of forms) {
      const holders = (pinned.get(form) ?? 1) - 1;
      if (holders > 0) pinned.set(form, holders);
      else pinned.delete(form);
      remember(form);
    }
    longestFirst = undefined;
  };
}

/** `text` with every registered secret value replaced by `[redacted]`. */
export function redactSecretValues(text: string): string {
  if (remembered.size === 0 && pinned.size === 0) return text;
  // Longest first: a whole escaped PEM goes before the lines it contains.
  longestFirst ??= [...new Set([...pinned.keys(), ...remembered])].sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of longestFirst) {
    if (result.includes(secret)) result = result.split(secret).join(CENSOR);
  }
  return result;
}

/** How many values are remembered (for tests and diagnostics; never the values). */
export function registeredSecretCount(): number {
  return new Set([...pinned.keys(), ...remembered]).size;
}
