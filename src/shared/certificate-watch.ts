// The certificate expiry watch (src/workflows/certificate-watch.ts): what it reads and reports.

/**
 * Notify when a certificate has fewer days left than this. OVH renews its Let's Encrypt certificates about 30 days
 * before they expire: one with 21 days left is a renewal that did not happen.
 */
export const DEFAULT_CERTIFICATE_WARN_DAYS = 21;
export const DEFAULT_CERTIFICATE_WATCH_SCHEDULE_ID = 'ovhflow-certificate-watch';
export const DEFAULT_CERTIFICATE_WATCH_CRON = '0 6 * * *';

export interface CertificateWatchInput {
  /** Hosting services to watch; none: every service of the account. */
  services?: string[];
  warnDays?: number;
}

/** One domain's certificate: what OVH says of it, and what the domain serves. */
export interface CertificateReading {
  serviceName: string;
  domain: string;
  /** OVH's provider (LETSENCRYPT, SECTIGO, COMODO, CUSTOM). */
  provider: string;
  status: string;
  /** From the certificate the domain serves (TLS, port 443). */
  expiresAt?: string;
  daysLeft?: number;
  issuer?: string;
  /** Why it could not be read (DNS not pointing yet, connection refused, ...). */
  problem?: string;
}

export interface CertificateWatchResult {
  checked: number;
  warnDays: number;
  expiring: CertificateReading[];
  unreadable: CertificateReading[];
}
