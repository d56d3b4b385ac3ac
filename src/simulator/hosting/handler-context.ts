// What a route handler receives, and the look-ups every handler needs (the service, a record, "is it idle?"),
// each failing with the error OVH answers.
import type { ApplicationRecord, CredentialRecord } from '../auth/credential-store.js';
import type { SimulatorCore } from '../core.js';
import { apiErrors } from '../http/ovh-errors.js';
import type { HostingService, TaskRecord } from '../state/records.js';
import type { NewTask } from '../tasks/task-book.js';
import { taskMoment } from '../tasks/task-timeline.js';
import { taskView } from './views.js';

export interface HandlerContext {
  core: SimulatorCore;
  now: number;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The application calling (when it sent a known X-Ovh-Application). */
  application: ApplicationRecord | null;
  /** The consumer key the call was signed with (authenticated calls only). */
  credential: CredentialRecord | null;
  /** The Host header, to build URLs the caller can reach. */
  host: string;
  /** The OVH account the call acts for: services and zones of other accounts do not exist for it. */
  account: string;
  /** For a service account's call (OAuth2 bearer): whether its IAM policies allow an action on a resource URN.
   * `null` for consumer keys, which access rules govern instead. */
  iam: IamCheck | null;
}

export type IamCheck = (action: string, resourceUrn: string) => boolean;

/** `urn:v1:eu:resource:<type>:<name>`, as IAM names a resource. */
export function resourceUrn(typeAndName: string): string {
  return `urn:v1:eu:resource:${typeAndName}`;
}

/** For list calls: a service account sees only the resources its policies let it read (as IAM filters lists). */
export function allowedByIam(context: HandlerContext, action: string, typeAndName: string): boolean {
  return context.iam === null || context.iam(action, resourceUrn(typeAndName));
}

export type Handler = (context: HandlerContext) => unknown;

export function requireService(context: HandlerContext): HostingService {
  const service = context.core.state.services.get(String(context.path.serviceName));
  if (!service || service.account !== context.account) throw apiErrors.serviceNotFound();
  return service;
}

/** A write on a service that is not `active` (blocked, in maintenance) is refused. */
export function requireWritableService(context: HandlerContext): HostingService {
  const service = requireService(context);
  if (service.state !== 'active') {
    throw apiErrors.forbidden(`The service ${service.serviceName} is not active (state: ${service.state}): it cannot be modified`);
  }
  return service;
}

export function requireRecord<K, V>(records: Map<K, V>, key: K, keyName: string): V {
  const record = records.get(key);
  if (record === undefined) throw apiErrors.objectNotFound(keyName, String(key));
  return record;
}

/** A resource that a task is already working on cannot take another operation. */
export function requireIdle(record: { status: string; taskId: number | null }, what: string): void {
  if (record.status !== 'created') {
    const task = record.taskId === null ? '' : ` (task ${record.taskId})`;
    throw apiErrors.conflict(`The ${what} is busy: its status is ${record.status}${task}; retry when it is created`);
  }
}

export function startTask(context: HandlerContext, service: HostingService, spec: NewTask): TaskRecord {
  return context.core.tasks.create(service.serviceName, spec, context.now);
}

export function answerTask(context: HandlerContext, task: TaskRecord): Record<string, unknown> {
  return taskView(task, taskMoment(task, context.now));
}
