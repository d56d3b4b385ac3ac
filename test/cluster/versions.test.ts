// The compose file and `npm run cluster` run the same Temporal release, from the same configuration scripts: what
// the cluster kill test (npm run test:cluster) proves on this machine is what the compose file deploys.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster.js';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

describe('npm run cluster and docker-compose.yml', () => {
  it('pin the same Temporal release for the server and admin-tools images', () => {
    const compose = read('docker-compose.yml');
    const tags = [...compose.matchAll(/image: temporalio\/(server|admin-tools):\$\{TEMPORAL_VERSION:-([^}]+)\}/g)].map((m) => m[2]);
    expect(tags.length).toBeGreaterThanOrEqual(3);
    for (const tag of tags) expect(tag).toBe(TEMPORAL_SERVER_VERSION);
  });

  it('use the same dynamic config file and the same server settings', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toContain('./deploy/temporal/dynamicconfig:/etc/temporal/config/dynamicconfig:ro');
    expect(compose).toContain('DYNAMIC_CONFIG_FILE_PATH: config/dynamicconfig/production-sql.yaml');
    expect(read('scripts/cluster.ts')).toContain("join(root, 'deploy', 'temporal', 'dynamicconfig', 'production-sql.yaml')");
    const config = read('deploy/temporal/cluster/temporal.yaml');
    expect(config).toMatch(/^# enable-template/);
    expect(config).toContain('pluginName: "postgres12"');
    // The variable names of the server image's embedded template, which the compose file sets.
    for (const name of ['POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'POSTGRES_PWD', 'DYNAMIC_CONFIG_FILE_PATH', 'NUM_HISTORY_SHARDS']) expect(config).toContain(`"${name}"`);
  });

  it('set up the schema and the namespace with the same scripts', () => {
    const compose = read('docker-compose.yml');
    const cluster = read('scripts/cluster.ts');
    for (const script of ['setup-postgres.sh', 'setup-namespace.sh']) {
      expect(compose).toContain(`/ovhflow/${script}`);
      expect(cluster).toContain(`'${script}'`);
    }
  });
});
