#!/usr/bin/env node
// Type-checks every package, example and the cross-package tests, each with its own tsconfig
// (the browser package sees the DOM, the app package sees neither DOM nor Node, and so on).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['packages', 'examples']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .filter((dir) => existsSync(join(dir, 'tsconfig.json')));
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
