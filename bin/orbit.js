#!/usr/bin/env node
// The `orbit` command: runs the compiled CLI (dist/src/cli.js). Build first with `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('orbit: dist/src/cli.js is missing; run `npm run build` first (or use `npm run orbit -- …`).\n');
  process.exit(1);
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
