// renewCertificate's input: a custom certificate (with its key and optional chain) to replace the hosting's, or a
// new Let's Encrypt certificate. The X.509 checks that need Node (key matches, chain, expiry, domains) are in
// src/inputs/certificate.ts; these are the shape rules the sandbox shares.
import { z } from 'zod';
import { domainSchema, serviceNameSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { certificatePemSchema, chainPemSchema, privateKeyPemSchema } from './provision-site.js';
import { objectError, parseWith } from './zod-parse.js';

export type RenewCertificateInput =
  /** `domain`: that attached domain's own certificate (OVH's per-domain certificates), not the hosting's. */
  | { serviceName: string; mode: 'letsencrypt'; confirmed: boolean; domain?: string }
  | {
      serviceName: string;
      mode: 'custom';
      /** The caller has confirmed that the current certificate may be removed (a replacement); otherwise the run waits. */
      confirmed: boolean;
      certificate: string;
      /** A secret: encrypted in every payload, registered for redaction before any log line. */
      key: string;
      chain?: string;
      /**
       * The certificate being replaced, when the caller has it: OVH's API does not expose the installed certificate
       * (no PEM, no expiry), so this is how the "expires later than the current one" rule can be checked.
       */
      currentCertificate?: string;
    };

export const renewCertificateInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      mode: z.enum(['custom', 'letsencrypt'], { error: () => 'must be "custom" (with certificate and key) or "letsencrypt"' }),
      certificate: certificatePemSchema.optional(),
      key: privateKeyPemSchema.optional(),
      chain: chainPemSchema.optional(),
      currentCertificate: certificatePemSchema.optional(),
      domain: domainSchema.optional(),
      confirmed: z.boolean({ error: () => 'must be true or false' }).default(false),
    },
    { error: objectError('an object with "serviceName" and "mode"') },
  )
  .superRefine((input, ctx) => {
    if (input.mode === 'custom') {
      if (input.certificate === undefined) ctx.addIssue({ code: 'custom', path: ['certificate'], message: 'is required with mode "custom"' });
      if (input.key === undefined) ctx.addIssue({ code: 'custom', path: ['key'], message: 'is required with mode "custom"' });
      if (input.domain !== undefined) ctx.addIssue({ code: 'custom', path: ['domain'], message: 'is only for mode "letsencrypt" (OVH imports a custom certificate for the whole hosting)' });
    } else {
      for (const field of ['certificate', 'key', 'chain', 'currentCertificate'] as const) {
        if (input[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is only for mode "custom" (Let\'s Encrypt issues its own)' });
      }
    }
  })
  .transform((input): RenewCertificateInput => withoutUndefined(input) as RenewCertificateInput);

export type RenewCertificateRequest = z.input<typeof renewCertificateInputSchema>;

export function parseRenewCertificateInput(raw: unknown): ParseResult<RenewCertificateInput> {
  return parseWith(renewCertificateInputSchema, raw);
}
