// `ovhflow credentials request|check`, on the worker: the only process holding the OVH application secret and the
// consumer key. The rules asked for and checked are derived from the operations table (src/ovh/access-rules.ts).
import { ApplicationFailure } from '@temporalio/common';
import { compareWithRequired, requiredRulesWithOperations } from '../ovh/access-rules.js';
import { requiredAccessRules, type OvhClient } from '../ovh/client.js';
import { redirectionIssue, type CredentialCheckResult, type CredentialRequestInput, type CredentialRequestResult } from '../shared/credentials.js';
import { FAILURE_TYPES, type FailureDetails } from '../shared/failures.js';
import { ovhCall, permanentFailure } from './failures.js';

export function createCredentialActivities({ ovh }: { ovh: OvhClient }) {
  return {
    /**
     * Asks OVH for a new consumer key granting exactly what ovhflow needs. The answer holds the key (a secret): it
     * travels encrypted through Temporal and is never logged.
     */
    async requestConsumerKey(input: CredentialRequestInput = {}): Promise<CredentialRequestResult> {
      if (input.redirection !== undefined) {
        const issue = redirectionIssue(input.redirection);
        if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, issue);
      }
      const accessRules = requiredAccessRules();
      const answer = await ovhCall(() => ovh.requestCredential({ accessRules, ...(input.redirection ? { redirection: input.redirection } : {}) }));
      return { validationUrl: answer.validationUrl, consumerKey: answer.consumerKey, state: answer.state, accessRules, endpoint: ovh.endpoint.url };
    },

    /** What the consumer key in use may do, against what ovhflow needs. */
    async checkCurrentCredential(): Promise<CredentialCheckResult> {
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
      const rules = credential.rules.map(({ method, path }) => ({ method, path }));
      const { lacking, unneeded } = compareWithRequired(rules);
      return {
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
