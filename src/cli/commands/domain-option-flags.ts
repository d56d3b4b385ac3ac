// The attached domain's options as CLI flags (`provision` and `domain update`), handed to the input parsers as given
// (the parsers judge the values).
import type { Command } from 'commander';

export interface AttachedDomainOptionFlags {
  cdn?: string;
  firewall?: string;
  ownLog?: string;
  runtimeId?: string;
  ipLocation?: string;
  bypassDnsConfiguration?: boolean;
}

export function attachedDomainOptionsFromFlags(flags: AttachedDomainOptionFlags): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      cdn: flags.cdn,
      firewall: flags.firewall,
      ownLog: flags.ownLog,
      // A number when it reads as one, so "abc" is refused as "must be a whole number" rather than as text.
      runtimeId: flags.runtimeId === undefined ? undefined : /^\d{1,15}$/.test(flags.runtimeId.trim()) ? Number(flags.runtimeId) : flags.runtimeId,
      ipLocation: flags.ipLocation,
      bypassDNSConfiguration: flags.bypassDnsConfiguration,
    }).filter(([, value]) => value !== undefined),
  );
}

/** The attach options as flags, shared by `provision` and `domain update`. */
export function withAttachedDomainOptionFlags(command: Command): Command {
  return command
    .option('--cdn <active|none>', "serve it through the hosting's CDN")
    .option('--firewall <active|none>', "OVH's application firewall for it")
    .option('--own-log <domain>', 'write its logs with those of this attached domain (or itself)')
    .option('--runtime-id <id>', 'the hosting runtime it runs on (see GET /hosting/web/{serviceName}/runtime)')
    .option('--ip-location <country>', "the country of the hosting IP its DNS points at (FR, DE, UK, ...)")
    .option('--bypass-dns-configuration', "do not let OVH update the domain's DNS zone");
}
