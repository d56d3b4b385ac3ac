// POST /v1/applies: `ovhflow apply --yes` over HTTP. The body is a fleet file (YAML or JSON) or a plan saved by
// `plan --out`; the API plans it again (the worker reads OVH), refuses a saved plan OVH has changed since (409, with
// the sites), and starts ONE applyFleet run with a child run per change (202), or starts nothing when there is
// nothing to do (200). The POST is the confirmation; the console's apply button confirms first and then starts the
// run through the same functions. Secret references are refused here: the API's process holds ovhflow's own secrets,
// which a reference would hand out.
import type { FastifyInstance } from 'fastify';
import { ApplyInputError, asSavedPlan, prepareApply, refusingResolver, type PreparedApply } from '../../fleet/apply-items.js';
import { parseFleetFile, parseFleetValue } from '../../fleet/file.js';
import type { AskFleetRead } from '../../fleet/plan.js';
import { newRequestId, type RunRef, type RunService } from '../../runs/service.js';
import { resolveAccount, UnknownAccountError } from '../../shared/accounts.js';
import { DEFAULT_APPLY_PARALLEL, MAX_APPLY_PARALLEL, type ApplyTask } from '../../shared/apply.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../../shared/fleet.js';
import { askWorkerForApi } from '../ask-worker.js';
import { ApiError, invalidInput } from '../errors.js';
import { errorResponses, startedSchema } from '../schemas.js';
import { answer } from './starts.js';

const ASK_TIMEOUT_SECONDS = 900;
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/**
 * The apply of the HTTP API and of the console's apply button: the file planned again on the workers (checked
 * against what the confirmed plan read, when given), with no secret reference read.
 */
export function prepareApiApply(runs: RunService, source: Parameters<typeof prepareApply>[0], options: { prune: boolean }): Promise<PreparedApply> {
  const ask: AskFleetRead = (account, readRequest) =>
    askWorkerForApi<FleetReadResult>(runs, { workflowType: 'fleetRead', idPrefix: FLEET_READ_WORKFLOW_PREFIX, args: [readRequest], timeoutSeconds: ASK_TIMEOUT_SECONDS, account });
  return prepareApply(source, ask, refusingResolver, options);
}

/** ONE applyFleet run for the planned changes; the same `requestId` finds the run already started. */
export function startApplyRun(runs: RunService, tasks: ApplyTask[], parallel: number, requestId: string = newRequestId()): Promise<RunRef> {
  const account = runs.accounts.defaultAccount ?? (tasks[0] as ApplyTask).account;
  return runs.start('apply', { tasks, parallel, accounts: runs.accounts }, { account, requestId });
}

export function registerApplyRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/v1/applies',
      {
        schema: {
          tags: ['fleet'],
          summary: 'Apply a fleet file (or a saved plan): one applyFleet run, one child run per planned change',
          description:
            'Like `ovhflow apply FILE --yes`. The body is the fleet file (YAML with `Content-Type: application/yaml`, or JSON) or a plan saved by `ovhflow plan --out`. The file is planned again: nothing to do answers 200 `{ applied: false, plan }` and starts nothing; a saved plan whose sites OVH has changed since answers 409 `plan_stale` naming them, nothing started; otherwise 202 with the applyFleet run (`apply-fleet/<uuid>`), whose result lists done, failed and needs-attention sites with their child run ids. `?parallel=N` child runs at once per account (default 4); `?prune=true` decommissions the sites the plan reports unmanaged, each waiting for its own confirmation.',
          querystring: {
            type: 'object',
            properties: { parallel: { type: 'integer', minimum: 1, maximum: MAX_APPLY_PARALLEL }, prune: { type: 'boolean' } },
            additionalProperties: false,
          },
          body: { description: 'the fleet file (`ovhflow fleet schema`), or a saved plan' },
          response: { 202: startedSchema, 200: { type: 'object', additionalProperties: true, properties: { applied: { type: 'boolean' } } }, ...errorResponses(400, 401, 409, 502, 504) },
        },
      },
      async (request, reply) => {
        const saved = typeof request.body === 'string' ? undefined : asSavedPlan(request.body);
        const parsed = saved ? parseFleetValue(saved.file) : typeof request.body === 'string' ? parseFleetFile(request.body, 'body') : parseFleetValue(request.body);
        if (!parsed.ok) throw invalidInput(parsed.issues, 'invalid fleet file, nothing was started');
        const file = parsed.value;
        for (const account of Object.keys(file.accounts)) {
          try {
            resolveAccount(runs.accounts, account);
          } catch (error) {
            if (error instanceof UnknownAccountError) throw new ApiError(400, 'unknown_account', error.message);
            throw error;
          }
        }
        const query = request.query as { parallel?: number; prune?: boolean };
        let prepared;
        try {
          prepared = await prepareApiApply(runs, { file, ...(saved ? { saved } : {}) }, { prune: query.prune ?? false });
        } catch (error) {
          if (error instanceof ApplyInputError) throw invalidInput(error.issues, 'invalid fleet file, nothing was started');
          throw error;
        }
        if (prepared.outcome === 'unreadable') throw new ApiError(502, 'ovh_unreadable', `OVH could not be read fully, nothing was started: ${prepared.plan.failures.map((f) => `${f.serviceName ?? f.account}: ${f.message}`).join('; ')}`);
        if (prepared.outcome === 'stale') throw new ApiError(409, 'plan_stale', `the saved plan is stale: OVH changed since it was made for ${prepared.changed.join('; ')}; nothing was started: plan again`);
        if (prepared.outcome === 'nothing') return reply.status(200).send({ applied: false, plan: prepared.plan });
        const ref = await startApplyRun(runs, prepared.tasks, query.parallel ?? DEFAULT_APPLY_PARALLEL);
        request.log.info({ workflowId: ref.workflowId, changes: prepared.tasks.length }, 'apply run started');
        return answer(runs, reply, ref);
      },
    );
  });
}
