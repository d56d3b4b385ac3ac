// `ovhflow rotate` and `ovhflow ftp-user update|delete|list`, run as operators run them: the binary in child
// processes, against the suite's Temporal dev server, one worker of this file and a real simulator over HTTPS. The
// simulator's admin API says what really happened at "OVH" (password changes, writes, users); the raw history (read
// without the codec), the worker's log lines and the CLI's output are searched for every new password.
// Every command is a process (a second or more of CPU each): the independent ones start together in beforeAll, and
// each test checks its own.
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotateCredentialsResult } from '../../src/shared/rotate.js';
import { escapeRegExp, parsedJson, startCliStack, type CliRun, type CliStack, type Ovhflow, expectRefusedStdout } from '../support/cli.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';
import { everythingIn, leakedIn } from '../security/support.js';

const SHOP = 'demo-shop.ovh';
const SHOP_DB = 'demoshopdb1';
const POLL = { timeout: 60_000, interval: 250 };

describe('ovhflow rotate and ftp-user update|delete|list through the binary', { timeout: 150_000 }, () => {
  const LOGIN = 'demoshop-ops';
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;
  /** The commands of the first round, started together. */
  let first: Record<'ftp' | 'module' | 'refused' | 'update' | 'deletePrimary' | 'list' | 'nothingToChange' | 'bothModule' | 'noLogin', Promise<CliRun>>;

  beforeAll(async () => {
    cliStack = await startCliStack('cli-ops');
    stack = cliStack.stack;
    ovhflow = await cliStack.ownWorker('cli-ops');
    const created = (await stack.sim.ovhClient().requestPromised('POST', `/hosting/web/${SHOP}/user`, { login: LOGIN, home: 'sites/ops', password: 'OpsUser2024x', sshState: 'none' })) as { id: number };
    await stack.sim.waitForTask(SHOP, created.id);
    // The first answer to the FTP password change is lost after OVH applied it: the retry must find that change,
    // not make a second one with another password.
    await stack.sim.faults([{ method: 'POST', path: `/hosting/web/${SHOP}/user/demoshop/changePassword`, reset: 'after', times: 1 }]);
    first = {
      ftp: ovhflow('rotate', 'ftp-user', '--service', SHOP, '--login', 'demoshop', '--wait'),
      module: ovhflow('rotate', 'module', '--service', SHOP, '--domain', 'shop.example.com', '--wait', '--json'),
      refused: ovhflow('rotate', 'database', '--service', SHOP, '--database', SHOP_DB, '--wait'),
      update: ovhflow('ftp-user', 'update', '--service', SHOP, '--login', LOGIN, '--home', 'sites/ops2', '--ssh', 'sftponly', '--wait', '--json'),
      deletePrimary: ovhflow('ftp-user', 'delete', '--service', SHOP, '--login', 'demoshop', '--yes', '--wait'),
      list: ovhflow('ftp-user', 'list', '--service', SHOP),
      nothingToChange: ovhflow('ftp-user', 'update', '--service', SHOP, '--login', 'demoshop-none'),
      bothModule: ovhflow('rotate', 'module', '--service', SHOP, '--domain', 'other.example.com', '--module-id', '999'),
      noLogin: ovhflow('ftp-user', 'delete', '--service', SHOP),
    };
  });
  afterAll(async () => {
    if (first) await Promise.allSettled(Object.values(first));
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  const passwordChanges = async () => (await stack.sim.state()).services[SHOP]!.passwordChanges;
  const changePasswordPosts = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.path.endsWith('/changePassword'));

  it('each rotation changes the password at OVH once (even when an answer is lost), delivers it masked unless --show-secrets, and never lets it reach raw history or logs; a database a CMS uses is refused without --even-if-used-by-cms, with zero writes', async () => {
    const [ftp, module, refused] = await Promise.all([first.ftp, first.module, first.refused]);

    // The CMS-used database: refused with what breaks and the flag to use, exit 2, nothing written.
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/FAILED/);
    expect(refused.stdout).toContain(`refused, nothing was changed: database ${SHOP_DB} on ${SHOP} is used by module 701 (https://shop.example.com/)`);
    expect(refused.stdout).toContain('--even-if-used-by-cms');
    expect((await changePasswordPosts()).filter((w) => w.path.includes('/database/'))).toEqual([]);
    expect((await passwordChanges()).filter((c) => c.kind === 'database')).toEqual([]);

    // FTP/SSH user: completed, masked, exactly one change applied at OVH despite the lost answer.
    expect(ftp.code, ftp.stderr).toBe(0);
    expect(ftp.stdout).toMatch(/✔ Set the new password +done/);
    expect(ftp.stdout).toContain('"password": "********"');
    expect(ftp.stdout).toContain('(passwords hidden: add --show-secrets to print them)');
    const ftpId = /^(rotate-credentials\/demo-shop\.ovh\/ftp-user\/demoshop\/\S+)  COMPLETED/m.exec(ftp.stdout)?.[1];
    expect(ftpId, ftp.stdout).toBeDefined();
    const ftpPosts = (await changePasswordPosts()).filter((w) => w.path.endsWith('/user/demoshop/changePassword'));
    expect(ftpPosts.map((w) => w.status)).toEqual([0]); // applied, its answer lost (reset after), and not sent again
    expect((await passwordChanges()).filter((c) => c.kind === 'user').map((c) => c.name)).toEqual(['demoshop']);

    // Module: OVH removed the call (2026). Refused before any run, with how to do it instead; nothing sent to OVH.
    expect(module.code, module.stdout + module.stderr).toBe(2);
    expect(module.stdout).toBe('');
    expect(module.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*no longer changes a module's admin password/);
    expect(module.stderr).toContain('"lost password"');
    expect((await stack.sim.requests()).filter((r) => /\/module\/\d+\/changePassword/.test(r.path))).toEqual([]);
    expect((await stack.runs.listRuns({ type: 'rotate' })).filter((run) => run.workflowId.includes('/module/'))).toEqual([]);

    // With the flag: the database gets its new password, the result says which CMS to reconfigure, and the simulator
    // shows that CMS now broken (it still has the old one), as on OVH.
    const forced = await ovhflow('rotate', 'database', '--service', SHOP, '--database', SHOP_DB, '--even-if-used-by-cms', '--wait', '--json', '--show-secrets');
    expect(forced.code, forced.stderr).toBe(0);
    const forcedRun = parsedJson(forced);
    expect(forcedRun).toMatchObject({
      status: 'completed',
      result: { target: { kind: 'database', name: SHOP_DB, user: SHOP_DB }, passwordDelivery: 'result', usedBy: [{ moduleId: 701, url: 'https://shop.example.com/' }] },
    });
    const databasePassword = forcedRun.result.password as string;
    expect(databasePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await passwordChanges()).filter((c) => c.kind === 'database').map((c) => c.name)).toEqual([SHOP_DB]);
    expect((await stack.sim.state()).services[SHOP]!.moduleHealth.find((m) => m.id === 701)?.problems.join(' ')).toContain(`the password of the database ${SHOP_DB} changed`);

    // The secrets: in the (encrypted) results only.
    const ftpPassword = ((await stack.runs.describeRun(ftpId!)).result as RotateCredentialsResult).password!;
    expect(ftpPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(ftpPassword).not.toBe(databasePassword);
    const secrets = { ftpPassword, databasePassword };
    expect(leakedIn([ftp.stdout, ftp.stderr, refused.stdout, module.stdout, forced.stderr].join('\n'), secrets)).toEqual([]);
    const plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    for (const workflowId of [ftpId!, forcedRun.workflowId as string]) {
      const history = await plain.workflow.getHandle(workflowId).fetchHistory();
      expect(leakedIn(everythingIn(history), secrets), workflowId).toEqual([]);
    }
    expect(leakedIn(stack.t.logLines.join('\n'), secrets)).toEqual([]);
    expect(leakedIn(JSON.stringify(await stack.sim.requests()), secrets)).toEqual([]);
  });

  it('ftp-user list shows the users; update changes home and SSH access; delete shows the user, waits for `confirm`, then deletes it; the primary login is refused', async () => {
    const [listed, updated, primary] = await Promise.all([first.list, first.update, first.deletePrimary]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/demoshop +│ \. +│ active .*│ yes/);
    expect(listed.stdout).toMatch(new RegExp(`${escapeRegExp(LOGIN)} +│ sites/ops2? +│`));

    expect(updated.code, updated.stderr).toBe(0);
    expect(parsedJson(updated)).toMatchObject({
      type: 'ftp-user-update',
      status: 'completed',
      result: { login: LOGIN, before: { home: 'sites/ops', sshState: 'none' }, after: { home: 'sites/ops2', sshState: 'sftponly' }, unchanged: false },
    });
    expect((await stack.sim.state()).services[SHOP]!.users.find((u) => u.login === LOGIN)).toMatchObject({ home: 'sites/ops2', sshState: 'sftponly', status: 'created' });

    expect(primary.code, primary.stdout + primary.stderr).toBe(2);
    expect(primary.stdout).toContain(`refused, nothing was deleted: demoshop is the primary FTP/SSH login of ${SHOP}`);
    const deletes = async () => (await writesTo(stack.sim, SHOP)).filter((w) => w.method === 'DELETE');
    expect(await deletes()).toEqual([]);

    const started = await ovhflow('ftp-user', 'delete', '--service', SHOP, '--login', LOGIN);
    expect(started.code, started.stderr).toBe(0);
    const id = /^started: (delete-ftp-user\/\S+)$/m.exec(started.stdout)?.[1];
    expect(id, started.stdout).toMatch(new RegExp(`^delete-ftp-user/${escapeRegExp(SHOP)}/${LOGIN}/`));
    expect(started.stdout).toContain(`nothing is deleted until you confirm: ovhflow confirm ${id}`);
    await expect.poll(async () => (await stack.runs.describeRun(id!)).status, POLL).toBe('needs-attention');
    const waiting = await ovhflow('status', id!);
    expect(waiting.code).toBe(1);
    expect(waiting.stdout).toContain(`deletes FTP/SSH user ${LOGIN} (home ./sites/ops2, ssh sftponly) on ${SHOP}`);
    expect(await deletes()).toEqual([]);

    const confirmed = await ovhflow('confirm', id!);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toBe(`confirmed: ${id} goes on with the FTP/SSH user deletion\n`);
    const done = await outcomeOf(stack.runs, id!);
    expect(done).toMatchObject({ status: 'completed', result: { deleted: { login: LOGIN, home: 'sites/ops2' }, alreadyGone: false, confirmedBy: 'update' } });
    expect((await deletes()).map((w) => w.path)).toEqual([`/hosting/web/${SHOP}/user/${LOGIN}`]);
    expect((await stack.sim.state()).services[SHOP]!.users.map((u) => u.login)).not.toContain(LOGIN);
  });

  it('bad input exits 2 with a clear message and starts nothing: no run, no call to OVH', async () => {
    const [nothingToChange, bothModule, noLogin] = await Promise.all([first.nothingToChange, first.bothModule, first.noLogin]);
    for (const run of [nothingToChange, bothModule, noLogin]) {
      expect(run.code, run.stderr).toBe(2);
      expectRefusedStdout(run);
    }
    expect(nothingToChange.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*say what to change: "home" and\/or "sshState"/);
    expect(bothModule.stderr).toMatch(/give the module's "id" or its "domain"\/"path", not both/);
    expect(noLogin.stderr).toMatch(/required option '--login <login>' not specified/);
    const calls = (await stack.sim.requests()).map((r) => r.path);
    expect(calls.filter((path) => path.includes('demoshop-none') || path.includes('/module/999'))).toEqual([]);
    const runs = await stack.runs.listRuns({ type: 'ftp-user-update' });
    expect(runs.filter((run) => run.workflowId.includes('demoshop-none'))).toEqual([]);
  });
});
