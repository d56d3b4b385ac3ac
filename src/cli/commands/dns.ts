// `ovhflow dns check --service S --domain D`: what the domain points at, and the exact records that would make it
// point at the hosting. Read-only, answered by the worker (the only process with OVH credentials). Exit code 0 when
// the domain points at the hosting, 1 when it does not (or the worker could not answer), 2 for bad input.
import Table from 'cli-table3';
import type { Command } from 'commander';
import { DNS_CHECK_WORKFLOW_PREFIX, type DnsCheckRequest, type DnsReport } from '../../shared/dns.js';
import { normalizeDomainName, normalizeServiceName } from '../../shared/inputs/common.js';
import { askWorker, DEFAULT_ASK_TIMEOUT_SECONDS, reportWorkerAnswerError, WorkerAnswerError } from '../ask-worker.js';
import { ACCOUNT_OPTION_HELP, EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';
import { timeoutFromFlag } from './ls.js';

interface DnsCheckFlags {
  account?: string;
  service: string;
  domain: string;
  timeout?: string;
  json?: boolean;
}

/** The flags as a request, by the same rules as provisioning's inputs. */
export function dnsCheckRequestFromFlags(flags: Pick<DnsCheckFlags, 'service' | 'domain'>): DnsCheckRequest {
  const serviceName = normalizeServiceName(flags.service);
  if (!serviceName.ok) throw new UsageError(`--service: ${serviceName.message}`);
  const domain = normalizeDomainName(flags.domain);
  if (!domain.ok) throw new UsageError(`--domain: ${domain.message}`);
  return { serviceName: serviceName.value, domain: domain.value };
}

export function renderDnsReport(report: DnsReport): string {
  const lines: string[] = [];
  const verdict = report.pointsAtHosting ? 'points at the hosting' : 'does NOT point at the hosting';
  lines.push(`${report.domain} ${verdict} ${report.serviceName}${report.attached ? '' : ' (not attached to it yet)'}`);
  lines.push(`  recommended: A ${report.recommended.ipv4.join(', ') || '-'}  AAAA ${report.recommended.ipv6.join(', ') || '-'}`);
  if (report.resolves.length > 0) {
    const table = new Table({ head: ['type', 'address', 'reaches this hosting', 'OVH address'], style: { head: [], border: [] } });
    for (const address of report.resolves) table.push([address.type, address.ip, address.dnsConfigured ? 'yes' : 'no', address.isOvhIp ? 'yes' : 'no']);
    lines.push('  resolves to:', table.toString().replace(/^/gm, '  '));
  } else if (report.attached) {
    lines.push('  resolves to: nothing');
  }
  if (report.zone) lines.push(`  DNS zone at OVH in this account: ${report.zone} (a provisioning with --dns auto sets the records itself)`);
  else if (!report.pointsAtHosting) lines.push("  DNS zone: not served by OVH in this account — change the records at the domain's DNS provider");
  if (report.certificate) lines.push(`  its own certificate: ${report.certificate.provider}, ${report.certificate.status}`);
  if (report.caaProblem) lines.push(`  CAA: ${report.caaProblem}`);
  if (report.records.length > 0) {
    const table = new Table({ head: ['name', 'type', 'target', 'why'], style: { head: [], border: [] } });
    for (const record of report.records) table.push([record.name, record.type, record.target, record.purpose]);
    lines.push('  create or change:', table.toString().replace(/^/gm, '  '));
  }
  if (report.present?.length) {
    const table = new Table({ head: ['name', 'type', 'target', 'why'], style: { head: [], border: [] } });
    for (const record of report.present) table.push([record.name, record.type, record.target, record.purpose]);
    lines.push('  already there (keep them):', table.toString().replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

export function registerDnsCommands(program: Command): void {
  const dns = program.command('dns').description("a domain's DNS: what it points at, what to change");
  dns
    .command('check')
    .description('read-only: does the domain point at the hosting, and which records would make it (exit 0 = it points, 1 = it does not)')
    .requiredOption('--service <serviceName>', 'the hosting service, e.g. demo-agency.ovh')
    .requiredOption('--domain <fqdn>', 'the domain')
    .option('--timeout <seconds>', `how long to wait for the worker's answer (default ${DEFAULT_ASK_TIMEOUT_SECONDS})`)
    .option('--account <name>', ACCOUNT_OPTION_HELP)
    .option('--json', 'machine-readable output: the report as one object')
    .action(async (flags: DnsCheckFlags) => {
      const request = dnsCheckRequestFromFlags(flags);
      const timeoutSeconds = timeoutFromFlag(flags.timeout);
      let report: DnsReport;
      try {
        report = await askWorker<DnsReport>({ workflowType: 'dnsCheck', idPrefix: DNS_CHECK_WORKFLOW_PREFIX, args: [request], timeoutSeconds, account: flags.account });
      } catch (error) {
        if (!(error instanceof WorkerAnswerError)) throw error;
        reportWorkerAnswerError(error);
        process.exitCode = EXIT.runFailed;
        return;
      }
      if (flags.json) printJson(report);
      else process.stdout.write(`${renderDnsReport(report)}\n`);
      process.exitCode = report.pointsAtHosting ? EXIT.ok : EXIT.runFailed;
    });
}
