// setPhpConfig's input: a folder's `.ovhconfig` (the home's by default) and the settings it must have — at least one.
// Values are the 2026 schema's enumerations (ovh-enums.ts); whether the hosting offers a version is checked by the
// run against `ovhConfigCapabilities`, before any write.
import { z } from 'zod';
import { homePathSchema, serviceNameSchema, wholeNumberSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { PHP_CONTAINERS, PHP_ENGINES, PHP_ENVIRONMENTS, PHP_HTTP_FIREWALLS, PHP_VERSIONS, type PhpContainer, type PhpEngine, type PhpEnvironment, type PhpHttpFirewall, type PhpVersion } from './ovh-enums.js';
import { STEP_DEADLINE_RULES } from './provision-site-rules.js';
import { objectError, parseWith } from './zod-parse.js';

/** The settings of a `.ovhconfig` a run can set, as `changeConfiguration` names them. */
export interface PhpSettings {
  engineName?: PhpEngine;
  engineVersion?: PhpVersion;
  environment?: PhpEnvironment;
  httpFirewall?: PhpHttpFirewall;
  container?: PhpContainer;
}

export const PHP_SETTINGS = ['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const satisfies ReadonlyArray<keyof PhpSettings>;

export interface SetPhpConfigInput extends PhpSettings {
  serviceName: string;
  /** The folder, relative to the home; `''` is the home itself (OVH's name for it). */
  path: string;
  stepDeadlineMinutes?: number;
}

export const setPhpConfigInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      path: homePathSchema.optional(),
      engineName: z.enum(PHP_ENGINES).optional(),
      engineVersion: z.enum(PHP_VERSIONS).optional(),
      environment: z.enum(PHP_ENVIRONMENTS).optional(),
      httpFirewall: z.enum(PHP_HTTP_FIREWALLS).optional(),
      container: z.enum(PHP_CONTAINERS).optional(),
      // Not provision-site.ts's schema: that module imports this one (provisioning takes PHP settings).
      stepDeadlineMinutes: wholeNumberSchema(STEP_DEADLINE_RULES).optional(),
    },
    { error: objectError('an object with "serviceName" and the settings to set, e.g. "engineVersion"') },
  )
  .superRefine((input, ctx) => {
    if (PHP_SETTINGS.every((key) => input[key] === undefined)) {
      ctx.addIssue({ code: 'custom', message: `give at least one setting: ${PHP_SETTINGS.join(', ')}` });
    }
  })
  .transform(
    (input): SetPhpConfigInput =>
      withoutUndefined({
        serviceName: input.serviceName,
        // `.` (the home, as the other inputs write it) is `''` for OVH.
        path: input.path === undefined || input.path === '.' ? '' : input.path,
        engineName: input.engineName,
        engineVersion: input.engineVersion,
        environment: input.environment,
        httpFirewall: input.httpFirewall,
        container: input.container,
        stepDeadlineMinutes: input.stepDeadlineMinutes,
      }),
  );

/**
 * The `.ovhconfig` settings a provisioning asks for its site's folder: at least one; the shorthand `"8.3"` is just the
 * version.
 */
export const phpSettingsSchema = z
  .preprocess(
    (raw) => (typeof raw === 'string' || typeof raw === 'number' ? { engineVersion: String(raw) } : raw),
    z.strictObject(
      {
        engineName: z.enum(PHP_ENGINES).optional(),
        engineVersion: z.enum(PHP_VERSIONS).optional(),
        environment: z.enum(PHP_ENVIRONMENTS).optional(),
        httpFirewall: z.enum(PHP_HTTP_FIREWALLS).optional(),
        container: z.enum(PHP_CONTAINERS).optional(),
      },
      { error: objectError('a PHP version such as "8.3", or an object with engineVersion, engineName, environment, httpFirewall, container') },
    ),
  )
  .superRefine((settings, ctx) => {
    if (PHP_SETTINGS.every((key) => settings[key] === undefined)) {
      ctx.addIssue({ code: 'custom', message: `give at least one setting: ${PHP_SETTINGS.join(', ')}` });
    }
  })
  .transform((settings): PhpSettings => withoutUndefined(settings));

export type SetPhpConfigRequest = z.input<typeof setPhpConfigInputSchema>;

export function parseSetPhpConfigInput(raw: unknown): ParseResult<SetPhpConfigInput> {
  return parseWith(setPhpConfigInputSchema, raw);
}
