// GET /v1/doctor: `ovhflow doctor` over HTTP. Read-only; Temporal's checks run here, each OVH account's are answered
// by a worker (the API holds no OVH credentials). 200 with the report whether or not every check passes: `ok` says.
import type { FastifyInstance } from 'fastify';
import { runDoctor } from '../../runs/doctor.js';
import type { RunService } from '../../runs/service.js';
import { resolveAccount } from '../../shared/accounts.js';
import { ApiError } from '../errors.js';

export function registerDoctorRoutes(app: FastifyInstance, { runs }: { runs: RunService }): void {
  app.get(
    '/v1/doctor',
    {
      schema: {
        tags: ['doctor'],
        summary: 'Can this installation work: Temporal, workers, and per OVH account its endpoint, clock, credentials, rights and API operations',
        description:
          'Like `ovhflow doctor`: read-only. `account` limits the OVH checks to one account (default: every configured one). Each check has `ok`, a `verdict` and, when it fails, a `fix`; `ok` at the top is true only when all pass.',
        querystring: { type: 'object', properties: { account: { type: 'string' } }, additionalProperties: false },
      },
    },
    async (request) => {
      const { account } = (request.query ?? {}) as { account?: string };
      let only: string | undefined;
      try {
        only = account === undefined ? undefined : resolveAccount(runs.accounts, account);
      } catch (error) {
        throw new ApiError(400, 'invalid_input', (error as Error).message);
      }
      const target = { temporal: { taskQueue: runs.taskQueue, namespace: runs.client.options.namespace, address: "the API's Temporal server" } };
      return runDoctor(runs.client, target, runs.accounts, only);
    },
  );
}
