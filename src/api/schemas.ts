// The JSON Schemas the routes declare and the OpenAPI document publishes. Request bodies are the very zod schemas the
// CLI and the workflows validate with (converted by z.toJSONSchema), so the document cannot drift from what is
// enforced; answers are described here. Validation itself is done by the shared parse functions, not from these.
import { z } from 'zod';
import { sshStateSchema, SSL_MODES, OVH_BACKUP_DATES } from '../shared/inputs/index.js';
import { RUN_KINDS, type RunKind } from '../runs/run-kinds.js';
import { INVENTORY_KINDS } from '../shared/inventory.js';
import { RUN_STATUSES, RUN_TYPES, type RunType } from '../shared/runs.js';
import { domainSchema, serviceNameSchema } from '../shared/inputs/field-schemas.js';

export type JsonSchema = Record<string, unknown>;

/** A zod schema as plain JSON Schema (2020-12, the dialect OpenAPI 3.1 uses), without the `$schema` marker. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

// The shorthands the parsers accept before their object forms (`"ssl": "none"`, `"dump": "latest"`) are preprocess
// steps, which JSON Schema cannot see; they are added back by hand.
function withShorthand(schema: JsonSchema, property: string, shorthand: JsonSchema[], required = false): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  const objectForm = properties[property];
  if (objectForm) properties[property] = { anyOf: [...shorthand, objectForm] };
  const requiredList = (schema.required as string[] | undefined) ?? [];
  return { ...schema, properties, ...(required && !requiredList.includes(property) ? { required: [...requiredList, property] } : {}) };
}

/** `account`, beside each start's own fields: the run's OVH account (a name, never a credential). */
function withAccount(schema: JsonSchema): JsonSchema {
  const account = { type: 'string', description: 'The OVH account to act in: a name of the accounts file (OVHFLOW_ACCOUNTS_FILE). Default: its default account. An unknown name is a 400 (unknown_account) and starts nothing.' };
  return { ...schema, properties: { ...(schema.properties as Record<string, JsonSchema>), account } };
}

/**
 * A start route's body: the run kind's input schema, plus `account`, plus the shorthands its parser accepts. What it
 * says and shows comes from the run kinds table.
 */
export function startRequestSchema(type: RunType): JsonSchema {
  const kind = RUN_KINDS[type] as unknown as RunKind;
  let schema = jsonSchemaOf(kind.inputSchema);
  if (type === 'provision') schema = withShorthand(schema, 'ssl', [{ type: 'string', enum: SSL_MODES.filter((mode) => mode !== 'custom') }]);
  if (type === 'restore') {
    schema = withShorthand(
      schema,
      'dump',
      [
        { type: 'integer', description: 'a dump id' },
        { type: 'string', description: `"latest", "${OVH_BACKUP_DATES.join('", "')}", a dump id, or an ISO 8601 date-time (latest before it)` },
      ],
      true,
    );
  }
  const http = kind.http && 'path' in kind.http ? kind.http : undefined;
  return {
    ...withAccount(schema),
    description: `What the ${kind.title.toLowerCase()} run takes, as its CLI command does. Validated before anything starts: a bad input is a 400 and zero OVH writes.`,
    ...(http ? { examples: [http.example] } : {}),
  };
}

const issue = { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] };

export const errorSchema: JsonSchema = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'stable code: unauthorized, invalid_input, run_not_found, decision_rejected, payload_too_large, ...' },
    message: { type: 'string' },
    issues: { type: 'array', items: issue, description: 'with invalid_input: one entry per problem, as the CLI lists them' },
    requestId: { type: 'string', description: 'with internal_error: find the details in the logs' },
  },
  required: ['error', 'message'],
};

const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input: nothing was started',
  401: 'Missing or wrong API token',
  404: 'No such run (or, for inventory, no such listing or hosting service)',
  409: 'The run is not waiting for this decision',
  413: 'Request body too large',
  502: 'The worker answered with a failure (OVH refused, or something else went wrong: the message says)',
  503: 'The Temporal server is not reachable',
  504: 'No worker answered in time',
};

