// `ovhflow credentials request|check|policy`: a least-privilege consumer key, what an account's current credentials
// may do, and the IAM policy a service account needs. `request` and `check` run on the worker (it holds the secrets);
// `policy` is derived here from the code (operations table + vendored schema) and the accounts file's names.
import type { Command } from 'commander';
import {
  CREDENTIALS_WORKFLOW_PREFIX,
  redirectionIssue,
  type AccessRuleView,
  type CredentialCheckResult,
  type CredentialRequestResult,
  type ServiceAccountCheckResult,
} from '../../shared/credentials.js';
import { loadConfig } from '../../config.js';
import { iamPolicyFor, requiredIamActions } from '../../ovh/iam-actions.js';
import { resolveAccount } from '../../shared/accounts.js';
import { askWorker, reportWorkerAnswerError, WorkerAnswerError } from '../ask-worker.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';
import { timeoutFromFlag } from './ls.js';
import { asTyped } from '../invocation.js';

const rule = (r: AccessRuleView) => `${r.method.padEnd(6)} ${r.path}`;

async function answerOrExit<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof WorkerAnswerError)) throw error;
    reportWorkerAnswerError(error);
    process.exitCode = EXIT.runFailed;
    return undefined;
  }
}

export function renderCredentialRequest(answer: CredentialRequestResult): string {
  return [
    `A new consumer key was requested from ${answer.endpoint}, with exactly the ${answer.accessRules.length} access rules ovhflow needs:`,
    ...answer.accessRules.map((r) => `  ${rule(r)}`),
    '',
    'Open this address, log in to OVHcloud and validate the key:',
    `  ${answer.validationUrl}`,
    '',
    "Then put this line in the worker's environment (or its .env file) and restart the worker:",
    `OVH_CONSUMER_KEY=${answer.consumerKey}`,
  ].join('\n');
}

export function renderCredentialCheck(check: CredentialCheckResult): string {
  const { credential } = check;
  const lines = [
    `consumer key #${credential.credentialId} of application #${credential.applicationId} at ${check.endpoint}: ${credential.status}` +
      `, expires ${credential.expiration ?? 'never'}${credential.allowedIPs?.length ? `, from ${credential.allowedIPs.join(', ')} only` : ''}`,
    '',
    'It may call:',
    ...credential.rules.map((r) => `  ${rule(r)}`),
    '',
    `ovhflow needs ${check.required.length} access rules: ${check.required.length - check.lacking.length} granted, ${check.lacking.length} lacking.`,
  ];
  if (check.lacking.length > 0) {
    lines.push('', 'Lacking (OVH will refuse these calls with "This call has not been granted"):');
    for (const lacking of check.lacking) lines.push(`  ${rule(lacking).padEnd(48)} needed by ${lacking.operations.join(', ')}`);
    lines.push('', 'Request a key with every rule ovhflow needs: `ovhflow credentials request`.');
  }
  if (check.unneeded.length > 0) {
    lines.push(
      '',
      `The key may also do more than ovhflow needs (${check.unneeded.map(rule).map((r) => r.replace(/\s+/, ' ')).join(', ')}).`,
      'For least privilege, request one with exactly what ovhflow needs: `ovhflow credentials request`.',
    );
  }
  return lines.join('\n');
}

export function renderServiceAccountCheck(check: ServiceAccountCheckResult, account: string): string {
  const lines = [
    `service account of account "${account}" at ${check.endpoint}: a token was obtained with its client credentials`,
    `It may see ${check.services.length} hosting service(s)${check.services.length ? `: ${check.services.join(', ')}` : ''}.`,
  ];
  if (check.services.length === 0) lines.push('It sees no hosting service: its IAM policy grants webHosting:apiovh:get on none (or the account has none).');
  lines.push(
    '',
    `ovhflow needs ${check.required.length} IAM actions; the read-only calls checked ${check.checked.length} of them: ${check.checked.length - check.lacking.length} granted, ${check.lacking.length} lacking.`,
  );
  for (const lacking of check.lacking) lines.push(`  lacking ${lacking.action.padEnd(44)} needed by ${lacking.operations.join(', ')}`);
  lines.push('', `Write actions cannot be checked without writing: compare its policy with \`ovhflow credentials policy --account ${account}\`.`);
  return lines.join('\n');
}

