import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.temporal).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'ovhflow' });
    expect(config.logLevel).toBe('info');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '' }).temporal.address).toBe('localhost:7233');
  });

  it('names every malformed setting in one clear error', () => {
    let error: unknown;
    try {
      loadConfig({ TEMPORAL_ADDRESS: 'no-port', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('TEMPORAL_ADDRESS: expected host:port');
    expect(message).toContain('LOG_LEVEL');
  });
});
