#!/usr/bin/env node
// Checks the built, publishable packages (packages/* without `private: true`) the way a consumer
// would meet them: publint for the package.json/exports, size-limit budgets where a package sets
// them, and the tarball `pnpm pack` makes (what npm would publish, after .pnpmfile.cjs) for what its
// npm page and its installers need: a README whose links work on npmjs.com, repository (with
// directory), homepage and bugs, every exported file present, no `@qrlogin/source` condition, and
// no dependency of any kind on an unpublished workspace package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const REPOSITORY = 'git+https://github.com/qrlogin/qrlogin.git';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
/** package.json fields that name a file of the package. */
const ENTRY_FIELDS = ['main', 'module', 'types', 'typings', 'react-native', 'unpkg', 'jsdelivr'];

let failed = 0;
const run = (cmd, args, cwd) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd });
  if (result.status !== 0) failed++;
  return result.status === 0;
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every string leaf of an `exports` value, with the key path that leads to it. */
function* exportTargets(value, path = []) {
  if (typeof value === 'string') yield { path, target: value };
  else if (Array.isArray(value)) for (const item of value) yield* exportTargets(item, path);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* exportTargets(item, [...path, key]);
}

/**
 * Link and image targets of a README that do not work on the npm page: anything relative (npm
 * resolves nothing against the repository) and plain http.
 */
function brokenLinks(markdown) {
  // Code (fenced or inline) is shown as text, not linked.
  const prose = markdown.replace(/^(`{3,}|~{3,})[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...prose.matchAll(/\]\(\s*<?([^)\s>]+)/g),
    ...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm),
    ...prose.matchAll(/\b(?:href|src)=["']([^"']+)["']/g),
  ].map((match) => match[1]);
  return targets.filter((target) => !/^(https:\/\/|mailto:|#)/.test(target));
}

/** What is wrong with one unpacked tarball; an empty list when nothing is. */
function tarballProblems(unpacked, { directory, privateNames }) {
  const problems = [];
  const pkg = readJson(join(unpacked, 'package.json'));
  const readme = existsSync(join(unpacked, 'README.md')) ? readFileSync(join(unpacked, 'README.md'), 'utf8') : '';
  if (readme.trim().length < 200) problems.push('no README.md (or a stub): the npm page would be empty');
  for (const target of brokenLinks(readme)) problems.push(`README link "${target}" does not work on npmjs.com`);
  if (!pkg.license) problems.push('no "license"');
  const repo = pkg.repository;
  if (repo?.type !== 'git' || repo?.url !== REPOSITORY || repo?.directory !== directory) {
    problems.push(`"repository" must be { type: "git", url: "${REPOSITORY}", directory: "${directory}" }`);
  }
  if (!/^https:\/\//.test(pkg.homepage ?? '')) problems.push('no https "homepage"');
  if (!/^https:\/\//.test(pkg.bugs?.url ?? pkg.bugs ?? '')) problems.push('no https "bugs" URL');
  for (const { path, target } of exportTargets(pkg.exports ?? {})) {
    if (path.includes('@qrlogin/source')) problems.push(`exports ${path.join(' → ')}: the workspace-only condition`);
    else if (target.startsWith('./') && !target.includes('*') && !existsSync(join(unpacked, target))) {
      problems.push(`exports ${path.join(' → ')}: ${target} is not in the tarball`);
    }
  }
  for (const field of ENTRY_FIELDS) {
    const target = pkg[field];
    if (typeof target === 'string' && !existsSync(join(unpacked, target))) {
      problems.push(`"${field}": ${target} is not in the tarball`);
    }
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
      if (privateNames.has(name)) problems.push(`${field}: ${name} is never published`);
      if (String(spec).startsWith('workspace:')) problems.push(`${field}: ${name}@${spec} was not replaced at pack`);
    }
  }
  return problems;
}

const packages = readdirSync('packages')
  .map((name) => join('packages', name))
  .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }));
const privateNames = new Set(packages.filter(({ pkg }) => pkg.private === true).map(({ pkg }) => pkg.name));
const work = mkdtempSync(join(tmpdir(), 'qrlogin-pack-'));

for (const { dir, pkg } of packages.filter(({ pkg }) => pkg.private !== true)) {
  console.log(`\n── ${pkg.name}`);
  run(process.execPath, [join(process.cwd(), 'node_modules/publint/src/cli.js'), '--strict'], dir);
  if (pkg['size-limit'] || existsSync(join(dir, '.size-limit.json')) || existsSync(join(dir, '.size-limit.js'))) {
    run(process.execPath, [join(process.cwd(), 'node_modules/size-limit/bin.js')], dir);
  }
  const out = join(work, pkg.name.replace('/', '+'));
  mkdirSync(out, { recursive: true });
  const packed = spawnSync('pnpm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  if (packed.status !== 0) {
    console.error(`pnpm pack failed:\n${packed.stderr}${packed.stdout}`);
    failed++;
    continue;
  }
  spawnSync('tar', ['-xzf', JSON.parse(packed.stdout).filename, '-C', out], { stdio: 'inherit' });
  const problems = tarballProblems(join(out, 'package'), { directory: relative('.', dir), privateNames });
  for (const problem of problems) console.error(`✘ tarball: ${problem}`);
  if (problems.length) failed++;
  else console.log('✔ tarball: README, links, repository/homepage/bugs, exported files, dependencies');
}
rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
