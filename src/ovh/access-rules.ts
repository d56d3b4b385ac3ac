// Least privilege, derived from the code: the consumer-key access rules ovhflow needs are a function of the
// operations table (operations.ts), never a hand-written list that drifts from the calls the code makes.
//
// OVH access rules are a method and a path in which `*` stands for any run of characters, slashes included: so
// `GET /hosting/web/*` grants `GET /hosting/web/x/database/y` but not `GET /hosting/web` itself.
import { ovhOperations, type HttpMethod, type OperationName } from './operations.js';

export interface AccessRule {
  method: HttpMethod;
  path: string;
}

const compiled = new Map<string, RegExp>();

function rulePattern(rulePath: string): RegExp {
  let pattern = compiled.get(rulePath);
  if (!pattern) {
    const source = rulePath
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    pattern = new RegExp(`^${source}$`);
    compiled.set(rulePath, pattern);
  }
  return pattern;
}

/**
 * Whether `rule` grants `method` on `path`. `path` may itself be a rule path: a `*` in it is then matched as any
 * other character, which is only possible through a `*` of `rule` — and that `*` would match whatever the `*` of
 * `path` stands for. So `ruleCovers(a, b.method, b.path)` means "a grants everything b grants".
 */
export function ruleCovers(rule: AccessRule, method: string, path: string): boolean {
  return rule.method === method && rulePattern(rule.path).test(path);
}

/** Whether any of `rules` grants the call. */
export function isGranted(rules: readonly AccessRule[], method: string, path: string): boolean {
  return rules.some((rule) => ruleCovers(rule, method, path));
}

/** The rule one operation needs: its path template with each `{placeholder}` turned into OVH's `*`. */
export function ruleOfOperation(operation: { method: HttpMethod; path: string }): AccessRule {
  return { method: operation.method, path: operation.path.replace(/\{[^}]+\}/g, '*') };
}

export interface RequiredRule extends AccessRule {
  /** The operations (OvhClient methods) this rule grants. */
  operations: OperationName[];
}

// The access rules ovhflow needs, with the operations each one grants: one rule per authenticated operation the
// code calls, deduplicated, then minimal — a rule another rule already grants is dropped
// (POST /hosting/web/*/database/*/restore matches POST /hosting/web/*/database/*/dump/*/restore too, since `*` spans
// slashes), so every remaining rule is needed by some call, and dropping any of them breaks that call.
export function requiredRulesWithOperations(): RequiredRule[] {
  const operations = ovhOperations().filter((operation) => !operation.noAuthentication && !operation.notCalled);
  const candidates: AccessRule[] = [];
  for (const operation of operations) {
    const rule = ruleOfOperation(operation);
    if (!candidates.some((c) => c.method === rule.method && c.path === rule.path)) candidates.push(rule);
  }
  const minimal = candidates.filter((rule, index) =>
    !candidates.some((other, otherIndex) => {
      if (otherIndex === index || !ruleCovers(other, rule.method, rule.path)) return false;
      // Two rules granting each other: keep the first.
      return !ruleCovers(rule, other.method, other.path) || otherIndex < index;
    }),
  );
  return minimal.map((rule) => ({
    ...rule,
    operations: operations.filter((operation) => {
      const own = ruleOfOperation(operation);
      return ruleCovers(rule, own.method, own.path);
    }).map((operation) => operation.name),
  }));
}

/** The consumer-key access rules ovhflow needs: exactly what its calls use, nothing broader. */
export function requiredAccessRules(): AccessRule[] {
  return requiredRulesWithOperations().map(({ method, path }) => ({ method, path }));
}

export interface CredentialCoverage {
  /** Needed rules the key grants. */
  granted: RequiredRule[];
  /** Needed rules the key does not grant, with the calls that will be refused. */
  lacking: RequiredRule[];
  /** The key's rules that no ovhflow call needs (a broader key than necessary). */
  unneeded: AccessRule[];
}

/** Compares a key's rules with what ovhflow needs. */
export function compareWithRequired(keyRules: readonly AccessRule[]): CredentialCoverage {
  const required = requiredRulesWithOperations();
  const granted = required.filter((rule) => isGranted(keyRules, rule.method, rule.path));
  const lacking = required.filter((rule) => !isGranted(keyRules, rule.method, rule.path));
  const unneeded = keyRules.filter((rule) => !required.some((r) => r.method === rule.method && r.path === rule.path));
  return { granted, lacking, unneeded };
}
