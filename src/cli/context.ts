import { ConfigError, loadConfig, type Config } from '../config.js';
import { connectClient } from '../runs/temporal-client.js';
import { createRunService, type RunService } from '../runs/service.js';
import { devKeyringIfPresent } from '../secrets/dev-key.js';

/** Opens what a run command needs, runs it, and always closes the connection. */
export async function withRuns<T>(body: (runs: RunService, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Without a configured key, the embedded dev stack's key (if `npm start` ran here) reads what its worker wrote.
  const keyring = config.keyring ?? devKeyringIfPresent();
  if (!keyring) {
    throw new ConfigError(['OVHFLOW_ENCRYPTION_KEY: not set, and no dev key in .data/ (start `npm start` here, or set the key the workers use)']);
  }
  const { client, close } = await connectClient(config.temporal, keyring);
  try {
    return await body(createRunService({ client, taskQueue: config.temporal.taskQueue, accounts: config.accounts }), config);
  } finally {
    await close();
  }
}
