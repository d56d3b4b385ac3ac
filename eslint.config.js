// Lint: type-aware TypeScript rules, floating promises are errors, and workflow code stays deterministic —
// no Node built-ins, no I/O libraries, no value imports of activities.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioLibraries = ['ovh', 'pino', 'fastify', 'dotenv', 'undici', 'selfsigned', 'commander', 'log-update', 'cli-table3', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'src/simulator/generated/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Activities are async by contract even when an implementation happens not to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Test code and parsed JSON legitimately handle loosely typed values.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins or I/O here. Do the work in an activity.',
          })),
          patterns: [
            { group: ['node:*'], message: 'Workflow code must be deterministic: no Node built-ins here.' },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows may import activity *types* only (import type ...).',
            },
          ],
        },
      ],
    },
  },
);
