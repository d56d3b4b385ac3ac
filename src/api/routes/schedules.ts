// The nightly-dumps Temporal Schedule over HTTP, as `ovhflow schedule ...` offers it: create or update (idempotent),
// list, describe, pause, unpause, trigger, delete. The schedule's runs are ordinary runs (GET /v1/runs?type=nightly).
import { resolveAccount } from '../../shared/accounts.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DEFAULT_NIGHTLY_CRON,
  DEFAULT_NIGHTLY_TIMEZONE,
  deleteNightlySchedule,
  describeNightlySchedule,
  listNightlySchedules,
  pauseNightlySchedule,
  ScheduleNotFoundError,
  triggerNightlySchedule,
  unpauseNightlySchedule,
  upsertNightlySchedule,
} from '../../schedules/nightly.js';
import type { RunService } from '../../runs/service.js';
import { cronIssue, DEFAULT_NIGHTLY_SCHEDULE_ID, isKnownTimeZone, SCHEDULE_ID } from '../../shared/backups.js';
import { nightlyDumpsInputSchema, parseWith } from '../../shared/inputs/index.js';
import { ApiError, invalidInput } from '../errors.js';
import { errorResponses, jsonSchemaOf, type JsonSchema } from '../schemas.js';

// Same fields and rules as `ovhflow schedule nightly-dumps`; services and concurrency are nightlyDumps' own input.
const nightlyScheduleRequestSchema = z.strictObject({
  // Default: nightly-dumps, or nightly-dumps.<account> for another OVH account than the default.
  scheduleId: z.string().regex(SCHEDULE_ID, 'use 1 to 100 letters, digits, ".", "_" or "-"').optional(),
  /** The OVH account whose databases are dumped (a name of the accounts file); default: the default account. */
  account: z.string().max(63).optional(),
  cron: z
    .string()
    .superRefine((cron, ctx) => {
      const problem = cronIssue(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((cron) => cron.trim())
    .default(DEFAULT_NIGHTLY_CRON),
  timezone: z
    .string()
    .refine(isKnownTimeZone, { message: 'is not a known IANA time zone (e.g. Europe/Paris, UTC)' })
    .default(DEFAULT_NIGHTLY_TIMEZONE),
  services: nightlyDumpsInputSchema.in.shape.services,
  concurrency: nightlyDumpsInputSchema.in.shape.concurrency,
});

const scheduleSchema: JsonSchema = {
  type: 'object',
  properties: {
    scheduleId: { type: 'string' },
    account: { type: 'string', description: 'The OVH account it dumps (absent: the default account)' },
    paused: { type: 'boolean' },
    note: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    services: { type: 'array', items: { type: 'string' }, description: 'empty or absent: every hosting service of the account' },
    concurrency: { type: 'integer' },
    nextRuns: { type: 'array', items: { type: 'string', format: 'date-time' } },
    recentRuns: { type: 'array', items: { type: 'object', properties: { scheduledAt: { type: 'string', format: 'date-time' }, workflowId: { type: 'string' } } } },
  },
  required: ['scheduleId', 'paused', 'nextRuns', 'recentRuns'],
};

const scheduleParams: JsonSchema = { type: 'object', properties: { id: { type: 'string', pattern: SCHEDULE_ID.source } }, required: ['id'] };
const actionSchema: JsonSchema = {
  type: 'object',
  properties: { scheduleId: { type: 'string' }, action: { type: 'string' }, ok: { const: true } },
  required: ['scheduleId', 'action', 'ok'],
};

function scheduleIdOf(request: FastifyRequest): string {
  const id = (request.params as { id: string }).id;
  if (!SCHEDULE_ID.test(id)) throw new ApiError(404, 'schedule_not_found', 'schedule ids are 1 to 100 letters, digits, ".", "_" or "-"');
  return id;
}

/** Temporal's answers about schedules, as API errors: an unknown id is a 404, a refused spec a 400. */
async function onSchedule<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ApiError(404, 'schedule_not_found', `no schedule with id "${error.scheduleId}"`);
    const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
    if (code === 3 /* INVALID_ARGUMENT */) {
      throw invalidInput([{ field: 'input', message: `Temporal refused the schedule: ${(error as Error).message}` }], 'invalid schedule, nothing was changed');
    }
    throw error;
  }
}

export function registerScheduleRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.get(
    '/v1/schedules',
    { schema: { tags: ['schedules'], summary: "ovhflow's schedules (nightly dumps)", response: { 200: { type: 'object', properties: { schedules: { type: 'array', items: scheduleSchema } }, required: ['schedules'] }, ...errorResponses(401) } } },
    async () => ({ schedules: await listNightlySchedules(runs.client) }),
  );

  app.post(
    '/v1/schedules/nightly-dumps',
    {
      schema: {
        tags: ['schedules'],
        summary: 'Create or update the nightly-dumps schedule (idempotent)',
        description:
          'Every database of the selected hosting services (all when `services` is empty) is dumped each night, with bounded concurrency; a night still running when the next is due is skipped. Updating keeps the paused state.',
        body: jsonSchemaOf(nightlyScheduleRequestSchema),
        response: {
          201: { ...scheduleSchema, description: 'Created (created: true)' },
          200: { ...scheduleSchema, description: 'Updated (created: false)' },
          ...errorResponses(400, 401, 413),
        },
      },
    },
    async (request, reply) => {
      const parsed = parseWith(nightlyScheduleRequestSchema, request.body ?? {});
      if (!parsed.ok) throw invalidInput(parsed.issues, 'invalid input, nothing was changed');
      const { cron, timezone, services, concurrency } = parsed.value;
      const account = resolveAccount(runs.accounts, parsed.value.account);
      const scheduleId = parsed.value.scheduleId ?? (account === runs.accounts.defaultAccount ? DEFAULT_NIGHTLY_SCHEDULE_ID : `${DEFAULT_NIGHTLY_SCHEDULE_ID}.${account}`);
      const { created } = await onSchedule(() =>
        upsertNightlySchedule(runs.client, { scheduleId, account, cron, timezone, input: { services: [...new Set(services)], concurrency }, taskQueue: runs.taskQueue, settings: runs.settings }),
      );
      request.log.info({ scheduleId, created }, created ? 'schedule created' : 'schedule updated');
      const view = await onSchedule(() => describeNightlySchedule(runs.client, scheduleId));
      return reply.status(created ? 201 : 200).header('Location', `/v1/schedules/${encodeURIComponent(scheduleId)}`).send({ ...view, created });
    },
  );

  app.get(
    '/v1/schedules/:id',
    { schema: { tags: ['schedules'], summary: 'One schedule: timing, services, next and recent runs', params: scheduleParams, response: { 200: scheduleSchema, ...errorResponses(401, 404) } } },
    async (request) => onSchedule(() => describeNightlySchedule(runs.client, scheduleIdOf(request))),
  );

  const actions = {
    pause: { summary: 'Stop starting nights until unpaused', act: (id: string) => pauseNightlySchedule(runs.client, id, 'paused through the ovhflow API') },
    unpause: { summary: 'Start nights again', act: (id: string) => unpauseNightlySchedule(runs.client, id, 'unpaused through the ovhflow API') },
    trigger: { summary: 'Run a night now (not while one is running)', act: (id: string) => triggerNightlySchedule(runs.client, id) },
  };
  for (const [action, { summary, act }] of Object.entries(actions)) {
    app.post(
      `/v1/schedules/:id/${action}`,
      { schema: { tags: ['schedules'], summary, params: scheduleParams, response: { 200: actionSchema, ...errorResponses(401, 404) } } },
      async (request) => {
        const scheduleId = scheduleIdOf(request);
        await onSchedule(() => act(scheduleId));
        request.log.info({ scheduleId, action }, `schedule ${action}`);
        return { scheduleId, action, ok: true };
      },
    );
  }

  app.delete(
    '/v1/schedules/:id',
    { schema: { tags: ['schedules'], summary: 'Delete the schedule (runs already started go on)', params: scheduleParams, response: { 200: actionSchema, ...errorResponses(401, 404) } } },
    async (request) => {
      const scheduleId = scheduleIdOf(request);
      await onSchedule(() => deleteNightlySchedule(runs.client, scheduleId));
      request.log.info({ scheduleId }, 'schedule deleted');
      return { scheduleId, action: 'delete', ok: true };
    },
  );
}
