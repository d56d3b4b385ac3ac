// `ovhflow credentials request|check`: a least-privilege consumer key, and what the worker's current one may do.
// Both run on the worker (it holds the application secret and the key); the CLI prints the answer.
import type { Command } from 'commander';
import {
  CREDENTIALS_WORKFLOW_PREFIX,
  redirectionIssue,
  type AccessRuleView,
  type CredentialCheckResult,
  type CredentialRequestResult,
} from '../../shared/credentials.js';
import { askWorker, reportWorkerAnswerError, WorkerAnswerError } from '../ask-worker.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';
import { timeoutFromFlag } from './ls.js';

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

export function registerCredentialsCommands(program: Command): void {
  const credentials = program.command('credentials').description("the worker's OVH consumer key: request a least-privilege one, check the current one");

  credentials
    .command('request')
    .description('request a consumer key with exactly the access rules ovhflow needs; prints its validation URL and the OVH_CONSUMER_KEY line')
    .option('--redirect <url>', 'where OVH sends you after validating the key')
    .option('--timeout <seconds>', "how long to wait for the worker's answer")
    .option('--json', 'machine-readable output')
    .action(async (flags: { redirect?: string; timeout?: string; json?: boolean }) => {
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
    .description("what the worker's consumer key may do, and which calls ovhflow needs it lacks (exit 1 if any)")
    .option('--timeout <seconds>', "how long to wait for the worker's answer")
    .option('--json', 'machine-readable output')
    .action(async (flags: { timeout?: string; json?: boolean }) => {
      const timeoutSeconds = timeoutFromFlag(flags.timeout);
      const check = await answerOrExit(() =>
        askWorker<CredentialCheckResult>({ workflowType: 'checkCredentials', idPrefix: CREDENTIALS_WORKFLOW_PREFIX, args: [], timeoutSeconds }),
      );
      if (!check) return;
      if (flags.json) printJson({ ok: check.lacking.length === 0, ...check });
      else process.stdout.write(`${renderCredentialCheck(check)}\n`);
      process.exitCode = check.lacking.length === 0 ? EXIT.ok : EXIT.runFailed;
    });
}
