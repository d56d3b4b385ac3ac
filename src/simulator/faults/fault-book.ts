// Deterministic fault injection. Request rules match a method and a path pattern (relative to /1.0, `*` = one
// segment, `**` = any number of segments) and answer an HTTP error, reset the connection before or after the call
// is applied, or add latency. Task rules match a task function (and, optionally, one hosting service) and make the
// task end `cancelled`, stay `stuck` forever, run `slow`, or end with its work `failed` (a deployment). A rule fires `times` times (then disappears), or with a `probability` drawn from the
// seeded generator, or both, or every time when neither is given.
import type { Random } from './prng.js';

export interface RequestFaultRuleInput {
  method?: string;
  path: string;
  status?: number;
  reset?: 'before' | 'after';
  latencyMs?: number;
  times?: number;
  probability?: number;
}

export interface TaskFaultRuleInput {
  taskFunction: string;
  /** Only tasks of this hosting service; every service when omitted. */
  serviceName?: string;
  /** `failed`: the task ends, but the work it did failed (a Git deployment: `website/vcs/deploy`). */
  outcome: 'cancelled' | 'stuck' | 'slow' | 'failed';
  times?: number;
  probability?: number;
}

export type FaultRuleInput = RequestFaultRuleInput | TaskFaultRuleInput;

type Rule =
  | { id: number; fired: number; kind: 'request'; input: RequestFaultRuleInput; method?: string; pattern: RegExp }
  | { id: number; fired: number; kind: 'task'; input: TaskFaultRuleInput };

export interface RequestFault {
  latencyMs: number;
  status?: number;
  reset?: 'before' | 'after';
}

export class FaultBook {
  private rules: Rule[] = [];
  private nextId = 1;

  constructor(private random: Random) {}

  reseed(random: Random): void {
    this.random = random;
  }

  add(inputs: FaultRuleInput[]): void {
    for (const input of inputs) {
      const base = { id: this.nextId++, fired: 0 };
      if ('taskFunction' in input) this.rules.push({ ...base, kind: 'task', input });
      else this.rules.push({ ...base, kind: 'request', input, method: input.method?.toUpperCase(), pattern: pathPattern(input.path) });
    }
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules still active, as they were given, with an id and how often each has fired. */
  list(): Array<FaultRuleInput & { id: number; fired: number }> {
    return this.rules.map((rule) => ({ id: rule.id, fired: rule.fired, ...rule.input }));
  }

  /** What happens to this call, if anything: latencies add up, the first error or reset wins. */
  forRequest(method: string, path: string): RequestFault | null {
    let fault: RequestFault | null = null;
    for (const rule of [...this.rules]) {
      if (rule.kind !== 'request') continue;
      if (rule.method && rule.method !== method) continue;
      if (!rule.pattern.test(path)) continue;
      const decided = fault !== null && (fault.status !== undefined || fault.reset !== undefined);
      if (decided && !rule.input.latencyMs) continue;
      if (!this.fires(rule)) continue;
      fault ??= { latencyMs: 0 };
      fault.latencyMs += rule.input.latencyMs ?? 0;
      if (!decided) {
        if (rule.input.status !== undefined) fault.status = rule.input.status;
        else if (rule.input.reset) fault.reset = rule.input.reset;
      }
    }
    return fault;
  }

  /** How a new task of this function (on this service) ends, when a rule says so. */
  forTask(taskFunction: string, serviceName?: string): TaskFaultRuleInput['outcome'] | null {
    for (const rule of [...this.rules]) {
      if (rule.kind !== 'task' || rule.input.taskFunction !== taskFunction) continue;
      if (rule.input.serviceName !== undefined && rule.input.serviceName !== serviceName) continue;
      if (this.fires(rule)) return rule.input.outcome;
    }
    return null;
  }

  private fires(rule: Rule): boolean {
    const { probability, times } = rule.input;
    if (probability !== undefined && this.random() >= probability) return false;
    rule.fired += 1;
    if (times !== undefined && rule.fired >= times) this.rules = this.rules.filter((r) => r !== rule);
    return true;
  }
}

/** `/hosting/web/*\/database` → a regular expression over a path relative to /1.0. */
export function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      if (segment === '**') return '(?:/[^/]+)*';
      if (segment === '*') return '/[^/]+';
      return `/${segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}`;
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}