export function registerCredentialsCommands(program: Command): void {
  const credentials = program
    .command('credentials')
    .description("an OVH account's credentials: request a least-privilege consumer key, check the current credentials, print a service account's IAM policy");

  credentials
    .command('request')
    .description('request a consumer key with exactly the access rules ovhflow needs; prints its validation URL and the OVH_CONSUMER_KEY line')
    .option('--redirect <url>', 'where OVH sends you after validating the key')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--timeout <seconds>', "how long to wait for the worker's answer")
    .option('--json', 'machine-readable output')
    .action(async (flags: { redirect?: string; account?: string; timeout?: string; json?: boolean }) => {
      if (flags.redirect !== undefined) {
        const issue = redirectionIssue(flags.redirect);
        if (issue) throw new UsageError(issue);
      }
      const timeoutSeconds = timeoutFromFlag(flags.timeout);
      const answer = await answerOrExit(() =>
        askWorker<CredentialRequestResult>({
          workflowType: 'requestCredentials',
          idPrefix: CREDENTIALS_WORKFLOW_PREFIX,
          args: [flags.redirect !== undefined ? { redirection: flags.redirect } : {}],
          timeoutSeconds,
          account: flags.account,
        }),
      );
      if (!answer) return;
      // The key is the answer the user asked for: printed (never logged).
      if (flags.json) printJson(answer);
      else process.stdout.write(`${renderCredentialRequest(answer)}\n`);
      process.exitCode = EXIT.ok;
    });

  credentials
    .command('check')
    .description("what an account's credentials may do (consumer key or service account), and which calls ovhflow needs they lack (exit 1 if any)")
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--timeout <seconds>', "how long to wait for the worker's answer")
    .option('--json', 'machine-readable output')
    .action(async (flags: { account?: string; timeout?: string; json?: boolean }) => {
      const timeoutSeconds = timeoutFromFlag(flags.timeout);
      const check = await answerOrExit(() =>
        askWorker<CredentialCheckResult | ServiceAccountCheckResult>({
          workflowType: 'checkCredentials',
          idPrefix: CREDENTIALS_WORKFLOW_PREFIX,
          args: [],
          timeoutSeconds,
          account: flags.account,
        }),
      );
      if (!check) return;
      if (flags.json) printJson({ ok: check.lacking.length === 0, ...check });
      else if (check.kind === 'service-account') process.stdout.write(asTyped(`${renderServiceAccountCheck(check, flags.account ?? 'default')}\n`));
      else process.stdout.write(asTyped(`${renderCredentialCheck(check)}\n`));
      process.exitCode = check.lacking.length === 0 ? EXIT.ok : EXIT.runFailed;
    });

  credentials
    .command('policy')
    .description("the IAM policy a service account needs: exactly the IAM actions of the calls ovhflow makes (OVH's POST /iam/policy body)")
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--service <serviceName...>', 'grant these hosting services only (default: every hosting service, *)')
    .option('--zone <zone...>', 'grant these DNS zones only, when ovhflow manages DNS (default: every zone, *)')
    .option('--json', 'machine-readable output: { account, policy, actions }')
    .action((flags: { account?: string; service?: string[]; zone?: string[]; json?: boolean }) => {
      const config = loadConfig();
      const name = resolveAccount(config.accounts, flags.account);
      const account = config.accounts.accounts.find((a) => a.name === name);
      // The client id names the identity when the accounts file gives it inline (it is not a secret).
      const clientId = account?.auth.kind === 'service-account' && !account.auth.clientId.startsWith('env:') ? account.auth.clientId : undefined;
      const policy = iamPolicyFor({
        account: name,
        endpoint: account?.endpoint ?? 'ovh-eu',
        ...(account?.nic ? { nic: account.nic } : {}),
        ...(clientId ? { clientId } : {}),
        ...(flags.service?.length ? { services: flags.service } : {}),
        ...(flags.zone?.length ? { zones: flags.zone } : {}),
      });
      const actions = requiredIamActions();
      if (flags.json) printJson({ account: name, policy, actions });
      else {
        const lines = [
          `Service account policy for the OVH account "${name}": the ${actions.length} IAM actions of the calls ovhflow makes, nothing else.`,
          ...actions.map((a) => `  ${a.action.padEnd(46)} ${a.operations.join(', ')}`),
          '',
          policy.identities.length
            ? 'Create it with POST /iam/policy (or the Control Panel, Identity and Access Management > Policies):'
            : 'Create it with POST /iam/policy after filling "identities" with the service account\'s identity URN ' +
              '(urn:v1:<region>:identity:credential:<nic>/oauth2-<client id>; give "nic" and "clientId" in the accounts file to have it filled):',
          JSON.stringify(policy, null, 2),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.exitCode = EXIT.ok;
    });
}
