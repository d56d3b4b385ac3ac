// `ovhflow confirm` for a restore started without --yes, and `ovhflow ftp-user`, run as operators run them: the binary
// in child processes, against the suite's Temporal dev server, a worker of this file and a real simulator over HTTPS.
// Exit codes (0 ok, 1 the run failed or needs attention, 2 bad usage or input) and output, human and --json; the
// simulator's admin API shows what really happened at "OVH". Generated passwords are printed only when asked.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { restoreWorkflowId } from '../../src/shared/backups.js';
import type { CreateFtpUserResult } from '../../src/shared/ftp-user.js';
import { escapeRegExp, parsedJson, startCliStack, type CliStack, expectRefusedStdout } from '../support/cli.js';
import { writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const SHOP_DB = 'demoshopdb1';
const POLL = { timeout: 60_000, interval: 250 };
/** A name no other test (nor an earlier run of the suite on the same server) uses: workflow ids are global. */
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

// Every command is a process (about a second each on an idle machine, several when the cores are busy): tests get room.
describe('ovhflow confirm and ovhflow ftp-user through the binary', { timeout: 150_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let ownWorker: CliStack['ownWorker'];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-confirm');
    ({ stack, ownWorker } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const statusOf = async (workflowId: string) => (await stack.runs.describeRun(workflowId)).status;

  it('a restore started without --yes waits (status exits 1), refuses retry and skip (exit 2), overwrites nothing until `confirm`, then completes; a second confirm is refused', async () => {
    const ovhflow = await ownWorker('cli-confirm');
    const requestId = `cli-${unique()}`;
    const id = restoreWorkflowId(SHOP, SHOP_DB, requestId);
    const started = await ovhflow('restore', '--service', SHOP, '--database', SHOP_DB, '--dump', '5001', '--no-safety-dump', '--request-id', requestId);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe(
      `started: ${id}\n` +
        `nothing is overwritten until you confirm: ovhflow confirm ${id}   (or: ovhflow abort ${id})\n` +
        `follow it with: ovhflow status ${id} --watch\n`,
    );
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');

    const [human, machine] = await Promise.all([ovhflow('status', id), ovhflow('status', id, '--json')]);
    expect([human.code, machine.code]).toEqual([1, 1]);
    expect(parsedJson(machine)).toMatchObject({ workflowId: id, type: 'restore', status: 'needs-attention', attention: { step: 'confirm', failureType: 'OvhflowConfirmationRequired' } });
    expect(human.stdout).toContain(`${id}  NEEDS-ATTENTION`);
    expect(human.stdout).toContain('NEEDS ATTENTION at step confirm (OvhflowConfirmationRequired)');
    expect(human.stdout).toContain(`overwrites database ${SHOP_DB} on ${SHOP}: waiting for a confirmation`);
    expect(human.stdout).toContain(`then: ovhflow confirm ${id}  |  ovhflow abort ${id}`);
    await vi.waitFor(
      async () => {
        const listed = await ovhflow('runs', '--needs-attention', '--type', 'restore', '--json');
        expect(listed.code, listed.stderr).toBe(0);
        expect(parsedJson(listed)).toContainEqual(expect.objectContaining({ workflowId: id, type: 'restore', status: 'needs-attention' }));
      },
      { timeout: 30_000, interval: 500 },
    );

    // Nothing failed: there is nothing to retry or skip, only a go-ahead to give (or an abort).
    const [retry, skip] = await Promise.all([ovhflow('retry', id), ovhflow('skip', id)]);
    expect([retry.code, skip.code]).toEqual([2, 2]);
    expect([retry.stdout, skip.stdout]).toEqual(['', '']);
    expect(retry.stderr).toMatch(/^ovhflow: cannot retry: step confirm waits for a go-ahead.*confirm it, or abort/);
    expect(skip.stderr).toMatch(/^ovhflow: cannot skip: step confirm waits for a go-ahead.*confirm it, or abort/);
    expect(await statusOf(id)).toBe('needs-attention');
    expect((await writesTo(stack.sim, SHOP)).filter((w) => w.path.endsWith('/restore'))).toEqual([]);

    const confirmed = await ovhflow('confirm', id);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toBe(`confirmed: ${id} goes on with the restore\n`);
    const watched = await ovhflow('status', id, '--watch', '--json');
    expect(watched.code, watched.stderr).toBe(0);
    expect(parsedJson(watched)).toMatchObject({
      workflowId: id,
      type: 'restore',
      status: 'completed',
      result: { serviceName: SHOP, databaseName: SHOP_DB, restored: { kind: 'dump', id: 5001 }, confirmedBy: 'update' },
    });
    const restores = (await writesTo(stack.sim, SHOP)).filter((w) => w.path.endsWith('/restore'));
    expect(restores.map((w) => `${w.method} ${w.path}`)).toEqual([`POST /hosting/web/${SHOP}/database/${SHOP_DB}/dump/5001/restore`]);

    const again = await ovhflow('confirm', id, '--json');
    expect(again.code).toBe(2);
    expectRefusedStdout(again);
    expect(again.stderr).toBe(`ovhflow: cannot confirm: run ${id} is completed, not waiting for an operator\n`);
  });

  it('abort on a restore waiting for its confirmation ends it aborted with nothing overwritten', async () => {
    const ovhflow = await ownWorker('cli-confirm-abort');
    const requestId = `cli-${unique()}`;
    const id = restoreWorkflowId(SHOP, SHOP_DB, requestId);
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    const started = await ovhflow('restore', '--service', SHOP, '--database', SHOP_DB, '--latest', '--no-safety-dump', '--request-id', requestId, '--json');
    expect(started.code, started.stderr).toBe(0);
    expect(parsedJson(started)).toMatchObject({ workflowId: id, status: 'running', existing: false });
    await expect.poll(() => statusOf(id), POLL).toBe('needs-attention');
    const aborted = await ovhflow('abort', id, '--json');
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(parsedJson(aborted)).toEqual({ workflowId: id, step: 'confirm', decision: 'abort' });
    await expect.poll(() => statusOf(id), POLL).toBe('aborted');
    const status = await ovhflow('status', id);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`${id}  ABORTED`);
    expect(status.stdout).toMatch(/^ {2}aborted: aborted by an operator at step confirm/m);
    // The run chose a dump and waited: it wrote nothing at OVH, so there was nothing to undo.
    expect((await writesTo(stack.sim, SHOP)).slice(writesBefore)).toEqual([]);
    const confirm = await ovhflow('confirm', id);
    expect(confirm.code).toBe(2);
    expect(confirm.stderr).toBe(`ovhflow: cannot confirm: run ${id} is aborted, not waiting for an operator\n`);
  });

  it('ftp-user creates the user; the generated password is masked unless --show-secrets; --json prints the run; a second trigger finds it', async () => {
    const ovhflow = await ownWorker('cli-ftp');
    const login = `demoshop-${unique()}`;
    const id = `create-ftp-user/${SHOP}/${login}`;
    const created = await ovhflow('ftp-user', '--service', SHOP, '--login', login, '--home', 'sites/cli', '--ssh', 'sftponly', '--wait');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^${escapeRegExp(id)}  COMPLETED`, 'm'));
    expect(created.stdout).toMatch(/✔ Create the FTP\/SSH user +done/);
    expect(created.stdout).toContain(`"login": "${login}"`);
    expect(created.stdout).toContain('"password": "********"');
    expect(created.stdout).toContain('(passwords hidden: add --show-secrets to print them)');
    const user = (await stack.sim.state()).services[SHOP]!.users.find((u) => u.login === login);
    expect(user).toMatchObject({ home: 'sites/cli', sshState: 'sftponly', status: 'created' });

    const password = ((await stack.runs.describeRun(id)).result as CreateFtpUserResult).password!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(created.stdout).not.toContain(password);
    expect(created.stderr).not.toContain(password);
    const [plain, shown] = await Promise.all([ovhflow('status', id, '--json'), ovhflow('status', id, '--json', '--show-secrets')]);
    expect([plain.code, shown.code]).toEqual([0, 0]);
    expect(plain.stdout).not.toContain(password);
    expect(parsedJson(plain).result).toEqual({ serviceName: SHOP, login, home: 'sites/cli', sshState: 'sftponly', password: '********', adopted: false });
    expect(parsedJson(shown).result.password).toBe(password);

    // --json, without and with --wait.
    const other = `demoshop-${unique()}`;
    const otherId = `create-ftp-user/${SHOP}/${other}`;
    const startedJson = await ovhflow('ftp-user', '--service', SHOP, '--login', other, '--home', 'sites/other', '--json');
    expect(startedJson.code, startedJson.stderr).toBe(0);
    expect(parsedJson(startedJson)).toMatchObject({ workflowId: otherId, status: 'running', existing: false });
    const followed = await ovhflow('status', otherId, '--watch', '--json');
    expect(followed.code, followed.stderr).toBe(0);
    expect(parsedJson(followed)).toMatchObject({
      workflowId: otherId,
      type: 'ftp-user',
      status: 'completed',
      result: { login: other, home: 'sites/other', sshState: 'none', password: '********', adopted: false },
    });

    // The same user asked for again: the run that made it, as it stands (completed), and nothing new at OVH.
    const postsBefore = (await writesTo(stack.sim, SHOP)).filter((w) => w.path === `/hosting/web/${SHOP}/user`).length;
    const [again, againHuman] = await Promise.all([
      ovhflow('ftp-user', '--service', SHOP, '--login', login, '--home', 'sites/cli', '--ssh', 'sftponly', '--wait', '--json'),
      ovhflow('ftp-user', '--service', SHOP, '--login', login, '--home', 'sites/cli', '--ssh', 'sftponly'),
    ]);
    expect([again.code, againHuman.code]).toEqual([0, 0]);
    expect(parsedJson(again)).toMatchObject({ workflowId: id, status: 'completed', result: { login, password: '********' } });
    expect(againHuman.stdout).toBe(`exists already (completed): ${id}\nfollow it with: ovhflow status ${id}\n`);
    expect((await writesTo(stack.sim, SHOP)).filter((w) => w.path === `/hosting/web/${SHOP}/user`).length).toBe(postsBefore);
  });

  it('ftp-user with bad input exits 2 and starts nothing: no run, no call to OVH, no user', async () => {
    const ovhflow = await ownWorker('cli-ftp-bad');
    const login = `demoshop-${unique()}`;
    const requestsBefore = (await stack.sim.requests()).length;
    const usersBefore = (await stack.sim.state()).services[SHOP]!.users.map((u) => u.login);
    const common = ['ftp-user', '--service', SHOP];
    const [ssh, home, badLogin, noHome, shopless] = await Promise.all([
      ovhflow(...common, '--login', login, '--home', 'www', '--ssh', 'sometimes'),
      ovhflow(...common, '--login', login, '--home', '../etc', '--json'),
      ovhflow(...common, '--login', 'Demo Shop', '--home', 'www'),
      ovhflow(...common, '--login', login),
      ovhflow('ftp-user', '--service', 'shop..ovh', '--login', login, '--home', 'www'),
    ]);
    for (const run of [ssh, home, badLogin, noHome, shopless]) {
      expect(run.code, run.stderr).toBe(2);
      expectRefusedStdout(run);
    }
    expect(ssh.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*sshState.*"sometimes" is not allowed; use one of "active", "none", "sftponly"/);
    expect(home.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*home.*"\.\."/);
    expect(badLogin.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*login.*"Demo Shop" may only contain lowercase letters, digits and "-"/);
    expect(noHome.stderr).toMatch(/required option '--home <folder>' not specified/);
    expect(shopless.stderr).toMatch(/^ovhflow: invalid input, nothing was started:\n.*serviceName/);

    const status = await ovhflow('status', `create-ftp-user/${SHOP}/${login}`);
    expect(status.code).toBe(2);
    expect(status.stderr).toBe(`ovhflow: no run with id "create-ftp-user/${SHOP}/${login}"\n`);
    expect((await stack.sim.requests()).length).toBe(requestsBefore);
    expect((await stack.sim.state()).services[SHOP]!.users.map((u) => u.login)).toEqual(usersBefore);
  });
});
