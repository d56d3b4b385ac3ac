import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { createWorker } from '../../worker.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker against the configured Temporal server (TEMPORAL_ADDRESS)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      if (!config.keyring) {
        throw new ConfigError(['OVHFLOW_ENCRYPTION_KEY (or OVHFLOW_ENCRYPTION_KEY_FILE): required to run a worker outside `ovhflow dev`']);
      }
      const { worker, close } = await createWorker({ temporal: config.temporal, logger, ovh: config.ovh, keyring: config.keyring });
      // The SDK stops polling on SIGINT / SIGTERM and lets in-flight tasks finish before run() resolves.
      await worker.run();
      await close();
      logger.info('worker stopped');
    });
}
