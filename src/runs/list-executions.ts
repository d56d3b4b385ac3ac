// Listing runs without decoding their memos. The SDK's `client.workflow.list()` decodes every listed run's memo with
// the payload codec, so one run whose memo was encrypted under a key this process does not hold (another deployment
// on the namespace, a retired key) made the whole `ovhflow runs` listing fail. A listing needs only what Temporal
// indexes in plain text — type, status, times, search attributes — so it reads those and nothing else.
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes.js';
import type { TypedSearchAttributes } from '@temporalio/common';
import proto from '@temporalio/proto';

export interface ListedExecution {
  workflowId: string;
  runId: string;
  /** The workflow type name. */
  type: string;
  /** Temporal's execution status, as the SDK names it (RUNNING, COMPLETED, FAILED, …). */
  status: string;
  startTime: Date;
  closeTime?: Date;
  typedSearchAttributes: TypedSearchAttributes;
}

const STATUS_PREFIX = 'WORKFLOW_EXECUTION_STATUS_';

function toDate(ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined): Date | undefined {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6));
}

/** The runs matching a visibility `query`, newest first, one page of Temporal's at a time. */
export async function* listExecutions(client: Client, query: string): AsyncGenerator<ListedExecution> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, nextPageToken });
    for (const raw of page.executions) {
      const status = proto.temporal.api.enums.v1.WorkflowExecutionStatus[raw.status ?? 0] ?? 'UNSPECIFIED';
      yield {
        workflowId: raw.execution?.workflowId ?? '',
        runId: raw.execution?.runId ?? '',
        type: raw.type?.name ?? '',
        status: status.startsWith(STATUS_PREFIX) ? status.slice(STATUS_PREFIX.length) : status,
        startTime: toDate(raw.startTime) ?? new Date(0),
        ...(toDate(raw.closeTime) ? { closeTime: toDate(raw.closeTime) } : {}),
        typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
      };
    }
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
}
