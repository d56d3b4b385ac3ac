// rotateCredentials' input: which account of a hosting gets a new password — an FTP/SSH user or a database user. A
// database a CMS uses is only rotated with `evenIfUsedByCms`: the site breaks until its configuration gets the new
// password. A module's administrator (by id, or by the domain and folder it serves) is still a shape, so runs of it
// started before 2026 replay, but every new one is refused with how to do it instead: OVH removed the call.
import { z } from 'zod';
import { databaseNameSchema, domainSchema, idSchema, serviceNameSchema, sitePathSchema } from './field-schemas.js';
import { existingFtpLoginSchema } from './ftp-user.js';
import { MODULE_PASSWORD_NOT_ROTATABLE } from '../rotate.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';

export const ROTATION_KINDS = ['ftp-user', 'module', 'database'] as const;
export type RotationKind = (typeof ROTATION_KINDS)[number];

export type RotationTarget =
  | { kind: 'ftp-user'; login: string }
  /** `id`: the installed module's id; otherwise the module serving `domain` (and `path`, when several do). */
  | { kind: 'module'; id?: number; domain?: string; path?: string }
  | { kind: 'database'; name: string; evenIfUsedByCms: boolean };

export interface RotateCredentialsInput {
  serviceName: string;
  target: RotationTarget;
}

const ftpUserTarget = z.strictObject({ kind: z.literal('ftp-user'), login: existingFtpLoginSchema });

const moduleTarget = z
  .strictObject({ kind: z.literal('module'), id: idSchema.optional(), domain: domainSchema.optional(), path: sitePathSchema.optional() })
  .superRefine((target, ctx) => {
    if (target.id === undefined && target.domain === undefined) {
      ctx.addIssue({ code: 'custom', message: 'say which module: its "id", or the "domain" (and "path") it serves', path: [], input: '' });
    }
    if (target.id !== undefined && (target.domain !== undefined || target.path !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give the module\'s "id" or its "domain"/"path", not both', path: [], input: '' });
    }
    if (target.path !== undefined && target.domain === undefined) {
      ctx.addIssue({ code: 'custom', message: '"path" needs the "domain" it is a folder of', path: ['path'], input: '' });
    }
    ctx.addIssue({ code: 'custom', message: MODULE_PASSWORD_NOT_ROTATABLE, path: ['kind'], input: '' });
  });

const databaseTarget = z.strictObject({
  kind: z.literal('database'),
  name: databaseNameSchema,
  evenIfUsedByCms: z.boolean({ error: () => 'must be true or false' }).default(false),
});

export const rotationTargetSchema = z.discriminatedUnion('kind', [ftpUserTarget, moduleTarget, databaseTarget], {
  error: (iss) => (iss.code === 'invalid_union' ? `"kind" must be one of ${ROTATION_KINDS.map((k) => `"${k}"`).join(', ')}` : undefined),
});

export const rotateCredentialsInputSchema = z
  .strictObject(
    { serviceName: serviceNameSchema, target: rotationTargetSchema },
    { error: objectError('an object with "serviceName" and "target" ({"kind": "ftp-user" | "module" | "database", ...})') },
  )
  .transform((input): RotateCredentialsInput => ({ serviceName: input.serviceName, target: withoutUndefined<RotationTarget>(input.target) }));

export type RotateCredentialsRequest = z.input<typeof rotateCredentialsInputSchema>;

export function parseRotateCredentialsInput(raw: unknown): ParseResult<RotateCredentialsInput> {
  return parseWith(rotateCredentialsInputSchema, raw);
}
