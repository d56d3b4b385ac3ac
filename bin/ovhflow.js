#!/usr/bin/env node
// The `ovhflow` command. The TypeScript sources are compiled by `npm install` (the `prepare` script) into dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('ovhflow: not built yet. Run `npm install` (or `npm run build`) in the project first.');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
