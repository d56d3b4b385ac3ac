// A workflow used only by sandbox.test.ts: runs the shared input parsers inside Temporal's deterministic sandbox,
// where workflows' update validators run the zod-free ones (--set corrections, restore corrections, input shapes).
import { parseRestoreCorrections } from '../../src/shared/backups.js';
import {
  correctProvisionSiteInput,
  isParsedProvisionSiteInput,
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
): Promise<{
  provision: ParseResult<unknown>[];
  patched: ParseResult<unknown>;
  corrected: ParseResult<unknown>;
  restoreCorrections: ParseResult<unknown>;
  shapes: boolean[];
  restore: ParseResult<unknown>;
  password: boolean;
}> {
  const parsed = provision.map((raw) => parseProvisionSiteInput(raw));
  const patch = parseSetArguments(setArguments);
  const first = parsed[0];
  const patched =
    first?.ok && patch.ok ? applyProvisionSitePatch(first.value, patch.value) : patch.ok ? { ok: false as const, issues: [] } : patch;
  const corrected =
    first?.ok && patch.ok ? correctProvisionSiteInput(first.value, patch.value) : patch.ok ? { ok: false as const, issues: [] } : patch;
  return {
    provision: parsed,
    patched,
    corrected,
    restoreCorrections: parseRestoreCorrections(['dump=2025-03-01T03:00:00+01:00', 'safetyDump=false']),
    shapes: parsed.map((result) => result.ok && isParsedProvisionSiteInput(result.value)),
    restore: parseRestoreDatabaseInput(restore),
    password: isValidPassword('ftp', 'Str0ngEnough'),
  };
}
