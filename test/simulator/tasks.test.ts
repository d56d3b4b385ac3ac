// OVH tasks move todo → init → doing → done over configurable durations, computed from timestamps alone; the
// resource a task works on follows it (taskId while working), and a finished task is forgotten after a while.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/simulator/config.js';
import { FaultBook } from '../../src/simulator/faults/fault-book.js';
import { seededRandom } from '../../src/simulator/faults/prng.js';
import { createDemoState } from '../../src/simulator/state/fixtures.js';
import type { TaskRecord } from '../../src/simulator/state/records.js';
import { TaskBook } from '../../src/simulator/tasks/task-book.js';
import { taskMoment } from '../../src/simulator/tasks/task-timeline.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const shop = '/hosting/web/demo-shop.ovh';

beforeAll(async () => {
  sim = await startTestSimulator();
});
beforeEach(async () => {
  await sim.reset();
  await sim.config({ taskDurationMs: { default: 60 }, taskRetentionMs: 600_000 });
});
afterAll(async () => {
  await sim.stop();
});

describe('task timeline (pure)', () => {
  const task = { createdAt: 1_000, durationMs: 1_000, finishAt: 2_000, outcome: 'done' } as TaskRecord;

  it('spends 10% in todo, 20% in init, the rest in doing, then ends', () => {
    expect(taskMoment(task, 1_000)).toEqual({ status: 'todo', lastUpdate: 1_000, doneDate: null });
    expect(taskMoment(task, 1_099).status).toBe('todo');
    expect(taskMoment(task, 1_100)).toEqual({ status: 'init', lastUpdate: 1_100, doneDate: null });
    expect(taskMoment(task, 1_300)).toEqual({ status: 'doing', lastUpdate: 1_300, doneDate: null });
    expect(taskMoment(task, 2_000)).toEqual({ status: 'done', lastUpdate: 2_000, doneDate: 2_000 });
    expect(taskMoment({ ...task, outcome: 'cancelled' }, 5_000).status).toBe('cancelled');
    expect(taskMoment({ ...task, finishAt: null }, 1_000_000).status).toBe('doing');
  });

  it('costs nothing until read: 20,000 tasks are created and settled in a blink', () => {
    const state = createDemoState(0);
    const book = new TaskBook(() => state, () => DEFAULT_CONFIG, new FaultBook(seededRandom(1)));
    const started = performance.now();
    for (let i = 0; i < 20_000; i += 1) {
      book.create('demo-shop.ovh', { function: 'dump/create', objectType: 'Database', objectId: 'x', subject: String(i) }, i % 5_000);
    }
    let settled = 0;
    book.settle(10_000, () => (settled += 1));
    book.settle(10_001, () => (settled += 1));
    expect(settled).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('tasks over the API', () => {
  it('go through todo, init, doing and done, and the database follows its task', async () => {
    await sim.config({ taskDurationMs: { 'database/create': 800 } });
    const created = await sim.call('POST', `${shop}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoshoptask', password: 'Passw0rdOk', type: 'mysql' } });
    expect(created.body).toMatchObject({ status: 'todo', doneDate: null, function: 'database/create' });
    const seen: string[] = [created.body.status as string];
    const databaseStatuses = new Set<string>();
    for (;;) {
      const task = (await sim.call('GET', `${shop}/tasks/${created.body.id}`)).body;
      const database = (await sim.call('GET', `${shop}/database/demoshoptask`)).body;
      if (seen.at(-1) !== task.status) seen.push(task.status as string);
      databaseStatuses.add(`${database.status}/${database.taskId === null ? 'null' : database.taskId === created.body.id ? 'task' : 'other'}`);
      if (task.status === 'done') {
        expect(task.doneDate).not.toBeNull();
        expect(Date.parse(task.doneDate as string) - Date.parse(task.startDate as string)).toBe(800);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(seen).toEqual(['todo', 'init', 'doing', 'done']);
    expect(databaseStatuses.has('creating/task')).toBe(true);
    expect((await sim.call('GET', `${shop}/database/demoshoptask`)).body).toMatchObject({ status: 'created', taskId: null });
  });

  it('take the duration configured for their function', async () => {
    await sim.config({ taskDurationMs: { default: 20, 'database/create': 2_000 } });
    const database = (await sim.call('POST', `${shop}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoshopslow', password: 'Passw0rdOk', type: 'mysql' } })).body;
    const domain = (await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'quick.example.org' } })).body;
    await sim.waitForTask('demo-shop.ovh', domain.id as number);
    expect((await sim.call('GET', `${shop}/tasks/${database.id}`)).body.status).not.toBe('done');
    expect((await sim.call('GET', `${shop}/tasks`, { query: { status: 'done' } })).body).toEqual([domain.id]);
    expect((await sim.call('GET', `${shop}/tasks`, { query: { function: 'database/create' } })).body).toEqual([database.id]);
  });

  it('are forgotten (404) once finished for longer than the retention, the resource staying', async () => {
    await sim.config({ taskRetentionMs: 100 });
    const task = (await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'gone.example.org' } })).body;
    await sim.waitForTask('demo-shop.ovh', task.id as number);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const gone = await sim.call('GET', `${shop}/tasks/${task.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ class: 'Client::NotFound', message: `The requested object (id = ${task.id}) does not exist` });
    expect((await sim.call('GET', `${shop}/tasks`)).body).toEqual([]);
    expect((await sim.call('GET', `${shop}/attachedDomain/gone.example.org`)).body).toMatchObject({ status: 'created' });
    expect((await sim.state()).services['demo-shop.ovh']?.tasks.map((t) => t.id)).toEqual([task.id]);
  });

  it('of another service are not found', async () => {
    const task = (await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'mine.example.org' } })).body;
    expect((await sim.call('GET', `/hosting/web/demo-agency.ovh/tasks/${task.id}`)).status).toBe(404);
  });
});
