import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateFtpUserResult } from '../../src/shared/ftp-user.js';
import { parseCreateFtpUserInput } from '../../src/shared/inputs/index.js';
import { waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';

function input(raw: Record<string, unknown>) {
  const parsed = parseCreateFtpUserInput(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

describe('createFtpUser', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('ftp-user');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates the user with a generated password, once, even when triggered twice', async () => {
    const request = input({ serviceName: SHOP, login: 'demoshop-dev', home: 'shop', sshState: 'sftponly' });
    const [a, b] = await Promise.all([stack.runs.start('ftp-user', request), stack.runs.start('ftp-user', request)]);
    expect(b.workflowId).toBe(a.workflowId);
    const done = await outcomeOf(stack.runs, a.workflowId);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    const result = done.result as CreateFtpUserResult;
    expect(result).toMatchObject({ login: 'demoshop-dev', home: 'shop', sshState: 'sftponly', adopted: false });
    expect(result.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const user = (await stack.sim.state()).services[SHOP]!.users.find((u) => u.login === 'demoshop-dev');
    expect(user).toMatchObject({ home: 'shop', sshState: 'sftponly', status: 'created' });
    const posts = (await writesTo(stack.sim, SHOP)).filter((w) => w.path === `/hosting/web/${SHOP}/user` && w.status === 200);
    expect(posts).toHaveLength(1);
    // The password went to OVH masked in the simulator's log, and never in the clear.
    expect(JSON.stringify(await stack.sim.requests())).not.toContain(result.password);
  });

  it('a login that does not start with the primary login asks an operator, with zero writes', async () => {
    const before = (await writesTo(stack.sim, SHOP)).length;
    const ref = await stack.runs.start('ftp-user', input({ serviceName: SHOP, login: 'someone-dev', home: 'shop' }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'preflight', failureType: 'OvhflowInvalidInput' });
    expect(view.progress?.attention?.message).toContain('demoshop-');
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('aborted');
    expect((await writesTo(stack.sim, SHOP)).length).toBe(before);
  });

  it('an aborted run whose create succeeded but whose wait failed leaves no user behind', async () => {
    // OVH takes the user, then refuses to show the task: the wait fails and the run asks an operator.
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${SHOP}/tasks/*`, status: 403, times: 1 }]);
    const ref = await stack.runs.start('ftp-user', input({ serviceName: SHOP, login: 'demoshop-gone', home: 'gone' }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(view.progress?.attention).toMatchObject({ step: 'createUser', failureType: 'OvhForbidden' });
    expect(view.progress?.undo).toEqual(['delete user demoshop-gone']);
    await expect.poll(async () => (await stack.sim.state()).services[SHOP]!.users.find((u) => u.login === 'demoshop-gone')?.status).toBe('created');
    await stack.runs.abort(ref.workflowId);
    const aborted = await outcomeOf(stack.runs, ref.workflowId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toMatch(/undone: delete user demoshop-gone/);
    expect((await stack.sim.state()).services[SHOP]!.users.some((u) => u.login === 'demoshop-gone')).toBe(false);
  });
});
