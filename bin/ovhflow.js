#!/usr/bin/env node
// The `ovhflow` command. The TypeScript sources are compiled by `npm install` (the `prepare` script) into dist/.
import { existsSync } from 'node:fs';

// `ovhflow runs | head -1`: when the reader of stdout goes away, there is nobody left to tell anything — end quietly,
// as other command-line tools do, instead of dying on EPIPE with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('ovhflow: not built yet. Run `npm install` (or `npm run build`) in the project first.');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
