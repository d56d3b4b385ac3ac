// How a workflow gets its parsed input while its sandbox stays free of zod (every module a workflow imports is
// evaluated again for each cached run: zod and the input schemas cost a worker ~1.2 MB per run; docs/BENCHMARKS.md).
//
// ovhflow's starters — the CLI, the HTTP API and the console (through the run service), schedules, a nightly run's
// children — parse before they start a run and tag it with its run type (the OvhflowRunType search attribute): such
// a run's input is already parsed, and only its shape is checked here. A run started any other way (the Temporal UI,
// `temporal workflow start`) has its input parsed by a local activity, so a bad input still fails the run at once with
// every problem named and nothing done, and a shorthand (`"module": "wordpress"`) is still normalized.
//
// Versioning: runs that started before this change parsed in the sandbox and have no local activity at this point
// of their history; `patched()` keeps them replaying, and they take the shape check (their inputs were parsed by a
// starter, or by capture-history for the committed replay histories). An old run started outside the starters with
// an input that was never parsed fails that check on replay (a nondeterminism error, retried, nothing written):
// finish or reset such runs before deploying. Not `patched()` on the starters' path: a patch is a marker and an
// upsert of TemporalChangeVersion, two more events on every run.
import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import { formatIssues, type ParseResult } from '../shared/inputs/issues.js';
import type { RunType } from '../shared/runs.js';
import { RUN_TYPE, type SERVICE_NAME } from '../shared/search-attributes.js';

export const INPUT_PARSED_BY_LOCAL_ACTIVITY = 'input-parsed-by-local-activity';

/** Whether a starter tagged this run with its type when starting it. Read it before RunControl upserts the tag. */
export function startedByOvhflow(runType: RunType): boolean {
  return workflowInfo().typedSearchAttributes.get(RUN_TYPE) === runType;
}

/** Whether the run was started with this search attribute set. Read it before the workflow upserts any. */
export function setAtStart(key: typeof SERVICE_NAME): boolean {
  return workflowInfo().typedSearchAttributes.get(key) !== undefined;
}

export interface RunInputOptions<T> {
  raw: unknown;
  /** {@link startedByOvhflow}, read before the first search-attribute upsert. */
  parsedByStarter: boolean;
  isParsed: (raw: unknown) => raw is T;
  /** The parser, as a local activity. */
  parse: (raw: unknown) => Promise<ParseResult<T>>;
  /** How a refusal starts, e.g. "invalid input, nothing was done:". */
  refusal: string;
}

export async function runInput<T>({ raw, parsedByStarter, isParsed, parse, refusal }: RunInputOptions<T>): Promise<T> {
  if (parsedByStarter || !patched(INPUT_PARSED_BY_LOCAL_ACTIVITY)) {
    if (isParsed(raw)) return raw;
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.invalidInput,
      nonRetryable: true,
      message: `${refusal}\ninput: not a parsed input of this run type (start it with ovhflow, or without the ${RUN_TYPE.name} search attribute)`,
    });
  }
  const parsed = await parse(raw);
  if (!parsed.ok) throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidInput, nonRetryable: true, message: `${refusal}\n${formatIssues(parsed.issues)}` });
  return parsed.value;
}
