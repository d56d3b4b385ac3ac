// Fleet reads (`ovhflow plan`, `ovhflow fleet export`): one activity per hosting service, on the worker (the only
// process holding OVH credentials). Each resource kind of the registry lists the service once and each declared
// resource is read once (src/fleet/service-plan.ts); every call is counted, so a plan says what it cost. Read-only:
// retrying one is always safe.
import { FAILURE_TYPES } from '../shared/failures.js';
import type { PlanServiceRequest, ServiceExportAnswer, ServicePlanAnswer } from '../shared/fleet.js';
import { parseWith } from '../shared/inputs/zod-parse.js';
import { serviceSchema } from '../fleet/file.js';
import { exportService, planService, type ServiceReader } from '../fleet/service-plan.js';
import type { OvhClient } from '../ovh/client.js';
import type { OfferCapabilities } from '../ovh/types.js';
import { ovhCall, permanentFailure } from './failures.js';

const isNotFound = (error: unknown) => (error as { type?: string })?.type === FAILURE_TYPES.notFound;

export function createFleetActivities({ ovh }: { ovh: OvhClient }) {
  // The module catalog and the offers' capabilities are OVH-wide and change with OVH's releases, not with a plan:
  // read once per worker (a 1,000-site plan does not read WordPress's catalog entry 1,000 times).
  const catalogNames = new Map<number, Promise<string | undefined>>();
  const capabilities = new Map<string, Promise<OfferCapabilities | undefined>>();

  function readerOf(serviceName: string): ServiceReader & { calls(): number } {
    let calls = 0;
    const read = <T>(call: () => Promise<T>): Promise<T> => {
      calls += 1;
      return ovhCall(call);
    };
    const readOrGone = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await read(call);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    const cached = <K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> => {
      let value = cache.get(key);
      if (!value) {
        cache.set(key, (value = load()));
        value.catch(() => cache.delete(key));
      }
      return value;
    };
    return {
      ovh,
      serviceName,
      read,
      readOrGone,
      catalogName: (moduleId) => cached(catalogNames, moduleId, async () => (await readOrGone(() => ovh.getModuleCatalogEntry(moduleId)))?.name),
      offerCapabilities: (offer) => cached(capabilities, offer, () => readOrGone(() => ovh.getOfferCapabilities(offer))),
      calls: () => calls,
    };
  }

  async function withService<T extends { reads: number }>(serviceName: string, work: (reader: ServiceReader) => Promise<T>): Promise<T> {
    const reader = readerOf(serviceName);
    try {
      return { ...(await work(reader)), reads: reader.calls() };
    } catch (error) {
      if (isNotFound(error)) throw permanentFailure(FAILURE_TYPES.notFound, `no hosting service ${serviceName} in this OVH account (or one of its resources vanished while read)`);
      throw error;
    }
  }

  return {
    /** The hosting services of the account (`fleet export` without --service). */
    async listFleetServices(): Promise<{ serviceNames: string[]; reads: number }> {
      return { serviceNames: await ovhCall(() => ovh.listServices()), reads: 1 };
    },

    /** One service of the file against what OVH has: per site, what would be created, changed or cannot be. */
    async planFleetService(request: PlanServiceRequest): Promise<ServicePlanAnswer> {
      const declaration = parseWith(serviceSchema, request.declaration);
      if (!declaration.ok) throw permanentFailure(FAILURE_TYPES.invalidInput, `the fleet file's ${request.serviceName}: ${declaration.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
      return withService(request.serviceName, (reader) => planService(reader, declaration.value, request.onlySites));
    },

    /** What exists on one service, as the fleet file declares it. */
    async exportFleetService(serviceName: string): Promise<ServiceExportAnswer> {
      return withService(serviceName, (reader) => exportService(reader));
    },
  };
}
