// One structured log stream for the whole process: ovhflow's own code, the Temporal SDK, workflows (through the
// workflow logger sink) and activities all end up in the same pino logger, with secrets redacted by path and by value.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config.js';
import { redactSecretValues } from './secret-values.js';

/** Field paths whose values are never written to a log, wherever they appear. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'adminPassword',
  '*.adminPassword',
  '*.*.adminPassword',
  'secret',
  '*.secret',
  'applicationSecret',
  '*.applicationSecret',
  'consumerKey',
  '*.consumerKey',
  'key',
  '*.key',
  '*.*.key',
  'apiKey',
  '*.apiKey',
  'privateKey',
  '*.privateKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers["x-ovh-consumer"]',
  'headers["x-ovh-signature"]',
  '*.headers.authorization',
];

export type { Logger };

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream | pino.DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'ovhflow' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // By value too: whatever field or message a registered secret turns up in (see secret-values.ts).
    hooks: { streamWrite: redactSecretValues },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A log file, created with its folder if needed. */
export function logFileDestination(path: string): pino.DestinationStream {
  return pino.destination({ dest: path, mkdir: true, sync: false });
}
