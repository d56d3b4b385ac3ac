// updateAttachedDomain's input: the domain, and the settings to change — at least one. Parsed by the CLI, the HTTP
// API and (for runs started elsewhere) a local activity; the rules are those of provisioning's attach options.
import { z } from 'zod';
import { type AttachedDomainOptions, attachedDomainOptionsOf } from './attached-domain.js';
import { domainSchema, serviceNameSchema, sitePathSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { attachedDomainOptionFields, stepDeadlineMinutesSchema } from './provision-site.js';
import { objectError, parseWith } from './zod-parse.js';

export interface UpdateAttachedDomainInput extends AttachedDomainOptions {
  serviceName: string;
  domain: string;
  path?: string;
  ssl?: boolean;
  stepDeadlineMinutes?: number;
}

/** `ssl`: a boolean, or as the CLI says it, `on` / `off`. */
const sslSwitchSchema = z
  .union([z.boolean(), z.string()], { error: 'must be on or off' })
  .transform((raw, ctx) => {
    if (typeof raw === 'boolean') return raw;
    const text = raw.trim().toLowerCase();
    if (text === 'on' || text === 'true') return true;
    if (text === 'off' || text === 'false') return false;
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(raw)} is not allowed; use on or off`, input: raw });
    return z.NEVER;
  });

export const CHANGEABLE_DOMAIN_SETTINGS = ['path', 'ssl', 'cdn', 'firewall', 'ownLog', 'runtimeId', 'ipLocation'] as const;

export const updateAttachedDomainInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      domain: domainSchema,
      path: sitePathSchema.optional(),
      ssl: sslSwitchSchema.optional(),
      ...attachedDomainOptionFields,
      stepDeadlineMinutes: stepDeadlineMinutesSchema.optional(),
    },
    { error: objectError('an object with "serviceName", "domain" and the settings to change') },
  )
  .superRefine((input, ctx) => {
    if (CHANGEABLE_DOMAIN_SETTINGS.every((key) => input[key] === undefined)) {
      ctx.addIssue({ code: 'custom', message: `give at least one setting to change: ${CHANGEABLE_DOMAIN_SETTINGS.join(', ')}` });
    }
  })
  .transform(
    (input): UpdateAttachedDomainInput =>
      withoutUndefined({
        serviceName: input.serviceName,
        domain: input.domain,
        path: input.path,
        ssl: input.ssl,
        ...attachedDomainOptionsOf(input),
        stepDeadlineMinutes: input.stepDeadlineMinutes,
      }),
  );

export type UpdateAttachedDomainRequest = z.input<typeof updateAttachedDomainInputSchema>;

export function parseUpdateAttachedDomainInput(raw: unknown): ParseResult<UpdateAttachedDomainInput> {
  return parseWith(updateAttachedDomainInputSchema, raw);
}
