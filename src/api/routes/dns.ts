// GET /v1/dns/check: `ovhflow dns check` over HTTP. Read-only; answered by the worker (the API holds no OVH
// credentials), through the same short `dnsCheck` workflow the CLI starts.
import type { FastifyInstance } from 'fastify';
import { askWorkerWith, WorkerAnswerError } from '../../cli/ask-worker.js';
import type { RunService } from '../../runs/service.js';
import { DNS_CHECK_WORKFLOW_PREFIX, type DnsReport } from '../../shared/dns.js';
import { FAILURE_TYPES } from '../../shared/failures.js';
import { parseWith } from '../../shared/inputs/index.js';
import { ApiError, invalidInput } from '../errors.js';
import { dnsCheckQuerySchema, dnsReportSchema, errorResponses, jsonSchemaOf } from '../schemas.js';

const ASK_TIMEOUT_SECONDS = 30;

export function registerDnsRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.get(
    '/v1/dns/check',
    {
      schema: {
        tags: ['dns'],
        summary: 'Does a domain point at its hosting, and which records would make it',
        description:
          'Like `ovhflow dns check`: read-only (OVH digStatus, the account\'s DNS zones, the hosting token), zero writes. `pointsAtHosting` says whether a Let\'s Encrypt certificate can cover the domain; `records` lists exactly what to create or change.',
        querystring: jsonSchemaOf(dnsCheckQuerySchema),
        response: { 200: dnsReportSchema, ...errorResponses(400, 401, 404, 502, 503, 504) },
      },
    },
    async (request) => {
      const query = parseWith(dnsCheckQuerySchema, request.query ?? {});
      if (!query.ok) throw invalidInput(query.issues, 'invalid query, nothing was checked');
      const target = { temporal: { taskQueue: runs.taskQueue, namespace: runs.client.options.namespace, address: "the API's Temporal server" } };
      try {
        return await askWorkerWith<DnsReport>(runs.client, target, {
          workflowType: 'dnsCheck',
          idPrefix: DNS_CHECK_WORKFLOW_PREFIX,
          args: [query.value],
          timeoutSeconds: ASK_TIMEOUT_SECONDS,
        });
      } catch (error) {
        if (!(error instanceof WorkerAnswerError)) throw error;
        if (error.failureType === FAILURE_TYPES.notFound) throw new ApiError(404, 'not_found', error.message);
        if (error.failureType === 'WorkerTimeout') throw new ApiError(504, 'worker_timeout', error.message);
        throw new ApiError(502, 'worker_failed', `${error.message}${error.hint ? ` (${error.hint})` : ''}`);
      }
    },
  );
}
