// Changing and deleting FTP/SSH users as runs, addressed as resources: PATCH and DELETE
// /v1/services/{serviceName}/ftp-users/{login} (change home / SSH access; delete, destructive: it waits for
// POST /v1/runs/{id}/confirm unless `confirmed=true`). Creating one (POST /v1/ftp-users) and rotations
// (POST /v1/rotations) are start routes of the run kinds table (routes/starts.ts). Inputs go through the CLI's parse
// functions: a bad input is a 400 and nothing starts. Listing users is inventory (GET /v1/inventory/users).
import type { FastifyInstance } from 'fastify';
import type { RunService } from '../../runs/service.js';
import { parseDeleteFtpUserInput, parseUpdateFtpUserInput, parseWith } from '../../shared/inputs/index.js';
import { invalidInput } from '../errors.js';
import { ftpUserDeleteQuerySchema, ftpUserParamsSchema, ftpUserUpdateBodySchema, jsonSchemaOf } from '../schemas.js';
import { answer, idempotencyHeader, requestIdOf, startResponses } from './starts.js';

export function registerFtpUserRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.patch(
    '/v1/services/:serviceName/ftp-users/:login',
    {
      schema: {
        tags: ['runs'],
        summary: "Change an FTP/SSH user's home and/or SSH access",
        description: 'A run that waits for OVH\'s task and checks the result. Workflow id `update-ftp-user/<service>/<login>/<uuid or Idempotency-Key>`.',
        params: ftpUserParamsSchema,
        headers: idempotencyHeader,
        body: jsonSchemaOf(ftpUserUpdateBodySchema),
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { serviceName, login } = request.params as { serviceName: string; login: string };
      const body = parseWith(ftpUserUpdateBodySchema, request.body ?? {});
      if (!body.ok) throw invalidInput(body.issues);
      const { account, ...changes } = body.value;
      const parsed = parseUpdateFtpUserInput({ serviceName, login, ...changes });
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.start('ftp-user-update', parsed.value, { account, requestId: requestIdOf(request) });
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'FTP/SSH user change requested');
      return answer(runs, reply, ref);
    },
  );

  app.delete(
    '/v1/services/:serviceName/ftp-users/:login',
    {
      schema: {
        tags: ['runs'],
        summary: 'Delete an FTP/SSH user (destructive)',
        description:
          'The run shows the user it will delete and waits for POST /v1/runs/{id}/confirm, unless `confirmed=true`. The primary login is refused (the run fails as OvhflowRefused). The user\'s files stay. Workflow id `delete-ftp-user/<service>/<login>/<uuid or Idempotency-Key>`.',
        params: ftpUserParamsSchema,
        querystring: jsonSchemaOf(ftpUserDeleteQuerySchema),
        headers: idempotencyHeader,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { serviceName, login } = request.params as { serviceName: string; login: string };
      const query = parseWith(ftpUserDeleteQuerySchema, request.query ?? {});
      if (!query.ok) throw invalidInput(query.issues, 'invalid query, nothing was started');
      const parsed = parseDeleteFtpUserInput({ serviceName, login, confirmed: query.value.confirmed === 'true' });
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.start('ftp-user-delete', parsed.value, { account: query.value.account, requestId: requestIdOf(request) });
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'FTP/SSH user deletion requested');
      return answer(runs, reply, ref);
    },
  );

}
