// Which dump a restore uses, and its text forms (`123`, `latest`, `daily.1`, an ISO time): plain JS, so the restore
// workflow's `retry --set dump=…` validator checks a correction with the same rules as the CLI and the HTTP API
// (./restore.ts builds its zod schema on these).
import { quote } from './issues.js';
import { OVH_BACKUP_DATES, type OvhBackupDate } from './ovh-enums.js';
import { ID_RULES, wholeNumberIssues } from './values.js';

/**
 * Which dump: one by id (`/database/{name}/dump/{id}`), the newest, the newest created strictly before a moment, or
 * one of OVH's own automatic backups (`POST /database/{name}/restore` with that date).
 */
export type DumpSelector = { id: number } | { latest: true } | { latestBefore: string } | { ovhBackup: OvhBackupDate };

/** An ISO 8601 date-time with an explicit zone, e.g. `2025-03-01T02:00:00Z` or `2025-03-01T03:00:00+01:00`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Normalized to UTC (`toISOString`); a time without a zone is refused rather than guessed. */
export function normalizeDateTime(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const text = raw.trim();
  if (text.length > 64 || !ISO_DATE_TIME.test(text)) {
    return {
      ok: false,
      message: `${quote(raw)} is not an ISO 8601 date-time with a time zone (e.g. "2025-03-01T02:00:00Z")`,
    };
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) return { ok: false, message: `${quote(raw)} is not a real date and time` };
  // Date.parse rolls 2025-02-30 over to March; a date that does not round-trip is not a real one.
  const [datePart] = text.split('T');
  const offsetMinutes = zoneOffsetMinutes(text);
  const local = new Date(time + offsetMinutes * 60_000).toISOString().slice(0, 10);
  if (local !== datePart) return { ok: false, message: `${quote(raw)} is not a real date` };
  return { ok: true, value: new Date(time).toISOString() };
}

function zoneOffsetMinutes(text: string): number {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!zone) return 0;
  const minutes = Number(zone[2]) * 60 + Number(zone[3]);
  return zone[1] === '-' ? -minutes : minutes;
}

/** The shorthands: a number (an id), `"latest"`, `"daily.1"`, `"weekly.1"`, any other text a time; objects as they are. */
export function dumpSelectorShorthand(raw: unknown): unknown {
  if (typeof raw === 'number') return { id: raw };
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (/^\d+$/.test(text)) return { id: Number(text) };
    if (text === 'latest') return { latest: true };
    if ((OVH_BACKUP_DATES as readonly string[]).includes(text)) return { ovhBackup: text };
    return { latestBefore: text };
  }
  return raw;
}

/** A selector written as text (`retry --set dump=…`): what `dumpSelectorSchema` makes of the same text. */
export function parseDumpSelectorText(raw: string): { ok: true; value: DumpSelector } | { ok: false; messages: string[] } {
  const selector = dumpSelectorShorthand(raw) as { id: number } | { latest: true } | { ovhBackup: OvhBackupDate } | { latestBefore: string };
  if ('id' in selector) {
    const messages = wholeNumberIssues(ID_RULES, selector.id);
    return messages.length > 0 ? { ok: false, messages } : { ok: true, value: { id: selector.id } };
  }
  if ('latestBefore' in selector) {
    const time = normalizeDateTime(selector.latestBefore);
    return time.ok ? { ok: true, value: { latestBefore: time.value } } : { ok: false, messages: [time.message] };
  }
  return { ok: true, value: selector };
}
