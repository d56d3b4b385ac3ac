// A workflow used only by sandbox.test.ts: runs the shared input parsers inside Temporal's deterministic sandbox,
// where workflows' update validators run them.
import {
  type ParseResult,
  applyProvisionSitePatch,
  isValidPassword,
  parseProvisionSiteInput,
  parseRestoreDatabaseInput,
  parseSetArguments,
} from '../../src/shared/inputs/index.js';

export async function parseInputsInSandbox(
  provision: unknown[],
  setArguments: string[],
  restore: unknown,
): Promise<{ provision: ParseResult<unknown>[]; patched: ParseResult<unknown>; restore: ParseResult<unknown>; password: boolean }> {
  const parsed = provision.map((raw) => parseProvisionSiteInput(raw));
  const patch = parseSetArguments(setArguments);
  const first = parsed[0];
  const patched =
    first?.ok && patch.ok ? applyProvisionSitePatch(first.value, patch.value) : patch.ok ? { ok: false as const, issues: [] } : patch;
  return { provision: parsed, patched, restore: parseRestoreDatabaseInput(restore), password: isValidPassword('ftp', 'Str0ngEnough') };
}
