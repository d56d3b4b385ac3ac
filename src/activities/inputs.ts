// The input parsers, as local activities, for runs started without one of ovhflow's starters (the Temporal UI,
// `temporal workflow start`): the CLI, the HTTP API, the run service and schedules parse before they start a run, and
// the workflow sandbox stays free of zod (every module a workflow imports is evaluated again for each cached run).
// Never throws: a refused input is a `ParseResult` the workflow turns into its "invalid input" failure.
import {
  parseCreateFtpUserInput,
  parseDecommissionSiteInput,
  parseNightlyDumpsInput,
  parseRenewCertificateInput,
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

export function createInputActivities() {
  return {
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
  };
}
