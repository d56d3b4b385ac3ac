// Inputs shared by the CLI, the HTTP API, the workflows' update validators and the preflight activity: zod schemas,
// one total parse function per input (`ParseResult`, never throws), and the normalized types workflows receive.
// Sandbox-safe: nothing here imports Node built-ins or does I/O.
export * from './issues.js';
export * from './ovh-enums.js';
export * from './common.js';
export * from './passwords.js';
export * from './modules.js';
export * from './provision-site.js';
export * from './provision-site-patch.js';
export * from './backup.js';
export * from './restore.js';
export * from './ftp-user.js';
export * from './nightly-dumps.js';
export * from './punycode.js';
