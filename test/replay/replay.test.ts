// Determinism guard: every committed history (captured from a real run with `npm run capture-history`) must replay
// against today's workflow code. A change that would break running workflows fails here, before it ships.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { runKinds } from '../../src/runs/run-kinds.js';
import * as workflows from '../../src/workflows/index.js';
import { REPLAY_KEYRING } from './replay-keyring.js';

const replayOptions = () => ({
  workflowBundle: { codePath: inject('workflowBundlePath') },
  dataConverter: encryptedDataConverter(REPLAY_KEYRING),
});

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** The workflow type a committed history is a run of (its first event says). */
function workflowTypeOf(file: string): string {
  const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
}

describe('replay of committed histories', () => {
  it('has a captured history for every workflow type the worker runs, every run kind included', () => {
    // Every workflow the bundle exports can be in flight when a new worker version starts: each must be replayed.
    const workflowTypes = Object.entries(workflows)
      .filter(([, exported]) => typeof exported === 'function')
      .map(([name]) => name);
    expect(workflowTypes).toEqual(expect.arrayContaining(runKinds().map(([, kind]) => kind.workflow.name)));
    const captured = new Set(files.map(workflowTypeOf));
    expect(workflowTypes.filter((type) => !captured.has(type)), 'workflow types without a history: capture one with npm run capture-history').toEqual([]);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const results = Worker.runReplayHistories(replayOptions(), [
      { workflowId: file, history },
    ]);
    let replayed = 0;
    for await (const result of results) {
      expect(result.error, `${file}: ${String(result.error)}`).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(1);
  });

  it('detects a workflow whose code no longer matches its history', async () => {
    // Rename the activity recorded in the history: replay must now fail, proving the harness can fail.
    const raw = readFileSync(join(dir, 'smoke.json'), 'utf8').replaceAll('"reportWorkerIdentity"', '"someOtherActivity"');
    const history = historyFromJSON(JSON.parse(raw));
    const results = Worker.runReplayHistories(replayOptions(), [
      { workflowId: 'tampered', history },
    ]);
    for await (const result of results) expect(result.error).toBeDefined();
  });
});
