// GET /v1/dns/check: `ovhflow dns check` over HTTP. Read-only; answered by the worker (the API holds no OVH
// credentials), through the same short `dnsCheck` workflow the CLI starts.
import type { FastifyInstance } from 'fastify';
import { askWorkerForApi } from '../ask-worker.js';
import type { RunService } from '../../runs/service.js';
import { DNS_CHECK_WORKFLOW_PREFIX, type DnsReport } from '../../shared/dns.js';
import { parseWith } from '../../shared/inputs/index.js';
import { invalidInput } from '../errors.js';
import { resolveAccount } from '../../shared/accounts.js';
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
          'Like `ovhflow dns check`: read-only (OVH digStatus, the account\'s DNS zones, the hosting token), zero writes. `account` names the OVH account (default: the default one). `pointsAtHosting` says whether a Let\'s Encrypt certificate can cover the domain; `records` lists exactly what to create or change.',
        querystring: jsonSchemaOf(dnsCheckQuerySchema),
        response: { 200: dnsReportSchema, ...errorResponses(400, 401, 404, 502, 503, 504) },
      },
    },
    async (request) => {
      const query = parseWith(dnsCheckQuerySchema, request.query ?? {});
      if (!query.ok) throw invalidInput(query.issues, 'invalid query, nothing was checked');
      const { account, ...check } = query.value;
      return askWorkerForApi<DnsReport>(runs, {
        workflowType: 'dnsCheck',
        idPrefix: DNS_CHECK_WORKFLOW_PREFIX,
        args: [check],
        timeoutSeconds: ASK_TIMEOUT_SECONDS,
        account: resolveAccount(runs.accounts, account),
      });
    },
  );
}