/** The error answers a route can give, for its `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, JsonSchema> {
  return Object.fromEntries(statuses.map((status) => [status, { ...errorSchema, description: ERROR_MEANING[status] ?? 'Error' }]));
}

export const startedSchema: JsonSchema = {
  type: 'object',
  description: 'Started: follow it at the Location header.',
  properties: {
    workflowId: { type: 'string' },
    runId: { type: 'string' },
    status: { const: 'running' },
  },
  required: ['workflowId', 'runId', 'status'],
};

const step = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    state: { enum: ['pending', 'running', 'waiting-for-ovh-task', 'waiting-for-dns', 'done', 'adopted', 'skipped', 'failed', 'needs-attention'] },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time' },
    task: { type: 'object', properties: { id: { type: 'integer' }, function: { type: 'string' }, status: { type: 'string' } } },
    note: { type: 'string' },
    attempts: { type: 'integer' },
  },
};

export const runSchema: JsonSchema = {
  type: 'object',
  description: 'A run as `ovhflow status --json` prints it.',
  properties: {
    workflowId: { type: 'string' },
    runId: { type: 'string' },
    type: { enum: [...RUN_TYPES, 'unknown'] },
    status: { enum: [...RUN_STATUSES] },
    account: { type: 'string', description: 'The OVH account the run acts in (its name; absent for runs older than accounts)' },
    steps: { type: 'array', items: step },
    currentStep: { type: 'string' },
    attention: {
      type: 'object',
      description: 'Why the run waits for an operator (status needs-attention), in words a person can act on.',
      properties: {
        step: { type: 'string' },
        failureType: { type: 'string' },
        message: { type: 'string' },
        ovhMessage: { type: 'string' },
        queryId: { type: 'string' },
        hint: { type: 'string' },
        since: { type: 'string', format: 'date-time' },
      },
    },
    decisions: { type: 'array', items: { enum: ['retry', 'skip', 'abort', 'confirm'] }, description: 'While the run waits for an operator: the decisions it takes now (a step that cannot be skipped offers no skip)' },
    pending: { type: 'object', description: 'The OVH check the run is doing now', properties: { activity: { type: 'string' }, attempt: { type: 'integer' }, lastFailure: { type: 'string' }, nextCheckAt: { type: 'string' } } },
    progressUnavailable: { type: 'string', description: 'A running run whose worker did not answer in time (a worker down or busy): its steps are unknown for now, its status comes from its last search attribute' },
    result: {
      description:
        'When completed: what was created. CONTAINS SECRETS IN CLEAR (generated database and admin passwords): the API is authenticated, and unlike the CLI it does not mask them. Treat responses accordingly.',
    },
    failure: { type: 'object', properties: { type: { type: 'string' }, message: { type: 'string' } } },
    startedAt: { type: 'string', format: 'date-time' },
    closedAt: { type: 'string', format: 'date-time' },
    existing: { type: 'boolean', description: 'Set by POST endpoints: the same business run already existed and no second one was started.' },
  },
  required: ['workflowId', 'runId', 'type', 'status'],
};

export const runListSchema: JsonSchema = {
  type: 'object',
  properties: {
    runs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          workflowId: { type: 'string' },
          runId: { type: 'string' },
          type: { type: 'string' },
          status: { enum: [...RUN_STATUSES] },
          account: { type: 'string', description: 'The OVH account the run acts in (its name)' },
          startedAt: { type: 'string', format: 'date-time' },
          closedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  required: ['runs'],
};

export const runListQuerySchema = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  type: z.enum(RUN_TYPES).optional(),
  /** Only the runs of one OVH account (a name of the accounts file). */
  account: z.string().max(63).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const retryBodySchema = z.strictObject({
  set: z.array(z.string().max(2000, 'must be at most 2000 characters long')).max(50).optional(),
});

export const emptyBodySchema = z.strictObject({});

export const decisionAckSchema: JsonSchema = {
  type: 'object',
  properties: {
    workflowId: { type: 'string' },
    step: { type: 'string' },
    decision: { enum: ['retry', 'skip', 'abort', 'confirm'] },
    confirmed: { type: 'string', description: 'confirm: what goes on now (restore, decommission, certificate replacement, FTP/SSH user deletion)' },
  },
  required: ['workflowId', 'step', 'decision'],
};

export const runIdParamsSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The workflow id, URL-encoded (e.g. provision-site%2Fdemo-agency.ovh%2Fblog.example.org); the raw slashed form also works' },
  },
  required: ['id'],
};

