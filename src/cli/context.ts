import { loadConfig, type Config } from '../config.js';
import { connectClient } from '../runs/temporal-client.js';
import { createRunService, type RunService } from '../runs/service.js';

/** Opens what a run command needs, runs it, and always closes the connection. */
export async function withRuns<T>(body: (runs: RunService, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { client, close } = await connectClient(config.temporal);
  try {
    return await body(createRunService({ client, taskQueue: config.temporal.taskQueue }), config);
  } finally {
    await close();
  }
}
