// The worker evaluates every module of the workflow bundle again for each cached run (the SDK's reusable V8 context
// gives each workflow its own module instances). zod and the input schemas built with it cost ~1.2 MB per cached
// run (docs/BENCHMARKS.md, worker memory), so workflow code imports only the zod-free input rules: starters and
// activities parse, workflows check shapes and corrections with the same rules written in plain JS.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

describe('the product workflow bundle', () => {
  const modules = [...readFileSync(inject('workflowBundlePath'), 'utf8').matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((m) => m[1] ?? '');

  it('is the bundle of the product workflows', () => {
    expect(modules).toContain('./src/workflows/provision-site.ts');
    expect(modules).toContain('./src/shared/inputs/set-arguments.ts');
  });

  it('holds no zod and no module built on it', () => {
    expect(modules.filter((m) => /node_modules\/zod\//.test(m))).toEqual([]);
    const zodModules = ['zod-parse', 'field-schemas', 'provision-site', 'provision-site-patch', 'restore', 'backup', 'ftp-user', 'nightly-dumps', 'index'];
    expect(modules.filter((m) => zodModules.some((name) => m === `./src/shared/inputs/${name}.ts`))).toEqual([]);
  });
});
