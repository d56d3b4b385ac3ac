// FTP/SSH users and password rotations as runs: POST /v1/ftp-users (create), PATCH and DELETE
// /v1/services/{serviceName}/ftp-users/{login} (change home / SSH access; delete, destructive: it waits for
// POST /v1/runs/{id}/confirm unless `confirmed=true`), POST /v1/rotations (a new password for an FTP/SSH user, a
// module's admin or a database user). Inputs go through the CLI's parse functions: a bad input is a 400 and nothing
// starts. Listing users is inventory (GET /v1/inventory/users, routes/inventory.ts).
import type { FastifyInstance } from 'fastify';
import type { RunService } from '../../runs/service.js';
import { parseCreateFtpUserInput, parseDeleteFtpUserInput, parseRotateCredentialsInput, parseUpdateFtpUserInput, parseWith } from '../../shared/inputs/index.js';
import { invalidInput } from '../errors.js';
import {
  ftpUserDeleteQuerySchema,
  ftpUserParamsSchema,
  ftpUserRequestSchema,
  ftpUserUpdateBodySchema,
  jsonSchemaOf,
  rotationRequestSchema,
} from '../schemas.js';
import { answer, idempotencyHeader, requestIdOf, splitAccount, startResponses } from './starts.js';

export function registerFtpUserRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.post(
    '/v1/ftp-users',
    {
      schema: {
        tags: ['runs'],
        summary: 'Create an FTP/SSH user confined to a folder of the hosting',
        description: 'One run per service and login (workflow id `create-ftp-user/<service>/<login>`). The generated password is in the run\'s result.',
        body: ftpUserRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseCreateFtpUserInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startFtpUser(parsed.value, choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'FTP/SSH user creation requested');
      return answer(runs, reply, ref);
    },
  );

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
      const ref = await runs.startFtpUserUpdate(parsed.value, requestIdOf(request), { account });
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
      const ref = await runs.startFtpUserDelete(parsed.value, requestIdOf(request), { account: query.value.account });
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'FTP/SSH user deletion requested');
      return answer(runs, reply, ref);
    },
  );

  app.post(
    '/v1/rotations',
    {
      schema: {
        tags: ['runs'],
        summary: "A new password for an FTP/SSH user, a module's admin or a database user",
        description:
          'The new password (FTP/SSH user, database) is in the run\'s result, set once per run. A module\'s admin password is refused (400): OVH removed that call in 2026, and the message says how to change it in the CMS. A database a CMS uses is refused (the run fails as OvhflowRefused, nothing changed) unless `target.evenIfUsedByCms` is true. Workflow id `rotate-credentials/<service>/<kind>/<account>/<uuid or Idempotency-Key>`.',
        headers: idempotencyHeader,
        body: rotationRequestSchema,
        response: startResponses,
      },
    },
    async (request, reply) => {
      const { input, choice } = splitAccount(request.body);
      const parsed = parseRotateCredentialsInput(input);
      if (!parsed.ok) throw invalidInput(parsed.issues);
      const ref = await runs.startRotation(parsed.value, requestIdOf(request), choice);
      request.log.info({ workflowId: ref.workflowId, existing: ref.existing }, 'password rotation requested');
      return answer(runs, reply, ref);
    },
  );
}
