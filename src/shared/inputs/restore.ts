// restoreDatabase's input: which dump to restore, whether to take a safety dump first, and the explicit
// confirmation a destructive operation needs.
import { z } from 'zod';
import { type DumpSelector, dumpSelectorShorthand, normalizeDateTime } from './dump-selector.js';
import { databaseNameSchema, idSchema, serviceNameSchema } from './field-schemas.js';
import { type ParseResult, quote } from './issues.js';
import { OVH_BACKUP_DATES, type OvhBackupDate } from './ovh-enums.js';
import { objectError, parseWith } from './zod-parse.js';

export interface RestoreDatabaseInput {
  serviceName: string;
  databaseName: string;
  dump: DumpSelector;
  /** Dump the database as it is before overwriting it. */
  safetyDump: boolean;
  /** The caller has confirmed the overwrite; the run does not restore until this is true. */
  confirmed: boolean;
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
  .preprocess(dumpSelectorShorthand, dumpObjectSchema)
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

