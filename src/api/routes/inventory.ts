// Read-only inventory over HTTP: GET /v1/inventory/{services|databases|modules|users|dumps|tasks|php|env|websites|crons|runtimes}, what `ovhflow ls`
// shows. The API process holds no OVH credentials: like the CLI, it asks the worker (the `inventory` workflow) and
// pages the rows it answers. Bad filters are a 400 before the worker is asked; an unknown listing or hosting service
// is a 404; another failure a 502; no worker in time a 504 (../ask-worker.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RunService } from '../../runs/service.js';
import { parseWith } from '../../shared/inputs/index.js';
import {
  INVENTORY_KINDS,
  INVENTORY_WORKFLOW_PREFIX,
  inventoryRequestIssue,
  MAX_TASK_LIMIT,
  type InventoryKind,
  type InventoryRequest,
  type InventoryResult,
} from '../../shared/inventory.js';
import { resolveAccount } from '../../shared/accounts.js';
import { askWorkerForApi } from '../ask-worker.js';
import { ApiError, invalidInput } from '../errors.js';
import { errorResponses, inventoryPageSchema, inventoryParamsSchema, inventoryQuerySchema, jsonSchemaOf } from '../schemas.js';

/** How long the API waits for the worker's answer before a 504. */
const WORKER_ANSWER_SECONDS = 30;

/** The shared rules speak the CLI's flags (`--service`); the query parameters have the same names without dashes. */
const asQueryParameters = (message: string) => message.replace(/--([a-z]+)/g, '"$1"');

export function registerInventoryRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.get(
    '/v1/inventory/:kind',
    {
      schema: {
        tags: ['inventory'],
        summary: "Inventory: hosting services, databases, modules (catalog or installed), FTP/SSH users, dumps, OVH tasks, each folder's PHP (.ovhconfig), environment variables (password values masked), Git website links, cron jobs, runtimes and the domains using them",
        description:
          'What `ovhflow ls <kind> --json` prints, one page at a time (`limit`, default 100, at most 1000; `offset`; `next` links the following page). `account` names the OVH account (default: the default one); `service` narrows to one hosting service and is required for dumps, tasks, php, env, websites, crons, runtimes and `installed=true`; `database` for databases and dumps; `status` keeps rows with that status (tasks: OVH\'s filter); `function` filters tasks (e.g. database/create). Tasks are the most recent first, at most 500. Answered by a worker (the only process with OVH credentials).',
        params: inventoryParamsSchema,
        querystring: jsonSchemaOf(inventoryQuerySchema),
        response: { 200: inventoryPageSchema, ...errorResponses(400, 401, 404, 502, 504) },
      },
    },
    async (request: FastifyRequest) => {
      const { kind } = request.params as { kind: string };
      if (!(INVENTORY_KINDS as readonly string[]).includes(kind)) {
        throw new ApiError(404, 'not_found', `no inventory "${kind.slice(0, 100)}": one of ${INVENTORY_KINDS.join(', ')}`);
      }
      const query = parseWith(inventoryQuerySchema, request.query ?? {});
      if (!query.ok) throw invalidInput(query.issues, 'invalid query');
      const { account, service, database, installed, status, function: fn, limit, offset } = query.value;
      // Tasks are listed newest first up to a limit the worker applies: ask for what this page needs.
      const taskLimit = kind === 'tasks' ? Math.min(offset + limit, MAX_TASK_LIMIT) : undefined;
      const filters = {
        ...(installed === 'true' ? { installed: true } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(fn !== undefined ? { function: fn } : {}),
        ...(taskLimit !== undefined ? { limit: taskLimit } : {}),
      };
      const inventoryRequest: InventoryRequest = {
        kind: kind as InventoryKind,
        ...(service !== undefined ? { serviceName: service } : {}),
        ...(database !== undefined ? { database } : {}),
        ...(Object.keys(filters).length > 0 ? { filters } : {}),
      };
      const issue = inventoryRequestIssue(inventoryRequest);
      if (issue) throw new ApiError(400, 'invalid_input', asQueryParameters(issue));

      const result = await askWorkerForApi<InventoryResult>(
        runs,
        { workflowType: 'inventory', idPrefix: INVENTORY_WORKFLOW_PREFIX, args: [inventoryRequest], timeoutSeconds: WORKER_ANSWER_SECONDS, account: resolveAccount(runs.accounts, account) },
        asQueryParameters,
      );
      const total = result.rows.length + (result.omitted ?? 0);
      const items = result.rows.slice(offset, offset + limit);
      // Tasks: only the most recent MAX_TASK_LIMIT can be paged through.
      const more = offset + items.length < (kind === 'tasks' ? Math.min(total, MAX_TASK_LIMIT) : total);
      return {
        kind,
        items,
        total,
        offset,
        limit,
        ...(more ? { next: nextPage(request.url, offset + limit) } : {}),
      };
    },
  );
}

/** The same listing's URL with another offset. */
function nextPage(url: string, offset: number): string {
  const parsed = new URL(url, 'http://api');
  parsed.searchParams.set('offset', String(offset));
  return `${parsed.pathname}${parsed.search}`;
}
