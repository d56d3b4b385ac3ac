// Temporal's remote codec protocol, for the Temporal UI and CLI: POST {prefix}/encode and {prefix}/decode take and
// return `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (the proto JSON form of Payloads), run through
// the same EncryptionCodec the workers use. Decoding shows secrets in clear, so it is authenticated like the rest.
import type { Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EncryptionCodec } from '../../codec/encryption-codec.js';
import type { Keyring } from '../../codec/keyring.js';
import { parseWith } from '../../shared/inputs/index.js';
import { codecLoginPage, type codecSessions } from '../codec-session.js';
import { ApiError, invalidInput } from '../errors.js';
import { jsonSchemaOf, errorResponses } from '../schemas.js';

/** Temporal's own limit on one payload is 2 MB; a UI batch holds several, each a third larger once base64-encoded. */
export const DEFAULT_CODEC_BODY_LIMIT = 8 * 1024 * 1024;
const MAX_PAYLOADS = 10_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

export const codecBodySchema = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), base64).nullish(),
        data: base64.nullish(),
      }),
    )
    .max(MAX_PAYLOADS),
});
type JsonPayload = z.infer<typeof codecBodySchema>['payloads'][number];

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

export function registerCodecRoutes(
  app: FastifyInstance,
  options: { keyring: Keyring; prefix: string; bodyLimit: number; sessions: ReturnType<typeof codecSessions> },
): void {
  const codec = new EncryptionCodec(options.keyring);
  const payloadsSchema = jsonSchemaOf(codecBodySchema);

  for (const direction of ['encode', 'decode'] as const) {
    app.post(
      `${options.prefix}/${direction}`,
      {
        bodyLimit: options.bodyLimit,
        config: { codecSession: true },
        schema: {
          tags: ['codec'],
          summary: direction === 'decode' ? 'Decrypt payloads (Temporal remote codec protocol)' : 'Encrypt payloads (Temporal remote codec protocol)',
          description:
            direction === 'decode'
              ? 'What the Temporal UI and CLI call to show ovhflow payloads in clear. The answer contains secrets (generated passwords, private keys) in clear. Accepts the bearer token or a codec session cookie (GET /codec/login).'
              : 'Encrypts payloads with the active key, as the workers do (the UI uses this to send signals or updates with encrypted arguments).',
          body: payloadsSchema,
          response: { 200: payloadsSchema, ...errorResponses(400, 401, 413) },
        },
      },
      async (request) => {
        const parsed = parseWith(codecBodySchema, request.body);
        if (!parsed.ok) throw invalidInput(parsed.issues, 'not a codec request: expected { "payloads": [{ "metadata": {...}, "data": "<base64>" }] }');
        const payloads = parsed.value.payloads.map(fromJson);
        let converted: Payload[];
        try {
          converted = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
        } catch (error) {
          // A payload from another key, or tampered with. The codec's messages never contain payload data.
          const reason = /not configured/.test((error as Error).message) ? (error as Error).message : 'a payload could not be decrypted (wrong key, or altered)';
          throw new ApiError(400, 'undecodable_payload', reason);
        }
        request.log.debug({ namespace: request.headers['x-namespace'], count: converted.length }, `codec ${direction}`);
        return { payloads: converted.map(toJson) };
      },
    );
  }

  app.post(
    `${options.prefix}/session`,
    {
      schema: {
        tags: ['codec'],
        summary: 'Start a codec session for this browser',
        description: `Answers with an HttpOnly, SameSite=Strict cookie valid for ${options.prefix}/* only, so the Temporal UI can decode with "Include cross-origin credentials" when it has no access token to pass.`,
        response: { 204: { description: 'Session started (Set-Cookie)' }, ...errorResponses(401) },
      },
    },
    async (request, reply) => reply.status(204).header('Set-Cookie', options.sessions.issue(request)).header('Cache-Control', 'no-store').send(),
  );

  app.delete(
    `${options.prefix}/session`,
    {
      config: { public: true },
      schema: { tags: ['codec'], summary: 'End the codec session of this browser', security: [], response: { 204: { description: 'Session ended' } } },
    },
    async (request, reply) => reply.status(204).header('Set-Cookie', options.sessions.end(request)).send(),
  );

  app.get(
    `${options.prefix}/login`,
    {
      config: { public: true },
      schema: { tags: ['codec'], summary: 'A page to start a codec session in the browser that runs the Temporal UI', security: [], response: { 200: { description: 'An HTML page (text/html)' } } },
    },
    async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header(
          'Content-Security-Policy',
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        )
        .header('Cache-Control', 'no-store')
        .send(codecLoginPage(`${options.prefix}/session`)),
  );
}
