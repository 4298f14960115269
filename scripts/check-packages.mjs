#!/usr/bin/env node
// Checks the built, publishable packages the way a consumer would meet them: publint for the
// package.json/exports, and size-limit budgets where a package sets them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let failed = 0;
const run = (cmd, args, cwd) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd });
  if (result.status !== 0) failed++;
  return result.status === 0;
};
for (const name of readdirSync('packages')) {
  const dir = join('packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  console.log(`\n── ${pkg.name}`);
  run(process.execPath, [join(process.cwd(), 'node_modules/publint/src/cli.js'), '--strict'], dir);
  if (pkg['size-limit'] || existsSync(join(dir, '.size-limit.json')) || existsSync(join(dir, '.size-limit.js'))) {
    run(process.execPath, [join(process.cwd(), 'node_modules/size-limit/bin.js')], dir);
  }
}
process.exit(failed ? 1 : 0);
