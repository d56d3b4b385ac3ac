// `ovhflow doctor` through the binary, against the suite's dev server, a worker of this file and the simulator over
// HTTPS: every check passes on a working setup (exit 0); when the API's served schema no longer has an operation
// ovhflow calls, the report names it with the commands it breaks (exit 1); a bad --account is a usage error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/shared/doctor.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';

describe('ovhflow doctor through the binary', { timeout: 120_000 }, () => {
  let cliStack: CliStack;
  let ovhflow: Ovhflow;
  beforeAll(async () => {
    cliStack = await startCliStack('cli-doctor');
    ovhflow = await cliStack.ownWorker('cli-doctor');
  }, 90_000);
  afterAll(async () => {
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  it('passes on a working installation, then names the operation the served schema lacks and the commands it breaks', async () => {
    const healthy = await ovhflow('doctor');
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    for (const check of ['Temporal reachable', 'namespace', 'search attributes', 'workers', 'account default: endpoint reachable', 'account default: clock drift', 'account default: credentials valid', 'account default: rights', 'account default: API offers every call ovhflow makes']) {
      expect(healthy.stdout).toMatch(new RegExp(`^ok {4}${check}: `, 'm'));
    }
    expect(healthy.stdout).toContain('all checks pass');

    await cliStack.stack.sim.config({ schemaWithout: ['POST /hosting/web/{serviceName}/ssl/regenerate'] });
    try {
      const [broken, asJson] = await Promise.all([ovhflow('doctor', '--account', 'default'), ovhflow('doctor', '--json')]);
      expect(broken.code, broken.stdout + broken.stderr).toBe(1);
      expect(broken.stdout).toMatch(
        /^FAIL {2}account default: API offers every call ovhflow makes: POST \/hosting\/web\/\{serviceName\}\/ssl\/regenerate \(regenerateSsl\): the API no longer offers this operation; breaks provision, renew-cert, decommission$/m,
      );
      expect(broken.stdout).toMatch(/what to do: ovhflow was built against another version of the OVH API/);
      expect(asJson.code).toBe(1);
      const report = parsedJson(asJson) as DoctorReport;
      expect(report.ok).toBe(false);
      expect(report.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['account default: API offers every call ovhflow makes']);
    } finally {
      await cliStack.stack.sim.config({ schemaWithout: [] });
    }
  });

  it('refuses an account that is not configured, exit 2, before checking anything', async () => {
    const run = await ovhflow('doctor', '--account', 'nobody');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--account: no OVH account named "nobody"/);
  });
});
