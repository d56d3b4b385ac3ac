// The input parsers, as local activities, for runs started without one of ovhflow's starters (the Temporal UI,
// `temporal workflow start`): the CLI, the HTTP API, the run service and schedules parse before they start a run, and
// the workflow sandbox stays free of zod (every module a workflow imports is evaluated again for each cached run).
// Never throws: a refused input is a `ParseResult` the workflow turns into its "invalid input" failure.
import {
  parseCreateFtpUserInput,
  parseDecommissionSiteInput,
  parseDeleteFtpUserInput,
  parseNightlyDumpsInput,
  parseRenewCertificateInput,
  parseRotateCredentialsInput,
  parseUpdateFtpUserInput,
  type DeleteFtpUserInput,
  type RotateCredentialsInput,
  type UpdateFtpUserInput,
  parseProvisionSiteInput,
  parseUpdateAttachedDomainInput,
  type UpdateAttachedDomainInput,
  type CreateFtpUserInput,
  type DecommissionSiteInput,
  type RenewCertificateInput,
  type NightlyDumpsInput,
  type ParseResult,
  type ProvisionSiteInput,
} from '../shared/inputs/index.js';
import type { RunType } from '../shared/runs.js';

/** Each run kind's parser, from the run kinds table (the worker passes it: activities sit below the table). */
export type RunInputParsers = Readonly<Record<RunType, (raw: unknown) => ParseResult<unknown>>>;

export function createInputActivities(parsers: RunInputParsers) {
  return {
    /**
     * The parser of any run kind, by its run type: what a run kind added after this activity parses with, and restore
     * and backup. The named activities below stay for the runs whose histories recorded them.
     */
    async parseRunInput(runType: RunType, raw: unknown): Promise<ParseResult<unknown>> {
      const parse = Object.hasOwn(parsers, runType) ? parsers[runType] : undefined;
      if (!parse) return { ok: false, issues: [{ field: 'input', message: `no run kind "${String(runType).slice(0, 40)}"` }] };
      return parse(raw);
    },
    async parseProvisionSiteInput(raw: unknown): Promise<ParseResult<ProvisionSiteInput>> {
      return parseProvisionSiteInput(raw);
    },
    async parseCreateFtpUserInput(raw: unknown): Promise<ParseResult<CreateFtpUserInput>> {
      return parseCreateFtpUserInput(raw);
    },
    async parseRenewCertificateInput(raw: unknown): Promise<ParseResult<RenewCertificateInput>> {
      return parseRenewCertificateInput(raw);
    },
    async parseDecommissionSiteInput(raw: unknown): Promise<ParseResult<DecommissionSiteInput>> {
      return parseDecommissionSiteInput(raw);
    },
    async parseUpdateAttachedDomainInput(raw: unknown): Promise<ParseResult<UpdateAttachedDomainInput>> {
      return parseUpdateAttachedDomainInput(raw);
    },
    async parseNightlyDumpsInput(raw: unknown): Promise<ParseResult<NightlyDumpsInput>> {
      return parseNightlyDumpsInput(raw);
    },
    async parseRotateCredentialsInput(raw: unknown): Promise<ParseResult<RotateCredentialsInput>> {
      return parseRotateCredentialsInput(raw);
    },
    async parseUpdateFtpUserInput(raw: unknown): Promise<ParseResult<UpdateFtpUserInput>> {
      return parseUpdateFtpUserInput(raw);
    },
    async parseDeleteFtpUserInput(raw: unknown): Promise<ParseResult<DeleteFtpUserInput>> {
      return parseDeleteFtpUserInput(raw);
    },
  };
}
