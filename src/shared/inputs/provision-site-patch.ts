// Corrected inputs for `retry`, as JSON (the HTTP API's patch) and merged into a run's input with the full parser.
// `--set key=value` and the workflow's own zod-free check live in ./set-arguments.ts.
import { z } from 'zod';
import { adminNameSchema, databaseUserSuffixSchema, idSchema, sitePathSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import type { DatabaseSpec, ProvisionSiteInput } from './provision-site-rules.js';
import { mergeProvisionSitePatch, type ProvisionSitePatch } from './set-arguments.js';
import { objectError, parseWith } from './zod-parse.js';
import {
  attachedDomainOptionFields,
  databaseCapabilitySchema,
  databaseQuotaSchema,
  databaseTypeSchema,
  databaseVersionSchema,
  knownModuleNameSchema,
  moduleLanguageSchema,
  parseProvisionSiteInput,
  sslSpecSchema,
  stepDeadlineMinutesSchema,
  dnsModeSchema,
  dnsDeadlineMinutesSchema,
} from './provision-site.js';

export const provisionSitePatchSchema = z
  .strictObject(
    {
      path: sitePathSchema.optional(),
      database: z
        .strictObject(
          {
            type: databaseTypeSchema.optional(),
            capability: databaseCapabilitySchema.optional(),
            userSuffix: databaseUserSuffixSchema.optional(),
            quota: databaseQuotaSchema.optional(),
            version: databaseVersionSchema.optional(),
          },
          { error: objectError('an object of database settings to change') },
        )
        .optional(),
      module: z
        .strictObject(
          {
            id: idSchema.optional(),
            name: knownModuleNameSchema.optional(),
            language: moduleLanguageSchema.optional(),
            adminName: adminNameSchema.optional(),
          },
          { error: objectError('an object of module settings to change') },
        )
        .superRefine((module, ctx) => {
          if (module.id !== undefined && module.name !== undefined) {
            ctx.addIssue({ code: 'custom', message: 'set either the module id or its name, not both' });
          }
        })
        .optional(),
      ssl: sslSpecSchema.optional(),
      stepDeadlineMinutes: stepDeadlineMinutesSchema.optional(),
      dns: dnsModeSchema.optional(),
      dnsDeadlineMinutes: dnsDeadlineMinutesSchema.optional(),
      ...attachedDomainOptionFields,
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type' ? 'must be an object of the settings to change ({} for none)' : undefined,
    },
  )
  .transform(
    (patch): ProvisionSitePatch =>
      withoutUndefined({
        ...patch,
        database: patch.database && withoutUndefined(patch.database as Partial<DatabaseSpec>),
        module: patch.module && withoutUndefined(patch.module),
      }),
  );

/** A patch as an update carries it; `undefined` is no change. */
export function parseProvisionSitePatch(raw: unknown): ParseResult<ProvisionSitePatch> {
  return parseWith(provisionSitePatchSchema, raw ?? {});
}

/**
 * The run's input with a patch applied, validated as a whole by the input parser (a patch that is fine alone can still
 * conflict, e.g. a postgresql database under a module).
 */
export function applyProvisionSitePatch(base: ProvisionSiteInput, patch: ProvisionSitePatch): ParseResult<ProvisionSiteInput> {
  return parseProvisionSiteInput(mergeProvisionSitePatch(base, patch));
}
