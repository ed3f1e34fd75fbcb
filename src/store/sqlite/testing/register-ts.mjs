// Lets a plain `node` process import this repository's TypeScript sources (used by the crash test's
// child process): `node --import ./register-ts.mjs script.mjs`. Types are stripped by TypeScript's
// transpileModule; nothing is type-checked here (tsc does that for the repository).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
