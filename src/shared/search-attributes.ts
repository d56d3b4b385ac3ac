// Custom search attributes: how runs are found in the CLI, the HTTP API and the Temporal UI.
// They must be registered on the server before a workflow sets them (the dev server launcher does it).
// Never put a secret in one: search attributes are stored and indexed in plain text.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const RUN_TYPE = defineSearchAttributeKey('OvhflowRunType', SearchAttributeType.KEYWORD);
export const RUN_STATUS = defineSearchAttributeKey('OvhflowStatus', SearchAttributeType.KEYWORD);
export const CURRENT_STEP = defineSearchAttributeKey('OvhflowStep', SearchAttributeType.KEYWORD);
export const SERVICE_NAME = defineSearchAttributeKey('OvhflowService', SearchAttributeType.KEYWORD);
export const DOMAIN = defineSearchAttributeKey('OvhflowDomain', SearchAttributeType.KEYWORD);

/** The OVH account (its name in the accounts file, never a credential) the run acts for. */
export const ACCOUNT = defineSearchAttributeKey('OvhflowAccount', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [RUN_TYPE, RUN_STATUS, CURRENT_STEP, SERVICE_NAME, DOMAIN, ACCOUNT] as const;
