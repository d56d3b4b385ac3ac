// Starting runs: one POST route per run kind of the table (src/runs/run-kinds.ts). The body is validated with the same
// parse functions as the CLI before anything starts (a bad input is a 400 and zero OVH writes); a run that already exists for the same
// business key is returned (200) instead of starting a second one.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runJson } from '../../runs/run-json.js';
import type { AccountChoice, RunRef, RunService } from '../../runs/service.js';
import { checkServiceExists } from '../../runs/service-check.js';
import { requestIdIssue } from '../../shared/backups.js';
import { RUN_KINDS, runKinds, type RunInput, type RunKind } from '../../runs/run-kinds.js';
import type { RunType } from '../../shared/runs.js';
import { invalidInput } from '../errors.js';
import { errorResponses, runSchema, startedSchema, startRequestSchema } from '../schemas.js';
import { runLocation } from './runs.js';

/** An `Idempotency-Key` a client may send so that retrying its own HTTP call cannot start a second backup. */
export const idempotencyHeader = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
      description:
        'Optional request id (a ticket number, a webhook delivery id): the same key returns the same run instead of starting another. Without it, each call starts a new run (a random UUID), unlike the CLI, which dedupes within a minute.',
    },
  },
};

/** 202 with the new run, or 200 with the existing one (same business key) as it stands. */
export async function answer(runs: RunService, reply: FastifyReply, ref: RunRef) {
  reply.header('Location', runLocation(ref.workflowId));
  if (ref.existing) {
    // The same business run is already known: its current state, not a second run.
    return reply.status(200).send({ ...runJson(await runs.describeRun(ref.workflowId)), existing: true });
  }
  return reply.status(202).send({ workflowId: ref.workflowId, runId: ref.runId, status: 'running' });
}

/**
 * The body without its `account` (the run's OVH account, not an input of the run itself), and that account. A
 * non-string account is an invalid input; an unknown name is refused by the run service (400 unknown_account).
 */
export function splitAccount(body: unknown): { input: unknown; choice: AccountChoice } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('account' in body)) return { input: body, choice: {} };
  const { account, ...input } = body as Record<string, unknown>;
  if (typeof account !== 'string') throw invalidInput([{ field: 'account', message: 'must be the name of an OVH account (a string)' }]);
  return { input, choice: { account } };
}

/** The request id that ends the workflow id: the caller's Idempotency-Key, or a new UUID. */
export function requestIdOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return randomUUID();
  const issue = typeof key === 'string' ? requestIdIssue(key) : 'must be given once';
  if (issue) throw invalidInput([{ field: 'Idempotency-Key', message: issue }]);
  return key as string;
}

/** What a route that starts a run answers. */
export const startResponses = { 202: startedSchema, 200: { ...runSchema, description: 'The same run already existed: its current state, with existing: true' }, ...errorResponses(400, 401, 413) };

/**
 * One `POST` route per run kind the table gives a path: the body is the kind's input (plus `account`), parsed and
 * checked by the table's functions before anything starts; kinds whose runs carry a request id take Idempotency-Key.
 */
export function registerStartRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  for (const [type, kind] of runKinds()) {
    const http = kind.http && 'path' in kind.http ? kind.http : undefined;
    if (!http) continue;
    app.post(
      http.path,
      {
        schema: {
          tags: ['runs'],
          summary: http.summary,
          description: http.description,
          ...(kind.requestId ? { headers: idempotencyHeader } : {}),
          body: startRequestSchema(type),
          response: startResponses,
        },
      },
      async (request, reply) => {
        const { input, choice } = splitAccount(request.body);
        const parsed = parseAndCheck(type, input);
        if (kind.checksService) {
          const missing = await checkServiceExists(runs, { serviceName: (parsed as { serviceName: string }).serviceName, ...choice });
          if (missing) throw invalidInput([missing], `${missing.message}, nothing was started`);
        }
        const ref = await runs.start(type, parsed, { ...choice, ...(kind.requestId ? { requestId: requestIdOf(request) } : {}) });
        request.log.info({ workflowId: ref.workflowId, existing: ref.existing, runType: type }, ref.existing ? `${type} run already known` : `${type} run started`);
        return answer(runs, reply, ref);
      },
    );
  }
}

/** The table's parser, then its checks (certificates): a 400 naming every problem, and nothing started. */
export function parseAndCheck<T extends RunType>(type: T, raw: unknown): RunInput<T> {
  const kind = RUN_KINDS[type] as unknown as RunKind;
  const parsed = kind.parse(raw);
  if (!parsed.ok) throw invalidInput(parsed.issues);
  const issues = kind.check?.(parsed.value) ?? [];
  if (issues.length > 0) throw invalidInput(issues, 'invalid certificate, nothing was started');
  return parsed.value as RunInput<T>;
}
