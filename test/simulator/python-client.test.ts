// The official Python client (python-ovh 1.2.0) signs the full URL *with* the port; the simulator accepts it as
// OVH would accept its own host. Its setup installs the client into .tools/pyovh-venv on first use.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type Json, type TestSimulator } from '../support/simulator.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const venv = `${root}.tools/pyovh-venv`;
const python = `${venv}/bin/python`;
const script = new URL('./python/ovh_client_check.py', import.meta.url).pathname;
const PYTHON_OVH = '1.2.0';

/** python-ovh, project-locally: `python3 -m venv .tools/pyovh-venv && pip install ovh==1.2.0` when missing. */
async function ensurePythonOvh(): Promise<void> {
  const installed = existsSync(python) && (await run(python, ['-c', 'import importlib.metadata as m; print(m.version("ovh"))']).then(
    ({ stdout }) => stdout.trim() === PYTHON_OVH,
    () => false,
  ));
  if (installed) return;
  await run('python3', ['-m', 'venv', venv]);
  await run(`${venv}/bin/pip`, ['install', '--quiet', '--disable-pip-version-check', `ovh==${PYTHON_OVH}`], { timeout: 240_000 });
}

let sim: TestSimulator;

async function py(...args: string[]): Promise<Json> {
  const { stdout } = await run(python, [script, ...args], {
    env: {
      ...process.env,
      SIM_ENDPOINT: `${sim.url}/1.0`,
      SIM_APPLICATION_KEY: sim.credentials.applicationKey,
      SIM_APPLICATION_SECRET: sim.credentials.applicationSecret,
      SIM_CONSUMER_KEY: sim.credentials.consumerKey,
      REQUESTS_CA_BUNDLE: sim.caFile,
    },
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  await ensurePythonOvh();
  sim = await startTestSimulator();
}, 300_000);
afterAll(async () => {
  await sim.stop();
});

describe('the official Python client against the simulator', () => {
  it('signs with the port in the URL and gets answers, errors and query ids like OVH\'s', async () => {
    const result = await py('calls');
    expect(Math.abs(result.time - Date.now() / 1000)).toBeLessThan(5);
    expect(result.services).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);
    expect(result.credential).toMatchObject({ status: 'validated', rules: [{ method: 'GET', path: '/*' }, { method: 'POST', path: '/*' }, { method: 'PUT', path: '/*' }, { method: 'DELETE', path: '/*' }] });
    expect(result.databases).toEqual(['demoshopdb1']);
    expect(result.modules).toEqual([301, 302, 303, 304]);
    expect(result.task).toMatchObject({ function: 'attachedDomain/create', objectId: 'py.example.net' });
    expect(result.readTask.id).toBe(result.task.id);
    expect(result.regenerate).toMatchObject({ status: 'regenerating', provider: 'LETSENCRYPT' });
    expect(result.notFound).toMatchObject({ exception: 'ResourceNotFoundError', message: 'This service does not exist' });
    expect(result.notFound.queryId).toMatch(/^SIM\.ext-1\./);
    expect(result.badSecret).toMatchObject({ exception: 'BadParametersError', message: 'Invalid signature' });
    expect(result.badKey).toMatchObject({ exception: 'InvalidKey', message: 'This application key is invalid' });

    const signedWithPort = (await sim.requests()).filter((r) => r.path === '/hosting/web' && r.status === 200);
    expect(signedWithPort.length).toBeGreaterThan(0);
  });

  it('requests a consumer key, which works once validated and only for its rules', async () => {
    const requested = await py('consumer-key');
    expect(requested).toMatchObject({ state: 'pendingValidation' });
    const validation = new URL(requested.validationUrl as string);
    expect(validation.pathname).toBe('/auth/');

    const pending = await py('use-key', requested.consumerKey);
    expect(pending.services).toEqual({ exception: 'InvalidCredential', message: 'This credential is not valid' });

    const page = await sim.request('GET', `${validation.pathname}${validation.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('GET /hosting/web/*');
    const token = validation.searchParams.get('credentialToken') as string;
    const validated = await sim.request('POST', '/auth/', { credentialToken: token, action: 'validate' });
    expect(validated.status).toBe(200);

    const granted = await py('use-key', requested.consumerKey);
    expect(granted.services).toEqual({ ok: ['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh'] });
    expect(granted.service).toEqual({ ok: 'demo-shop.ovh' });
    expect(granted.write).toEqual({ exception: 'NotGrantedCall', message: 'This call has not been granted' });
  }, 60_000);
});
