// Drift over HTTP, as `ovhflow schedule drift FILE` and `ovhflow drift report` offer it: create or update a drift
// schedule (its file in the body; pause, trigger and delete are the schedules' own routes), and read the latest
// report, which is the result of the schedule's newest completed check (nothing is asked of OVH to answer it).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseFleetFile, parseFleetValue } from '../../fleet/file.js';
import type { RunService } from '../../runs/service.js';
import { driftViewOf, latestDriftReport, NotADriftScheduleError, upsertDriftSchedule } from '../../schedules/drift.js';
import { ScheduleNotFoundError } from '../../schedules/nightly.js';
import { resolveAccount, UnknownAccountError } from '../../shared/accounts.js';
import { cronIssue, isKnownTimeZone, SCHEDULE_ID } from '../../shared/backups.js';
import { DEFAULT_DRIFT_CRON, DEFAULT_DRIFT_SCHEDULE_ID } from '../../shared/fleet-drift.js';
import { parseWith } from '../../shared/inputs/index.js';
import { ApiError, invalidInput } from '../errors.js';
import { errorResponses, jsonSchemaOf } from '../schemas.js';

const driftScheduleRequestSchema = z.strictObject({
  scheduleId: z.string().regex(SCHEDULE_ID, 'use 1 to 100 letters, digits, ".", "_" or "-"').default(DEFAULT_DRIFT_SCHEDULE_ID),
  cron: z
    .string()
    .superRefine((cron, ctx) => {
      const problem = cronIssue(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((cron) => cron.trim())
    .default(DEFAULT_DRIFT_CRON),
  timezone: z.string().refine(isKnownTimeZone, { message: 'is not a known IANA time zone (e.g. Europe/Paris, UTC)' }).default('UTC'),
  /** The fleet file: its YAML text, or the same as a JSON object (`ovhflow fleet schema`). */
  file: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** A name for the file in reports (its path in your repository, say). */
  source: z.string().min(1).max(200).optional(),
});

/** Temporal's answers about schedules, as API errors (the schedules' routes say the same). */
async function onSchedule<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ApiError(404, 'schedule_not_found', `no schedule with id "${error.scheduleId}"`);
    if (error instanceof NotADriftScheduleError) throw new ApiError(404, 'schedule_not_found', error.message);
    const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
    if (code === 3 /* INVALID_ARGUMENT */) throw invalidInput([{ field: 'input', message: `Temporal refused the schedule: ${(error as Error).message}` }], 'invalid schedule, nothing was changed');
    throw error;
  }
}

export function registerDriftRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.post(
    '/v1/schedules/drift',
    {
      schema: {
        tags: ['schedules', 'fleet'],
        summary: 'Create or update a drift schedule: the plan of a fleet file on a cron, its report kept (idempotent; nothing is written to OVH)',
        description:
          'Like `ovhflow schedule drift FILE`. `file` is the fleet file, as YAML text or as a JSON object; it holds references, never secret values (a plaintext secret is a 400). Every account it names must be one the workers have. Updating keeps the paused state. Pause, trigger and delete with `/v1/schedules/{id}/…`; the report: `GET /v1/drift/latest`.',
        body: jsonSchemaOf(driftScheduleRequestSchema),
        response: { 201: { type: 'object', additionalProperties: true }, 200: { type: 'object', additionalProperties: true }, ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const parsed = parseWith(driftScheduleRequestSchema, request.body ?? {});
      if (!parsed.ok) throw invalidInput(parsed.issues, 'invalid input, nothing was changed');
      const { scheduleId, cron, timezone, source } = parsed.value;
      const file = typeof parsed.value.file === 'string' ? parseFleetFile(parsed.value.file, 'file') : parseFleetValue(parsed.value.file);
      if (!file.ok) throw invalidInput(file.issues.map((issue) => ({ ...issue, field: issue.field.startsWith('file') ? issue.field : `file.${issue.field}` })), 'invalid fleet file, nothing was changed');
      for (const account of Object.keys(file.value.accounts)) {
        try {
          resolveAccount(runs.accounts, account);
        } catch (error) {
          if (error instanceof UnknownAccountError) throw new ApiError(400, 'unknown_account', error.message);
          throw error;
        }
      }
      const { created } = await onSchedule(() => upsertDriftSchedule(runs.client, { scheduleId, cron, timezone, file: file.value, ...(source ? { source } : {}), taskQueue: runs.taskQueue }));
      request.log.info({ scheduleId, created }, created ? 'drift schedule created' : 'drift schedule updated');
      const view = driftViewOf(await onSchedule(() => runs.client.schedule.getHandle(scheduleId).describe()));
      return reply.status(created ? 201 : 200).header('Location', `/v1/schedules/${encodeURIComponent(scheduleId)}`).send({ ...view, created });
    },
  );

  app.get(
    '/v1/drift/latest',
    {
      schema: {
        tags: ['fleet'],
        summary: "A drift schedule's latest report: per site, what differed from its fleet file",
        description:
          'Like `ovhflow drift report --json`: `{ scheduleId, workflowId, report: { checkedAt, summary, sites, services, declaredSites, failures, reads }, running?, notCompleted }`. `report` is absent until a check has completed. Sites and resources as declared are left out of the report.',
        querystring: { type: 'object', properties: { scheduleId: { type: 'string', pattern: SCHEDULE_ID.source } }, additionalProperties: false },
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const scheduleId = (request.query as { scheduleId?: string }).scheduleId ?? DEFAULT_DRIFT_SCHEDULE_ID;
      return onSchedule(() => latestDriftReport(runs.client, scheduleId));
    },
  );
}
