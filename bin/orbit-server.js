#!/usr/bin/env node
// `npm start`: builds only when the build is missing or older than a source file, then runs the server.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = ['dist/src/main.js', 'dist/web/index.html'].map((f) => join(root, f));
const inputs = ['src', 'web/src', 'web/index.html', 'web/public', 'web/vite.config.ts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};
/** The newest modification time under a path (files and folders; tests are not part of the build). */
const newest = (path) => {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (!/\.(test|conformance)\.ts$/.test(name)) max = Math.max(max, newest(join(path, name)));
  }
  return max;
};

const built = outputs.map(mtime);
const stale = built.some((t) => t === undefined) || Math.max(...inputs.map((p) => newest(join(root, p)))) > Math.min(...built);
if (stale) {
  process.stderr.write('orbit: building (npm run build)…\n');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { main } = await import(new URL('../dist/src/main.js', import.meta.url).href);
await main();
