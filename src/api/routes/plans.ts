// POST /v1/plans: `ovhflow plan` over HTTP. The body is a fleet file, YAML (application/yaml, text/yaml, text/plain)
// or JSON; the answer is the plan. A read, not a run: the worker reads OVH (the API holds no OVH credentials) and
// nothing is written. A bad file is a 400 with each problem; an account the API does not know is a 400 as well.
import type { FastifyInstance } from 'fastify';
import { parseFleetFile, parseFleetValue } from '../../fleet/file.js';
import { planFleet, unknownSites, type AskFleetRead } from '../../fleet/plan.js';
import type { RunService } from '../../runs/service.js';
import { resolveAccount, UnknownAccountError } from '../../shared/accounts.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../../shared/fleet.js';
import { askWorkerForApi } from '../ask-worker.js';
import { ApiError, invalidInput } from '../errors.js';
import { errorResponses } from '../schemas.js';

/** A plan of a big fleet reads for minutes at OVH's rate limit. */
const ASK_TIMEOUT_SECONDS = 900;
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

export function registerPlanRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  // Encapsulated: the YAML body parser serves this route only.
  void app.register(async (scope) => {
    scope.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/v1/plans',
      {
        schema: {
          tags: ['fleet'],
          summary: 'Plan a fleet file: what applying it would change, read from OVH (nothing is written)',
          description:
            'Like `ovhflow plan FILE --json`. The body is the fleet file, as YAML (`Content-Type: application/yaml`) or JSON; `?site=DOMAIN` (repeatable) plans those sites only. Answers `{ summary: { create, change, blocked, unmanaged }, sites, services, reads, failures }`; `failures` lists what OVH could not be read (the plan is then incomplete). A read, not a run.',
          querystring: { type: 'object', properties: { site: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } }, additionalProperties: false },
          body: { description: 'the fleet file (`ovhflow fleet schema`)' },
          response: { 200: { type: 'object', additionalProperties: true, properties: { summary: { type: 'object', additionalProperties: true } } }, ...errorResponses(400, 401, 502, 504) },
        },
      },
      async (request) => {
        const parsed = typeof request.body === 'string' ? parseFleetFile(request.body, 'body') : parseFleetValue(request.body);
        if (!parsed.ok) throw invalidInput(parsed.issues, 'invalid fleet file, nothing was read');
        const file = parsed.value;
        const raw = (request.query as { site?: string | string[] }).site;
        const sites = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        const missing = unknownSites(file, sites);
        if (missing.length > 0) throw new ApiError(400, 'invalid_input', `site ${missing.join(', ')}: no site of the file has this domain`);
        for (const account of Object.keys(file.accounts)) {
          try {
            resolveAccount(runs.accounts, account);
          } catch (error) {
            if (error instanceof UnknownAccountError) throw new ApiError(400, 'unknown_account', error.message);
            throw error;
          }
        }
        const ask: AskFleetRead = (account, readRequest) =>
          askWorkerForApi<FleetReadResult>(runs, { workflowType: 'fleetRead', idPrefix: FLEET_READ_WORKFLOW_PREFIX, args: [readRequest], timeoutSeconds: ASK_TIMEOUT_SECONDS, account });
        return planFleet(file, { sites }, ask);
      },
    );
  });
}
