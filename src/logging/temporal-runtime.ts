import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import { pino } from 'pino';
import type { Logger } from './logger.js';

const SDK_TO_PINO: Record<SdkLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

const PINO_TO_SDK: Record<string, SdkLogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let installed = false;

/**
 * Routes the Temporal SDK's logs (worker, workflow logger, activity logger, and the Rust core's own lines) into
 * `logger`. A Runtime can be installed once per process, so later calls are ignored (answers false).
 */
export function installTemporalRuntimeLogger(logger: Logger, telemetry: { prometheusBindAddress?: string } = {}): boolean {
  if (installed) return false;
  installed = true;
  const level = PINO_TO_SDK[logger.level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      // "Still pending" checks of a wait are BENIGN failures: the SDK itself logs them at debug level.
      logger[SDK_TO_PINO[entry.level]]({ ...withReadableErrors(entry.meta), sdk: true }, entry.message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: level === 'TRACE' || level === 'DEBUG' ? level : 'WARN' }) },
      // The SDK's metrics, when asked for (src/metrics/sdk-metrics.ts).
      ...(telemetry.prometheusBindAddress ? { metrics: { prometheus: { bindAddress: telemetry.prometheusBindAddress } } } : {}),
    },
  });
  return true;
}

/**
 * The SDK passes errors (under `error`, sometimes `err`) as Error objects, which JSON writes as `{}`: why a workflow
 * task or an activity failed (a payload under a key this worker lacks, a bug) would never reach the log. They are
 * written the way pino writes `err`: type, message, stack. Secret values in them are redacted by the logger.
 */
function withReadableErrors(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(meta)) {
    if (value instanceof Error) {
      copy ??= { ...meta };
      copy[key] = pino.stdSerializers.err(value);
    }
  }
  return copy ?? meta;
}
