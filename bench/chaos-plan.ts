// What the chaos suite plans for each provisioning, from the seed alone, so the verdict knows what to expect of every
// run whatever the timing: most complete; some meet a cancelled OVH task that the scripted operator answers with
// `skip` or `abort`, or that someone answers by cancelling the run (as the Temporal UI does); some are cancelled in
// the middle of a step, while it waits on an OVH task (made slow for that, so the moment cannot be missed). Each
// planned fault is a simulator task rule for that one hosting service, so it meets that run and no other.
//
// What the hosting services held before the runs is planned here too: every fourth service already serves a site
// provisioned earlier (domain, database, module, Let's Encrypt certificate — so its run regenerates the certificate
// instead of ordering one), and every tenth (offset 5) already has the run's own domain attached, which the run adopts.
// Whatever a run aborts or cancels, none of that may be touched.

export type ProvisionStepName = 'attachDomain' | 'createDatabase' | 'installModule' | 'ssl';

export type Fate =
  | { kind: 'complete' }
  /** A cancelled task at this step; the operator answers skip. */
  | { kind: 'skip'; step: 'installModule' | 'ssl' }
  /** A cancelled task at this step; the operator answers abort. */
  | { kind: 'abort'; step: ProvisionStepName }
  /** A cancelled task at this step; the run is cancelled while it waits for the operator. */
  | { kind: 'cancel-waiting'; step: ProvisionStepName }
  /** The task of this step is slow; the run is cancelled while the step waits on it. */
  | { kind: 'cancel-mid'; step: ProvisionStepName };

export interface PlannedService {
  index: number;
  serviceName: string;
  domain: string;
  fate: Fate;
  /** Already serves an earlier site, `keep-<index>.example.org`, with a certificate. */
  keepSite?: string;
  /** The run's own domain is attached before the run starts: the run adopts it. */
  adoptsDomain: boolean;
}

/** Shares of the runs that end otherwise than completed-with-nothing-skipped. */
const SHARES = { skip: 0.12, abort: 0.1, cancelWaiting: 0.06, cancelMid: 0.08 };

/** A small seeded generator (mulberry32), so a chaos run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planServices(services: string[], seed: number): PlannedService[] {
  const random = seeded(seed * 7919 + 17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const n = services.length;
  // Whole counts (at least one of each once there are ten runs), shuffled over the runs.
  const count = (share: number) => (n >= 10 ? Math.max(1, Math.round(share * n)) : Math.round(share * n));
  const kinds: Array<Fate['kind']> = [
    ...Array<Fate['kind']>(count(SHARES.skip)).fill('skip'),
    ...Array<Fate['kind']>(count(SHARES.abort)).fill('abort'),
    ...Array<Fate['kind']>(count(SHARES.cancelWaiting)).fill('cancel-waiting'),
    ...Array<Fate['kind']>(count(SHARES.cancelMid)).fill('cancel-mid'),
  ];
  while (kinds.length < n) kinds.push('complete');
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as Fate['kind'], kinds[i] as Fate['kind']];
  }
  let skips = 0;
  return services.map((serviceName, index) => {
    const adoptsDomain = index % 10 === 5;
    // A step whose task this run really starts: an adopted domain is never attached.
    const steps: ProvisionStepName[] = adoptsDomain ? ['createDatabase', 'installModule', 'ssl'] : ['attachDomain', 'createDatabase', 'installModule', 'ssl'];
    const kind = kinds[index] as Fate['kind'];
    const fate: Fate =
      kind === 'complete' ? { kind } : kind === 'skip' ? { kind, step: skips++ % 2 === 0 ? 'installModule' : 'ssl' } : { kind, step: pick(steps) };
    return {
      index,
      serviceName,
      domain: `chaos-${index}.example.org`,
      fate,
      ...(index % 4 === 0 ? { keepSite: `keep-${index}.example.org` } : {}),
      adoptsDomain,
    };
  });
}

/** The OVH task function a step starts on this service (a hosting that has a certificate regenerates it). */
export function taskFunctionOf(step: ProvisionStepName, service: PlannedService): string {
  switch (step) {
    case 'attachDomain':
      return 'attachedDomain/create';
    case 'createDatabase':
      return 'database/create';
    case 'installModule':
      return 'module/install';
    case 'ssl':
      return service.keepSite ? 'hostedssl/regenerate' : 'hostedssl/create';
  }
}

/** The simulator task rules that make each planned fate happen, for that service only. */
export function plannedFaults(plan: PlannedService[]): Array<{ taskFunction: string; serviceName: string; outcome: 'cancelled' | 'slow'; times: number }> {
  return plan.flatMap((service) => {
    const { fate } = service;
    if (fate.kind === 'complete') return [];
    const outcome = fate.kind === 'cancel-mid' ? ('slow' as const) : ('cancelled' as const);
    return [{ taskFunction: taskFunctionOf(fate.step, service), serviceName: service.serviceName, outcome, times: 1 }];
  });
}

/** What the run must end as. */
export function expectedStatus(fate: Fate): 'completed' | 'aborted' | 'cancelled' {
  if (fate.kind === 'abort') return 'aborted';
  if (fate.kind === 'cancel-waiting' || fate.kind === 'cancel-mid') return 'cancelled';
  return 'completed';
}
