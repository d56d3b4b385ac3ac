// createFtpUser's input: a login, the folder it is confined to, its SSH access, and an optional password.
import { z } from 'zod';
import { ftpLoginSchema, homePathSchema, serviceNameSchema } from './field-schemas.js';
import { type ParseResult, quote, withoutUndefined } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';
import { passwordIssues } from './passwords.js';
import { SSH_STATES, type SshState } from './ovh-enums.js';

export interface CreateFtpUserInput {
  serviceName: string;
  /** The full login: the hosting's primary login, a hyphen, a name (`demoage-dev`). */
  login: string;
  /** The user's root folder relative to the hosting home; `"."` is the whole home. */
  home: string;
  sshState: SshState;
  /** Absent: the run generates one and hands it back to the caller only. */
  password?: string;
}

export const DEFAULT_SSH_STATE: SshState = 'none';

export const sshStateSchema = z.enum(SSH_STATES, {
  error: (iss) =>
    `${typeof iss.input === 'string' ? quote(iss.input, 40) : 'this value'} is not allowed; use one of ${SSH_STATES.map((s) => `"${s}"`).join(', ')}`,
});

/** A user-chosen FTP password: OVH's rules, and messages that never contain it. */
export const ftpPasswordSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be text') })
  .superRefine((password, ctx) => {
    for (const message of passwordIssues('ftp', password)) ctx.addIssue({ code: 'custom', message, input: '' });
  });

export const createFtpUserInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      login: ftpLoginSchema,
      home: homePathSchema,
      sshState: sshStateSchema.default(DEFAULT_SSH_STATE),
      password: ftpPasswordSchema.optional(),
    },
    { error: objectError('an object with "serviceName", "login" and "home"') },
  )
  .transform((input): CreateFtpUserInput => withoutUndefined(input));

export type CreateFtpUserRequest = z.input<typeof createFtpUserInputSchema>;

export function parseCreateFtpUserInput(raw: unknown): ParseResult<CreateFtpUserInput> {
  return parseWith(createFtpUserInputSchema, raw);
}

// ---------------------------------------------------------------------------------------------------------------
// Changing and deleting an existing user. Its login may be the hosting's primary one (`demoagen`): changing its SSH
// access is allowed, deleting it is refused by the run (OVH refuses it too), with a message saying why.

/** An existing FTP/SSH login: the primary one (`demoagen`) or an extra one (`demoagen-dev`). */
export const existingFtpLoginSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be text, a login such as "demoage-dev"') })
  .transform((raw, ctx) => {
    if (raw.length <= 32 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(raw)) return raw;
    const lower = raw.toLowerCase();
    const message =
      raw.length > 32 ? `is ${raw.length} characters long; at most 32`
      : lower !== raw && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(lower) ? `${quote(raw)} must be lowercase (did you mean ${quote(lower)}?)`
      : `${quote(raw, 40)} may only contain lowercase letters, digits and "-" (e.g. "demoage-dev")`;
    ctx.addIssue({ code: 'custom', message, input: raw });
    return z.NEVER;
  });

export interface UpdateFtpUserInput {
  serviceName: string;
  login: string;
  /** The new root folder, relative to the hosting home; absent: unchanged. */
  home?: string;
  /** The new SSH access; absent: unchanged. */
  sshState?: SshState;
}

export const updateFtpUserInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      login: existingFtpLoginSchema,
      home: homePathSchema.optional(),
      sshState: sshStateSchema.optional(),
    },
    { error: objectError('an object with "serviceName", "login" and "home" and/or "sshState"') },
  )
  .superRefine((input, ctx) => {
    if (input.home === undefined && input.sshState === undefined) {
      ctx.addIssue({ code: 'custom', message: 'say what to change: "home" and/or "sshState"', path: [], input: '' });
    }
  })
  .transform((input): UpdateFtpUserInput => withoutUndefined(input));

export type UpdateFtpUserRequest = z.input<typeof updateFtpUserInputSchema>;

export function parseUpdateFtpUserInput(raw: unknown): ParseResult<UpdateFtpUserInput> {
  return parseWith(updateFtpUserInputSchema, raw);
}

export interface DeleteFtpUserInput {
  serviceName: string;
  login: string;
  /** Deleting is destructive: without `true` the run shows what it will delete and waits for `confirm`. */
  confirmed: boolean;
}

export const deleteFtpUserInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      login: existingFtpLoginSchema,
      confirmed: z.boolean({ error: () => 'must be true or false' }).default(false),
    },
    { error: objectError('an object with "serviceName" and "login"') },
  )
  .transform((input): DeleteFtpUserInput => input);

export type DeleteFtpUserRequest = z.input<typeof deleteFtpUserInputSchema>;

export function parseDeleteFtpUserInput(raw: unknown): ParseResult<DeleteFtpUserInput> {
  return parseWith(deleteFtpUserInputSchema, raw);
}
