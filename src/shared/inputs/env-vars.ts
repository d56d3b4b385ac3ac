// setEnvVars' input: a hosting's environment variables to set (name, type, value) and to remove. OVH's schema names
// the types (`hosting.web.envVar.TypeEnum`) but publishes no rule for names or values, so ovhflow keeps to what
// every shell and PHP's getenv() take: a POSIX name, a one-line value. A `password` value must be long enough to be
// redacted by value from every log line (MIN_SECRET_LENGTH): a shorter one could not be told from ordinary words.
import { z } from 'zod';
import { serviceNameSchema, wholeNumberSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { ENV_VAR_TYPES, type EnvVarType } from './ovh-enums.js';
import { STEP_DEADLINE_RULES } from './provision-site-rules.js';
import { objectError, parseWith } from './zod-parse.js';

export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_VAR_NAME_MAX_LENGTH = 64;
export const ENV_VAR_VALUE_MAX_LENGTH = 4096;
export const ENV_VAR_PASSWORD_MIN_LENGTH = 8;
export const ENV_VARS_MAX_PER_RUN = 50;
const INTEGER = /^-?\d{1,18}$/;

export interface EnvVarSetting {
  name: string;
  type: EnvVarType;
  value: string;
}

export interface SetEnvVarsInput {
  serviceName: string;
  /** Variables that must exist with this type and value. */
  set: EnvVarSetting[];
  /** Variables that must not exist. */
  unset: string[];
  stepDeadlineMinutes?: number;
}

/** Why a name is not a variable name, or undefined. */
export function envVarNameIssue(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > ENV_VAR_NAME_MAX_LENGTH) return `must be at most ${ENV_VAR_NAME_MAX_LENGTH} characters long`;
  if (!ENV_VAR_NAME_PATTERN.test(name)) return 'a variable name is letters, digits and _, and does not start with a digit (e.g. APP_ENV)';
  return undefined;
}

/** Why a value cannot be a variable of this type, or undefined. Never quotes the value: it may be a secret. */
export function envVarValueIssue(type: EnvVarType, value: string): string | undefined {
  if (value.length === 0) return 'must not be empty (to remove a variable, unset it)';
  if (value.length > ENV_VAR_VALUE_MAX_LENGTH) return `must be at most ${ENV_VAR_VALUE_MAX_LENGTH} characters long`;
  if (/[\r\n\0]/.test(value)) return 'must be one line (no line break or NUL character)';
  if (type === 'integer' && !INTEGER.test(value)) return 'an integer variable takes a whole number, e.g. 42 or -1';
  if (type === 'password' && value.length < ENV_VAR_PASSWORD_MIN_LENGTH) return `a password variable must be at least ${ENV_VAR_PASSWORD_MIN_LENGTH} characters long`;
  return undefined;
}

/** A variable name (reused by inputs that embed variables, e.g. a provisioning's). */
export const envVarNameSchema = z.string().superRefine((name, ctx) => {
  const issue = envVarNameIssue(name);
  if (issue) ctx.addIssue({ code: 'custom', message: issue });
});

/** One variable to set: `{name, value, type?}` (reused by inputs that embed variables). */
export const envVarSettingSchema = z
  .strictObject(
    {
      name: envVarNameSchema,
      type: z.enum(ENV_VAR_TYPES).optional(),
      // An integer may come as a JSON number.
      value: z.union([z.string(), z.number().int().transform(String)]),
    },
    { error: objectError('an object with "name", "value" and optionally "type" (string, integer or password)') },
  )
  .superRefine((setting, ctx) => {
    const issue = envVarValueIssue(setting.type ?? 'string', setting.value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue, path: ['value'] });
  });

/** Variables to set, each named once, the type `string` when not given: provisioning's `env`. */
export const envVarSettingsSchema = z
  .array(envVarSettingSchema)
  .max(ENV_VARS_MAX_PER_RUN)
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.forEach((setting, index) => {
      if (seen.has(setting.name)) ctx.addIssue({ code: 'custom', message: `${setting.name} is given twice`, path: [index, 'name'] });
      seen.add(setting.name);
    });
  })
  .transform((set): EnvVarSetting[] => set.map((setting) => ({ name: setting.name, type: setting.type ?? 'string', value: setting.value })));

export const setEnvVarsInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      set: z.array(envVarSettingSchema).max(ENV_VARS_MAX_PER_RUN).optional(),
      unset: z.array(envVarNameSchema).max(ENV_VARS_MAX_PER_RUN).optional(),
      // Not provision-site.ts's schema: that module imports this one (provisioning takes variables).
      stepDeadlineMinutes: wholeNumberSchema(STEP_DEADLINE_RULES).optional(),
    },
    { error: objectError('an object with "serviceName" and "set" (variables: name, value, type) and/or "unset" (names)') },
  )
  .superRefine((input, ctx) => {
    const set = input.set ?? [];
    const unset = input.unset ?? [];
    if (set.length === 0 && unset.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one variable to set or to unset' });
    const seen = new Set<string>();
    set.forEach((setting, index) => {
      if (seen.has(setting.name)) ctx.addIssue({ code: 'custom', message: `${setting.name} is given twice`, path: ['set', index, 'name'] });
      seen.add(setting.name);
    });
    unset.forEach((name, index) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `${name} is both set and unset: choose one`, path: ['unset', index] });
      seen.add(name);
    });
  })
  .transform(
    (input): SetEnvVarsInput =>
      withoutUndefined({
        serviceName: input.serviceName,
        set: (input.set ?? []).map((setting) => ({ name: setting.name, type: setting.type ?? 'string', value: setting.value })),
        unset: input.unset ?? [],
        stepDeadlineMinutes: input.stepDeadlineMinutes,
      }),
  );

export type SetEnvVarsRequest = z.input<typeof setEnvVarsInputSchema>;

export function parseSetEnvVarsInput(raw: unknown): ParseResult<SetEnvVarsInput> {
  return parseWith(setEnvVarsInputSchema, raw);
}

/**
 * `NAME=VALUE` or `NAME:TYPE=VALUE` (the CLI's arguments, the console's lines) as a raw setting for the parser, which
 * names what is wrong; `undefined` when there is no `=` at all. The value is everything after the first `=`.
 */
export function rawSettingOf(assignment: string, defaultType?: string): { name: string; type?: string; value: string } | undefined {
  const equals = assignment.indexOf('=');
  if (equals < 0) return undefined;
  const left = assignment.slice(0, equals);
  const colon = left.indexOf(':');
  const name = colon < 0 ? left : left.slice(0, colon);
  const type = colon < 0 ? defaultType : left.slice(colon + 1);
  return { name, ...(type !== undefined ? { type } : {}), value: assignment.slice(equals + 1) };
}
