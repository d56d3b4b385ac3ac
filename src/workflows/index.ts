// The workflow bundle's entry point: every workflow type the worker serves.
export { smokeTest } from './smoke-test.js';
export { provisionSite } from './provision-site.js';
export { inventory } from './inventory.js';
export { requestCredentials, checkCredentials } from './credentials.js';
export { backupDatabase } from './backup-database.js';
export { restoreDatabase } from './restore-database.js';
export { nightlyDumps } from './nightly-dumps.js';
export { createFtpUser } from './create-ftp-user.js';
export { dnsCheck } from './dns-check.js';
export { renewCertificate } from './renew-certificate.js';
export { decommissionSite } from './decommission-site.js';
export { updateAttachedDomain } from './update-attached-domain.js';
export { rotateCredentials } from './rotate-credentials.js';
export { updateFtpUser } from './update-ftp-user.js';
export { deleteFtpUser } from './delete-ftp-user.js';
export { doctorAccount } from './doctor.js';
export { setPhpConfig } from './set-php-config.js';
