// Finding runs for the console: by service, domain, type and status, through Temporal's visibility (the search
// attributes every run carries), so the server filters and the console never pages through every run it has.
// Filters are validated with the shared field schemas before they reach a query: a bad one is an issue beside its
// field, never text spliced into the query.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { domainSchema, parseWith, serviceNameSchema, type InputIssue } from '../../shared/inputs/index.js';
import { RUN_STATUSES, RUN_TYPES, type RunStatus, type RunType } from '../../shared/runs.js';
import { CURRENT_STEP, DOMAIN, RUN_STATUS, RUN_TYPE, SERVICE_NAME } from '../../shared/search-attributes.js';
import { listExecutions } from '../../runs/list-executions.js';

export interface RunFilter {
  service?: string;
  domain?: string;
  type?: RunType;
  status?: RunStatus;
}

export interface RunRow {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  service?: string;
  domain?: string;
  step?: string;
  startedAt: string;
  closedAt?: string;
}

export const RUN_FILTER_FIELDS = ['service', 'domain', 'type', 'status'] as const;

const runFilterSchema = z.object({
  service: serviceNameSchema.optional(),
  domain: domainSchema.optional(),
  type: z.enum(RUN_TYPES, { error: `use one of ${RUN_TYPES.join(', ')}` }).optional(),
  status: z.enum(RUN_STATUSES, { error: `use one of ${RUN_STATUSES.join(', ')}` }).optional(),
});

/** The filter a query string asks for; empty fields mean "any". */
export function parseRunFilter(query: Record<string, unknown>): { ok: true; value: RunFilter } | { ok: false; issues: InputIssue[] } {
  const raw: Record<string, string> = {};
  for (const name of RUN_FILTER_FIELDS) {
    const value = query[name];
    if (typeof value === 'string' && value.trim() !== '') raw[name] = value.trim();
  }
  return parseWith(runFilterSchema, raw);
}

/** A validated value as a visibility literal (the schemas admit no quotes; this is a second guard, not the first). */
function literal(value: string): string {
  if (/['"\\]/.test(value)) throw new Error('refusing a quote in a visibility query value');
  return `'${value}'`;
}

export async function searchRuns(client: Client, filter: RunFilter & { needsAttention?: boolean }, limit = 100): Promise<RunRow[]> {
  const clauses = ['OvhflowRunType IS NOT NULL'];
  if (filter.type) clauses.push(`OvhflowRunType = ${literal(filter.type)}`);
  if (filter.service) clauses.push(`OvhflowService = ${literal(filter.service)}`);
  if (filter.domain) clauses.push(`OvhflowDomain = ${literal(filter.domain)}`);
  const status = filter.needsAttention ? 'needs-attention' : filter.status;
  if (status) clauses.push(`OvhflowStatus = ${literal(status)}`);
  // A run that is waiting or running is open; a closed run whose attribute still says so was terminated.
  if (status === 'running' || status === 'needs-attention') clauses.push(`ExecutionStatus = 'Running'`);
  const rows: RunRow[] = [];
  for await (const info of listExecutions(client, clauses.join(' AND '))) {
    const attribute = info.typedSearchAttributes.get(RUN_STATUS);
    const open = info.status === 'RUNNING';
    const stale = !open && (attribute === undefined || attribute === 'running' || attribute === 'needs-attention');
    const service = info.typedSearchAttributes.get(SERVICE_NAME);
    const domain = info.typedSearchAttributes.get(DOMAIN);
    const step = info.typedSearchAttributes.get(CURRENT_STEP);
    rows.push({
      workflowId: info.workflowId,
      runId: info.runId,
      type: info.typedSearchAttributes.get(RUN_TYPE) ?? info.type,
      status: stale ? info.status.toLowerCase().replace(/_/g, '-') : (attribute ?? 'running'),
      ...(service ? { service } : {}),
      ...(domain ? { domain } : {}),
      ...(step && open ? { step } : {}),
      startedAt: info.startTime.toISOString(),
      ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
    });
    if (rows.length >= limit) break;
  }
  return rows;
}

/** Runs `work` over `items`, at most `concurrency` at a time, keeping the order. */
export async function mapBounded<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
