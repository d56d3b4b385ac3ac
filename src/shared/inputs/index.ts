// Inputs shared by the CLI, the HTTP API, the workflows' update validators and the preflight activity: zod schemas,
// one total parse function per input (`ParseResult`, never throws), and the normalized types workflows receive.
// Sandbox-safe (no Node built-ins, no I/O), but this index pulls in zod: workflow code imports the zod-free modules
// directly (./issues, ./set-arguments, ./dump-selector, ./provision-site-rules, ...), never this file.
export * from './issues.js';
export * from './zod-parse.js';
export * from './values.js';
export * from './ovh-enums.js';
export * from './common.js';
export * from './field-schemas.js';
export * from './passwords.js';
export * from './modules.js';
export * from './attached-domain.js';
export * from './provision-site-rules.js';
export * from './provision-site.js';
export * from './set-arguments.js';
export * from './provision-site-patch.js';
export * from './backup.js';
export * from './dump-selector.js';
export * from './restore.js';
export * from './ftp-user.js';
export * from './domain-update.js';
export * from './nightly-dumps.js';
export * from './punycode.js';
export * from './shapes.js';
export * from './renew-certificate.js';
export * from './decommission.js';
export * from './rotate.js';
export * from './php-config.js';
export * from './env-vars.js';
export * from './deploy.js';
export * from './cron.js';
export * from './apply-fleet.js';
