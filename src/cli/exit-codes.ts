import { formatIssues, type InputIssue } from '../shared/inputs/issues.js';

/** The CLI's exit codes — part of the stable contract (PRODUCT.md). */
export const EXIT = {
  ok: 0,
  /** The run failed, was aborted, or needs an operator. */
  runFailed: 1,
  /** Bad usage or bad input: nothing was started or changed. */
  usage: 2,
} as const;

/** Thrown for bad usage or input; the CLI prints the message and exits with code 2 (with --json, also as JSON). */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** Each field that was refused, for a script (`--json`) to point at. */
    readonly issues?: readonly InputIssue[],
  ) {
    super(message);
  }
}

/** Input the shared rules refused: one line per issue, and nothing started. */
export function invalidInput(issues: readonly InputIssue[], what = 'input', outcome = 'nothing was started'): UsageError {
  return new UsageError(`invalid ${what}, ${outcome}:\n${formatIssues(issues)}`, issues);
}

/** `--account`, on every command that touches OVH. */
export const ACCOUNT_OPTION_HELP = 'the OVH account (a name of OVHFLOW_ACCOUNTS_FILE; default: its default account)';
