// nightlyDumps' input, as a Temporal Schedule's action carries it: which hosting services, and how many databases
// are dumped at once.
import { z } from 'zod';
import { serviceNameSchema } from './field-schemas.js';
import type { ParseResult } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';

export interface NightlyDumpsInput {
  /** Normalized, without duplicates; empty means every hosting service the credentials can see. */
  services: string[];
  concurrency: number;
}

export const DEFAULT_NIGHTLY_CONCURRENCY = 4;
export const MAX_NIGHTLY_CONCURRENCY = 20;
/** More than any account has; a bound so a runaway list is refused rather than processed. */
export const MAX_NIGHTLY_SERVICES = 1000;

export const nightlyDumpsInputSchema = z
  .strictObject(
    {
      services: z
        .array(serviceNameSchema, { error: () => 'must be a list of hosting service names (empty for all)' })
        .max(MAX_NIGHTLY_SERVICES, `must list at most ${MAX_NIGHTLY_SERVICES} services (leave it empty for all)`)
        .default([]),
      concurrency: z
        .number({ error: () => `must be a number from 1 to ${MAX_NIGHTLY_CONCURRENCY}` })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(MAX_NIGHTLY_CONCURRENCY, `must be at most ${MAX_NIGHTLY_CONCURRENCY}`)
        .default(DEFAULT_NIGHTLY_CONCURRENCY),
    },
    { error: objectError('an object, {} for every service') },
  )
  .transform((input): NightlyDumpsInput => ({ ...input, services: [...new Set(input.services)] }));

export type NightlyDumpsRequest = z.input<typeof nightlyDumpsInputSchema>;

/** `undefined` (a schedule with no arguments) is the same as `{}`. */
export function parseNightlyDumpsInput(raw: unknown): ParseResult<NightlyDumpsInput> {
  return parseWith(nightlyDumpsInputSchema, raw ?? {});
}
