#!/usr/bin/env node
// Type-checks every package, example and the cross-package tests, each with its own tsconfig
// (the browser package sees the DOM, the app package sees neither DOM nor Node, and so on).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Each package's sources, plus its tests where they have their own config (tsconfig.test.json or
// test/tsconfig.json) because the tests may use Node or DOM types the sources must not.
const projects = ['packages', 'examples']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .flatMap((dir) => ['tsconfig.json', 'tsconfig.test.json', 'test/tsconfig.json'].map((file) => join(dir, file)))
  .filter((file) => existsSync(file));
if (existsSync('tsconfig.json')) projects.push('.');

let failed = 0;
for (const project of projects) {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--noEmit'], {
    stdio: 'inherit',
  });
  console.log(`${result.status === 0 ? 'ok  ' : 'FAIL'} ${project}`);
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
