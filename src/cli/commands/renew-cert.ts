// `ovhflow renew-cert`: replace a hosting's custom certificate (checked here first: key matches, chain, not expired,
// later expiry than --current-certificate; the worker then checks the domains it must keep covering), or get a fresh
// Let's Encrypt one. A bad certificate exits 2 with nothing started. Replacing a certificate removes the current one
// first (OVH has no update call): without --yes, the run shows what it replaces and waits for `ovhflow confirm RUN`.
import type { Command } from 'commander';
import { checkRenewalCertificate } from '../../inputs/certificate.js';
import { parseRenewCertificateInput } from '../../shared/inputs/index.js';
import { withRuns } from '../context.js';
import { ACCOUNT_OPTION_HELP, UsageError, invalidInput } from '../exit-codes.js';
import { requestIdOf, startedOrFollowed } from './backup.js';
import { readPem } from './provision.js';
import { asTyped } from '../invocation.js';

interface RenewCertFlags {
  account?: string;
  service: string;
  certificate?: string;
  key?: string;
  chain?: string;
  currentCertificate?: string;
  letsencrypt?: boolean;
  domain?: string;
  yes?: boolean;
  requestId?: string;
  wait?: boolean;
  json?: boolean;
}

/** The flags as the raw input the HTTP API would receive. */
export function renewInputFromFlags(flags: RenewCertFlags): unknown {
  const custom = flags.certificate !== undefined || flags.key !== undefined;
  if (custom === Boolean(flags.letsencrypt)) {
    throw new UsageError('say what to install: either --certificate FILE --key FILE [--chain FILE], or --letsencrypt');
  }
  if (!custom) return { serviceName: flags.service, mode: 'letsencrypt', confirmed: flags.yes ?? false, ...(flags.domain !== undefined ? { domain: flags.domain } : {}) };
  return {
    serviceName: flags.service,
    mode: 'custom',
    confirmed: flags.yes ?? false,
    certificate: readPem(flags.certificate, '--certificate'),
    key: readPem(flags.key, '--key'),
    ...(flags.chain ? { chain: readPem(flags.chain, '--chain') } : {}),
    ...(flags.currentCertificate ? { currentCertificate: readPem(flags.currentCertificate, '--current-certificate') } : {}),
  };
}

export function registerRenewCertCommand(program: Command): void {
  program
    .command('renew-cert')
    .description("replace the hosting's certificate with a new custom one, or regenerate Let's Encrypt")
    .requiredOption('--service <serviceName>', 'the hosting service')
    .option('--certificate <pem>', 'the new certificate (PEM file)')
    .option('--key <pem>', 'its private key (PEM file; never logged, encrypted in Temporal)')
    .option('--chain <pem>', 'the intermediate certificates, from the issuer upwards (PEM file)')
    .option('--current-certificate <pem>', 'the certificate being replaced: the new one must expire later (OVH does not expose it)')
    .option('--letsencrypt', "regenerate the Let's Encrypt certificate (or replace a custom one by Let's Encrypt)")
    .option('--domain <fqdn>', "with --letsencrypt: regenerate that attached domain's own certificate, not the hosting's")
    .option('--yes', 'confirm now that the current certificate may be removed for the new one (otherwise a replacement waits for `ovhflow confirm RUN`)')
    .option('--request-id <id>', 'names this renewal: the same id twice is one run (default: the current minute)')
    .option('--wait', 'follow the run until it completes or needs attention')
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output')
    .action(async (flags: RenewCertFlags) => {
      const parsed = parseRenewCertificateInput(renewInputFromFlags(flags));
      if (!parsed.ok) throw invalidInput(parsed.issues);
      if (parsed.value.mode === 'custom') {
        const issues = checkRenewalCertificate(parsed.value);
        if (issues.length > 0) throw invalidInput(issues, 'certificate');
      }
      const requestId = requestIdOf(flags);
      process.exitCode = await withRuns(async (runs) => {
        const ref = await runs.start('renew-cert', parsed.value, { account: flags.account, requestId: requestId });
        const reminder = parsed.value.confirmed
          ? undefined
          : () => process.stdout.write(asTyped(`a certificate to replace is removed only once you confirm: ovhflow confirm ${ref.workflowId}   (or: ovhflow abort ${ref.workflowId})\n`));
        return startedOrFollowed(runs, ref, flags, reminder);
      });
    });
}
