import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { createWorker } from '../../worker.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker against the configured Temporal server (TEMPORAL_ADDRESS)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const { worker, close } = await createWorker({ temporal: config.temporal, logger });
      // The SDK stops polling on SIGINT / SIGTERM and lets in-flight tasks finish before run() resolves.
      await worker.run();
      await close();
      logger.info('worker stopped');
    });
}
