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
