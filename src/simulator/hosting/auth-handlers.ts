// /auth: server time, consumer-key requests (validated by a person on the validation page), the current
// credential, logout.
import type { AccessRule } from '../auth/access-rules.js';
import { gatewayErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { Handler } from './handler-context.js';
import { credentialView } from './views.js';

export const authHandlers = {
  'GET /auth/time': ({ now }) => Math.floor(now / 1000),

  'POST /auth/credential': ({ core, now, body, application, host }) => {
    // No consumer key yet, but the application must be known: that is who the key will belong to.
    if (!application) throw gatewayErrors.invalidKey();
    const credential = core.credentials.request(
      application,
      {
        rules: body.accessRules as AccessRule[],
        redirection: (body.redirection as string | undefined) ?? null,
        allowedIPs: (body.allowedIPs as string[] | undefined) ?? null,
      },
      now,
    );
    return {
      consumerKey: credential.consumerKey,
      state: credential.status,
      validationUrl: `https://${host}/auth/?credentialToken=${credential.validationToken}`,
    };
  },

  'GET /auth/currentCredential': ({ credential }) => (credential ? credentialView(credential) : null),

  'POST /auth/logout': ({ credential, now }) => {
    if (credential) {
      credential.status = 'expired';
      credential.expiration = now;
    }
    return null;
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
