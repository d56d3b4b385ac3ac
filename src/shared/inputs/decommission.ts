// decommissionSite's input: the site (service + domain, optionally the module's folder) and the explicit
// confirmation a destructive run needs.
import { z } from 'zod';
import { domainSchema, serviceNameSchema, sitePathSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';

export interface DecommissionSiteInput {
  serviceName: string;
  domain: string;
  /** The module's folder; default: the attached domain's own folder. */
  path?: string;
  /** The caller has confirmed the removal; otherwise the run shows its plan and waits for `confirm`. */
  confirmed: boolean;
}

export const decommissionSiteInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      domain: domainSchema,
      path: sitePathSchema.optional(),
      confirmed: z.boolean({ error: () => 'must be true or false' }).default(false),
    },
    { error: objectError('an object with "serviceName" and "domain"') },
  )
  .transform((input): DecommissionSiteInput => withoutUndefined(input));

export type DecommissionSiteRequest = z.input<typeof decommissionSiteInputSchema>;

export function parseDecommissionSiteInput(raw: unknown): ParseResult<DecommissionSiteInput> {
  return parseWith(decommissionSiteInputSchema, raw);
}
