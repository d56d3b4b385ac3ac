import { ConfigError, loadConfig, type Config } from '../config.js';
import { connectClient } from '../runs/temporal-client.js';
import { createRunService, DEFAULT_DECISION_TIMEOUT_MS, type RunService } from '../runs/service.js';
import { devKeyringIfPresent } from '../secrets/dev-key.js';

/** `OVHFLOW_DECISION_TIMEOUT_SECONDS`: how long an operator's decision waits for a worker to take it (default 30). */
function decisionTimeoutMs(): number {
  const raw = process.env.OVHFLOW_DECISION_TIMEOUT_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_DECISION_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ConfigError([`OVHFLOW_DECISION_TIMEOUT_SECONDS: "${raw}" is not a positive number of seconds`]);
  return seconds * 1000;
}

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
    return await body(createRunService({ client, taskQueue: config.temporal.taskQueue, decisionTimeoutMs: decisionTimeoutMs(), accounts: config.accounts }), config);
  } finally {
    await close();
  }
}
