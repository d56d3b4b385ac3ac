import { Client, Connection } from '@temporalio/client';
import type { TemporalConfig } from '../config.js';
import { encryptedDataConverter } from '../codec/encryption-codec.js';
import type { Keyring } from '../codec/keyring.js';
import { temporalConnectionOptions } from '../temporal/connection-options.js';

/** A Temporal client for the CLI and the HTTP API; close it when done. */
export async function connectClient(temporal: TemporalConfig, keyring: Keyring): Promise<{ client: Client; close: () => Promise<void> }> {
  // Outside the try: a bad certificate or key is a configuration error, not an unreachable server.
  const { namespace, ...options } = temporalConnectionOptions(temporal);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: 5000 });
  } catch (error) {
    throw new Error(
      `cannot reach the Temporal server at ${temporal.address} (${(error as Error).message}). Is \`npm start\` running, or TEMPORAL_ADDRESS set?`,
    );
  }
  return {
    client: new Client({ connection, namespace, dataConverter: encryptedDataConverter(keyring) }),
    close: () => connection.close(),
  };
}
