// `ovhflow credentials request|check`, on the worker: the only process holding the OVH application secret and the
// consumer key. The rules asked for and checked are derived from the operations table (src/ovh/access-rules.ts).
import { ApplicationFailure } from '@temporalio/common';
import { compareWithRequired, requiredRulesWithOperations } from '../ovh/access-rules.js';
import { requiredAccessRules, type OvhClient } from '../ovh/client.js';
import { redirectionIssue, type CredentialCheckResult, type CredentialRequestInput, type CredentialRequestResult } from '../shared/credentials.js';
import { FAILURE_TYPES, type FailureDetails } from '../shared/failures.js';
import { ovhCall, permanentFailure, toActivityFailure } from './failures.js';
import { OvhApiError } from '../ovh/errors.js';
import { requiredIamActions } from '../ovh/iam-actions.js';
import { operationPath, ovhOperations, type OperationName } from '../ovh/operations.js';
import type { NeededIamAction, ServiceAccountCheckResult } from '../shared/credentials.js';

/** How many services a service-account check probes: enough to see a policy's gaps, few calls. */
const PROBED_SERVICES = 3;

/** The read-only calls ovhflow makes on one hosting service: safe to make just to see which ones IAM refuses. */
function readOnlyServiceOperations(): OperationName[] {
  return ovhOperations()
    .filter((operation) => operation.method === 'GET' && !operation.noAuthentication && !operation.notCalled && !operation.consumerKeyOnly)
    .filter((operation) => (operation.path.match(/\{(\w+)\}/g) ?? []).every((placeholder) => placeholder === '{serviceName}') && operation.path.includes('{serviceName}'))
    .map((operation) => operation.name);
}

/** The IAM actions a 403 names (client.ts puts OVH's `unauthorizedActionsByIAM` in the message). */
function refusedIamActions(error: unknown): string[] {
  if (!(error instanceof OvhApiError) || error.kind !== 'forbidden') return [];
  const listed = /IAM actions? not allowed: ([^;]+);/.exec(error.ovhMessage)?.[1];
  return listed ? listed.split(',').map((action) => action.trim()).filter(Boolean) : [];
}

export function createCredentialActivities({ ovh }: { ovh: OvhClient }) {
  /** A service account's check: a token, the services it sees, and which read-only calls IAM refuses it. */
  async function checkServiceAccount(): Promise<ServiceAccountCheckResult> {
    const services = await ovhCall(() => ovh.listServices());
    const operations = readOnlyServiceOperations();
    const refused = new Set<string>();
    for (const serviceName of services.slice(0, PROBED_SERVICES)) {
      for (const name of operations) {
        try {
          await ovh.call('GET', operationPath(name, { serviceName }));
        } catch (error) {
          const actions = refusedIamActions(error);
          if (actions.length === 0 && error instanceof OvhApiError && error.transient) throw toActivityFailure(error);
          for (const action of actions) refused.add(action);
        }
      }
    }
    const required: NeededIamAction[] = requiredIamActions();
    const checked = new Set(required.filter((r) => r.operations.some((name) => operations.includes(name as OperationName))).map((r) => r.action));
    return {
      kind: 'service-account',
      endpoint: ovh.endpoint.url,
      tokenObtained: true,
      services,
      required,
      lacking: required.filter((r) => refused.has(r.action)),
      checked: services.length > 0 ? [...checked] : [],
    };
  }

  return {
    /**
     * Asks OVH for a new consumer key granting exactly what ovhflow needs. The answer holds the key (a secret): it
     * travels encrypted through Temporal and is never logged.
     */
    async requestConsumerKey(input: CredentialRequestInput = {}): Promise<CredentialRequestResult> {
      if (ovh.authKind === 'service-account') {
        throw permanentFailure(FAILURE_TYPES.invalidInput, 'this OVH account is a service account: it has no consumer key to request', {
          hint: 'its rights come from an IAM policy: print the one ovhflow needs with `ovhflow credentials policy --account <name>`',
        });
      }
      if (input.redirection !== undefined) {
        const issue = redirectionIssue(input.redirection);
        if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, issue);
      }
      const accessRules = requiredAccessRules();
      const answer = await ovhCall(() => ovh.requestCredential({ accessRules, ...(input.redirection ? { redirection: input.redirection } : {}) }));
      return { validationUrl: answer.validationUrl, consumerKey: answer.consumerKey, state: answer.state, accessRules, endpoint: ovh.endpoint.url };
    },

    /** What the consumer key in use may do, against what ovhflow needs. */
    async checkCurrentCredential(): Promise<CredentialCheckResult | ServiceAccountCheckResult> {
      if (ovh.authKind === 'service-account') return checkServiceAccount();
      const credential = await ovhCall(() => ovh.currentCredential()).catch((error: unknown) => {
        // The key may not even describe itself: say what that means rather than pointing back at this check.
        if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.forbidden) {
          const details = (error.details?.[0] ?? {}) as FailureDetails;
          throw ApplicationFailure.create({
            type: error.type ?? FAILURE_TYPES.forbidden,
            message: error.message,
            nonRetryable: true,
            details: [{ ...details, hint: 'this consumer key lacks GET /auth/currentCredential, which ovhflow needs (at least) for this check: request a key with `ovhflow credentials request`' }],
          });
        }
        throw error;
      });
      if (!credential) throw permanentFailure(FAILURE_TYPES.invalidCredentials, 'OVH described no consumer key for these credentials');
      const rules = credential.rules.map(({ method, path }) => ({ method, path }));
      const { lacking, unneeded } = compareWithRequired(rules);
      return {
        kind: 'classic',
        endpoint: ovh.endpoint.url,
        credential: {
          credentialId: credential.credentialId,
          applicationId: credential.applicationId,
          status: credential.status,
          creation: credential.creation,
          expiration: credential.expiration ?? null,
          lastUse: credential.lastUse ?? null,
          allowedIPs: credential.allowedIPs ?? null,
          rules,
        },
        required: requiredRulesWithOperations(),
        lacking,
        unneeded,
      };
    },
  };
}
