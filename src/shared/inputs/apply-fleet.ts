// applyFleet's input: the plan's changes as child-run inputs, grouped per site (built by src/fleet/apply-items.ts from
// a fleet file and its plan, each child input parsed there by its own kind's parser). Checked here for its shape and
// bounds; each child checks its own input again when it starts.
import { z } from 'zod';
import { accountNameIssue } from '../accounts.js';
import { APPLY_CHILDREN_PER_EXECUTION, MAX_APPLY_PARALLEL, type ApplyFleetInput } from '../apply.js';
import { RUN_TYPES } from '../runs.js';
import type { ParseResult } from './issues.js';
import { objectError, parseWith } from './zod-parse.js';

const accountNameSchema = z.string().refine((name) => accountNameIssue(name) === undefined, { message: 'must be an account name' });
const outcomeSchema = z.looseObject({ workflowId: z.string(), status: z.enum(['done', 'failed', 'needs-attention']) });

export const applyFleetInputSchema = z
  .strictObject(
    {
      tasks: z
        .array(
          z.strictObject({
            account: accountNameSchema,
            serviceName: z.string().min(1),
            subject: z.string().min(1),
            changes: z
              .array(z.strictObject({ runType: z.enum(RUN_TYPES), input: z.record(z.string(), z.unknown()), requestId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/), what: z.string() }))
              .min(1),
          }),
        )
        .min(1, 'nothing to apply'),
      parallel: z.number().int().min(1).max(MAX_APPLY_PARALLEL),
      accounts: z.strictObject({ defaultAccount: accountNameSchema.optional(), names: z.array(accountNameSchema) }),
      startedAt: z.iso.datetime().optional(),
      report: z.strictObject({ done: z.array(outcomeSchema), failed: z.array(outcomeSchema), needsAttention: z.array(outcomeSchema) }).optional(),
      childrenSoFar: z.number().int().min(0).optional(),
      childrenPerExecution: z.number().int().min(1).max(APPLY_CHILDREN_PER_EXECUTION).optional(),
    },
    { error: objectError('an object with "tasks", "parallel" and "accounts"') },
  )
  .transform((input) => input as ApplyFleetInput);

export function parseApplyFleetInput(raw: unknown): ParseResult<ApplyFleetInput> {
  return parseWith(applyFleetInputSchema, raw);
}