export const dnsCheckQuerySchema = z.strictObject({
  serviceName: serviceNameSchema,
  domain: domainSchema,
  /** The OVH account (default: the default one), as `dns check --account`. */
  account: z.string().max(100).optional(),
});

const dnsRecordSchema: JsonSchema = {
  type: 'object',
  properties: {
    type: { enum: ['A', 'AAAA', 'TXT'] },
    name: { type: 'string', description: 'the full name, e.g. blog.example.com or ovhcontrol.blog.example.com' },
    target: { type: 'string' },
    purpose: { type: 'string' },
  },
  required: ['type', 'name', 'target', 'purpose'],
};

export const dnsReportSchema: JsonSchema = {
  type: 'object',
  description: 'What the domain points at (OVH digStatus), and the exact records that would make it point at the hosting.',
  properties: {
    serviceName: { type: 'string' },
    domain: { type: 'string' },
    attached: { type: 'boolean', description: 'digStatus exists only for an attached domain; otherwise the hosting addresses are recommended' },
    pointsAtHosting: { type: 'boolean', description: 'every A / AAAA address of the domain reaches the hosting (and there is one)' },
    recommended: { type: 'object', properties: { ipv4: { type: 'array', items: { type: 'string' } }, ipv6: { type: 'array', items: { type: 'string' } } } },
    resolves: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ip: { type: 'string' }, type: { enum: ['A', 'AAAA'] }, dnsConfigured: { type: 'boolean' }, isOvhIp: { type: 'boolean' } },
      },
    },
    zone: { type: 'string', description: 'the OVH DNS zone of the same account serving the domain, if any' },
    records: { type: 'array', items: dnsRecordSchema, description: 'to create or change; empty when the domain points at the hosting' },
    certificate: { type: 'object', properties: { provider: { type: 'string' }, status: { type: 'string' } }, description: "the domain's own certificate (OVH's per-domain certificates), when it has one" },
    caaProblem: { type: 'string', description: "a CAA record that keeps the free certificate's authority from issuing for the domain, and the record to add" },
    present: { type: 'array', items: dnsRecordSchema, description: 'already in place, to keep: address records that reach the hosting, the ownership TXT once the domain is attached' },
  },
  required: ['serviceName', 'domain', 'attached', 'pointsAtHosting', 'recommended', 'resolves', 'records'],
};

// --- FTP/SSH users, rotations, inventory (issue #14) ---

export const ftpUserParamsSchema: JsonSchema = {
  type: 'object',
  properties: {
    serviceName: { type: 'string', description: 'The hosting service, e.g. demo-shop.ovh' },
    login: { type: 'string', description: 'The FTP/SSH login, e.g. demoshop-dev' },
  },
  required: ['serviceName', 'login'],
};

export const ftpUserUpdateBodySchema = z.strictObject({
  account: z.string().max(100).optional(),
  home: z.string().optional(),
  sshState: sshStateSchema.optional(),
});

export const ftpUserDeleteQuerySchema = z.strictObject({
  account: z.string().max(100).optional(),
  confirmed: z.enum(['true', 'false'], { error: () => 'must be true or false' }).default('false'),
});

export const INVENTORY_PAGE_MAX = 1000;

export const inventoryQuerySchema = z.strictObject({
  account: z.string().max(100).optional(),
  service: z.string().max(300).optional(),
  database: z.string().max(300).optional(),
  installed: z.enum(['true', 'false'], { error: () => 'must be true or false' }).optional(),
  status: z.string().max(100).optional(),
  function: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(INVENTORY_PAGE_MAX).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const inventoryPageSchema: JsonSchema = {
  type: 'object',
  description: 'One page of a listing, as `ovhflow ls <kind> --json` prints its rows.',
  properties: {
    kind: { type: 'string' },
    items: { type: 'array', items: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } },
    total: { type: 'integer', description: 'Rows in the whole listing (tasks: every task OVH lists; the most recent 500 can be paged)' },
    offset: { type: 'integer' },
    limit: { type: 'integer' },
    next: { type: 'string', description: 'The next page, when there is one' },
  },
  required: ['kind', 'items', 'total', 'offset', 'limit'],
};

export const inventoryParamsSchema: JsonSchema = {
  type: 'object',
  properties: { kind: { enum: [...INVENTORY_KINDS], description: 'What to list' } },
  required: ['kind'],
};
