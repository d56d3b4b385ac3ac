// The lint keeps workflow code deterministic: prove the rules fire on real files in src/workflows/.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const created: string[] = [];
afterEach(() => {
  for (const file of created.splice(0)) rmSync(file, { force: true });
});

async function lintWorkflowFile(source: string) {
  const file = `${root}src/workflows/lint-probe-${randomUUID().slice(0, 8)}.ts`;
  writeFileSync(file, source);
  created.push(file);
  const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint rules for workflow code', () => {
  it('rejects a workflow file importing node:fs', async () => {
    const messages = await lintWorkflowFile("import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync('x');\n");
    expect(messages.some((m) => m.includes('no-restricted-imports') && m.includes('deterministic'))).toBe(true);
  }, 60_000);

  it('rejects an I/O library and a value import of activities, but accepts a type import', async () => {
    const messages = await lintWorkflowFile(
      [
        "import { pino } from 'pino';",
        "import { createActivities } from '../activities/index.js';",
        "import type { Activities } from '../activities/index.js';",
        'export const x: [unknown, unknown, Activities | undefined] = [pino, createActivities, undefined];',
        '',
      ].join('\n'),
    );
    expect(messages.filter((m) => m.includes('no-restricted-imports'))).toHaveLength(2);
  }, 60_000);

  it('makes a floating promise an error', async () => {
    const messages = await lintWorkflowFile('async function later(): Promise<void> {}\nexport function run(): void {\n  later();\n}\n');
    expect(messages.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  }, 60_000);
});
