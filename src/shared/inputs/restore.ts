// restoreDatabase's input: which dump to restore, whether to take a safety dump first, and the explicit
// confirmation a destructive operation needs.
import { z } from 'zod';
import { databaseNameSchema, idSchema, serviceNameSchema } from './common.js';
import { type ParseResult, objectError, parseWith, quote } from './issues.js';
import { OVH_BACKUP_DATES, type OvhBackupDate } from './ovh-enums.js';

/**
 * Which dump: one by id (`/database/{name}/dump/{id}`), the newest, the newest created strictly before a moment, or
 * one of OVH's own automatic backups (`POST /database/{name}/restore` with that date).
 */
export type DumpSelector = { id: number } | { latest: true } | { latestBefore: string } | { ovhBackup: OvhBackupDate };

export interface RestoreDatabaseInput {
  serviceName: string;
  databaseName: string;
  dump: DumpSelector;
  /** Dump the database as it is before overwriting it. */
  safetyDump: boolean;
  /** The caller has confirmed the overwrite; the run does not restore until this is true. */
  confirmed: boolean;
}

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

const SELECTOR_KEYS = ['id', 'latest', 'latestBefore', 'ovhBackup'] as const;
const SELECTOR_HELP = `{ "id": 123 }, { "latest": true }, { "latestBefore": "2025-03-01T02:00:00Z" } or { "ovhBackup": "${OVH_BACKUP_DATES.join('" | "')}" }`;

const dumpObjectSchema = z
  .strictObject(
    {
      id: idSchema.optional(),
      latest: z.literal(true, { error: () => 'must be true' }).optional(),
      latestBefore: z
        .string({ error: () => 'must be an ISO 8601 date-time as text' })
        .transform((raw, ctx) => {
          const result = normalizeDateTime(raw);
          if (result.ok) return result.value;
          ctx.addIssue({ code: 'custom', message: result.message, input: raw });
          return z.NEVER;
        })
        .optional(),
      ovhBackup: z
        .enum(OVH_BACKUP_DATES, {
          error: (iss) =>
            `${typeof iss.input === 'string' ? quote(iss.input) : 'this value'} is not an OVH backup; use ${OVH_BACKUP_DATES.map((d) => `"${d}"`).join(' or ')}`,
        })
        .optional(),
    },
    { error: objectError(SELECTOR_HELP) },
  )
  .superRefine((dump, ctx) => {
    const given = SELECTOR_KEYS.filter((key) => dump[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? `say which dump: ${SELECTOR_HELP}`
            : `give exactly one of ${given.map((k) => `"${k}"`).join(', ')}`,
      });
    }
  });

/** The selector; shorthands: a number (an id), `"latest"`, `"daily.1"`, `"weekly.1"`. */
export const dumpSelectorSchema = z
  .preprocess((raw) => {
    if (typeof raw === 'number') return { id: raw };
    if (typeof raw === 'string') {
      const text = raw.trim();
      if (/^\d+$/.test(text)) return { id: Number(text) };
      if (text === 'latest') return { latest: true };
      if ((OVH_BACKUP_DATES as readonly string[]).includes(text)) return { ovhBackup: text };
      return { latestBefore: text };
    }
    return raw;
  }, dumpObjectSchema)
  .transform((dump): DumpSelector => {
    if (dump.id !== undefined) return { id: dump.id };
    if (dump.latest !== undefined) return { latest: true };
    if (dump.latestBefore !== undefined) return { latestBefore: dump.latestBefore };
    return { ovhBackup: dump.ovhBackup as OvhBackupDate };
  });

const flag = (what: string) =>
  z.boolean({ error: (iss) => (iss.input === undefined ? `is required (${what})` : 'must be true or false') });

export const restoreDatabaseInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      databaseName: databaseNameSchema,
      dump: dumpSelectorSchema,
      safetyDump: flag('true or false').default(true),
      confirmed: flag('true or false').default(false),
    },
    { error: objectError('an object with "serviceName", "databaseName" and "dump"') },
  )
  .transform((input): RestoreDatabaseInput => input);

export type RestoreDatabaseRequest = z.input<typeof restoreDatabaseInputSchema>;

export function parseRestoreDatabaseInput(raw: unknown): ParseResult<RestoreDatabaseInput> {
  return parseWith(restoreDatabaseInputSchema, raw);
}

