// Reading runs and deciding for them: GET /v1/runs, GET /v1/runs/{id}, POST /v1/runs/{id}/retry|skip|abort|confirm.
// Workflow ids contain slashes (`provision-site/<service>/<domain>`): the documented form URL-encodes them as one path
// parameter, and the raw slashed form is accepted too through wildcard routes, since people paste ids as they see them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runJson } from '../../runs/run-json.js';
import type { RunService } from '../../runs/service.js';
import { parseWith } from '../../shared/inputs/index.js';
import type { DecisionAck } from '../../shared/runs.js';
import { ApiError, invalidInput } from '../errors.js';
import {
  decisionAckSchema,
  emptyBodySchema,
  errorResponses,
  jsonSchemaOf,
  retryBodySchema,
  runIdParamsSchema,
  runListQuerySchema,
  runListSchema,
  runSchema,
} from '../schemas.js';

const DECISIONS = ['retry', 'skip', 'abort', 'confirm'] as const;
type Decision = (typeof DECISIONS)[number];

const DECISION_HELP: Record<Decision, string> = {
  retry: 'Run the failed step again, optionally with corrected inputs (`set`: ["key=value", ...], as `ovhflow retry --set`)',
  skip: 'Skip the failed step and go on',
  abort: 'Stop the run and undo what it created, in reverse order',
  confirm: 'Give a restore, a decommission or a certificate replacement started without `confirmed: true` its go-ahead',
};

/** The path of a run, as the Location header and links give it. */
export function runLocation(workflowId: string): string {
  return `/v1/runs/${encodeURIComponent(workflowId)}`;
}

function runIdOf(request: FastifyRequest): string {
  const params = request.params as { id?: string; '*'?: string };
  const id = params.id ?? params['*'] ?? '';
  if (id === '' || id.length > 1000) throw new ApiError(404, 'run_not_found', 'give a run id: /v1/runs/{workflowId}');
  return id;
}

export function registerRunRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.get(
    '/v1/runs',
    {
      schema: {
        tags: ['runs'],
        summary: 'List runs',
        description: 'Newest first, like `ovhflow runs`. `status=needs-attention` lists the runs waiting for an operator.',
        querystring: jsonSchemaOf(runListQuerySchema),
        response: { 200: runListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const query = parseWith(runListQuerySchema, request.query);
      if (!query.ok) throw invalidInput(query.issues, 'invalid query');
      const { status, type, account, limit } = query.value;
      // needs-attention is a search attribute the server filters on; other statuses are filtered here.
      const listed = await runs.listRuns({
        needsAttention: status === 'needs-attention',
        ...(type ? { type } : {}),
        ...(account !== undefined ? { account } : {}),
        limit: status && status !== 'needs-attention' ? 1000 : limit,
      });
      return { runs: (status ? listed.filter((run) => run.status === status) : listed).slice(0, limit) };
    },
  );

  const describe = async (request: FastifyRequest) => runJson(await runs.describeRun(runIdOf(request)));
  const describeSchema = {
    tags: ['runs'],
    summary: "A run's status, steps, what it needs from an operator, and its result",
    description: 'The result of a completed run contains generated passwords in clear (see the `result` property).',
    params: runIdParamsSchema,
    response: { 200: runSchema, ...errorResponses(401, 404) },
  };
  app.get('/v1/runs/:id', { schema: describeSchema }, describe);
  app.get('/v1/runs/*', { config: { hidden: true } }, describe);

  const decide = async (request: FastifyRequest, workflowId: string, decision: Decision) => {
    let ack: DecisionAck;
    if (decision === 'retry') {
      const body = parseWith(retryBodySchema, request.body ?? {});
      if (!body.ok) throw invalidInput(body.issues, 'invalid retry request, nothing was decided');
      ack = await runs.retry(workflowId, body.value.set ?? []);
    } else {
      const body = parseWith(emptyBodySchema, request.body ?? {});
      if (!body.ok) throw invalidInput(body.issues, `${decision} takes no parameters, nothing was decided`);
      ack = decision === 'skip' ? await runs.skip(workflowId) : decision === 'abort' ? await runs.abort(workflowId) : await runs.confirm(workflowId);
    }
    request.log.info({ workflowId, step: ack.step, decision: ack.decision }, 'operator decision accepted');
    return { workflowId, ...ack };
  };

  for (const decision of DECISIONS) {
    app.post(
      `/v1/runs/:id/${decision}`,
      {
        schema: {
          tags: ['runs'],
          summary: DECISION_HELP[decision],
          params: runIdParamsSchema,
          ...(decision === 'retry' ? { body: jsonSchemaOf(retryBodySchema) } : {}),
          response: { 200: decisionAckSchema, ...errorResponses(400, 401, 404, 409) },
        },
      },
      (request) => decide(request, runIdOf(request), decision),
    );
  }
  app.post('/v1/runs/*', { config: { hidden: true } }, (request) => {
    const match = /^(.+)\/(retry|skip|abort|confirm)$/.exec(runIdOf(request));
    if (!match) throw new ApiError(404, 'not_found', 'POST /v1/runs/{id}/retry, /skip, /abort or /confirm');
    return decide(request, match[1] as string, match[2] as Decision);
  });
}
