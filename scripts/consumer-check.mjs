#!/usr/bin/env node
// What a stranger meets: every published package (packages/* without `private: true`) is packed
// with `pnpm pack`, and the tarballs are installed with npm into a fresh project outside the
// workspace (test/consumers/ copied to a temp dir). There the consumer's own TypeScript compiles
// against them with skipLibCheck off under moduleResolution node16, nodenext and bundler (ESM, and a
// CommonJS .cts backend that requires the ESM-only server), Vite builds a page with
// @qrlogin/browser and serves it with /qrlogin proxied to the server, and one complete login runs
// through the installed server and app.
// Needs `pnpm build` first. Exits non-zero on the first failing step; keeps the temp dir then.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'qrlogin-consumers-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);

/** Runs one step, its output shown once it ends; exits on failure, keeping the project to look at. */
const step = (title, cmd, args, cwd) =>
  new Promise((resolveStep) => {
    const at = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => {
      const seconds = ((performance.now() - at) / 1000).toFixed(1);
      process.stdout.write(output);
      if (code !== 0) {
        console.error(`FAIL ${title} (${seconds} s); the consumer project is kept in ${project}`);
        process.exit(1);
      }
      console.log(`ok   ${title} (${seconds} s)`);
      resolveStep();
    });
  });
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
/** The version the workspace itself installed, so the consumer compiles with the same tools. */
const installed = (name) => readJson(join(root, 'node_modules', name, 'package.json')).version;

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }))
  .filter(({ pkg }) => pkg.private !== true);

const dependencies = {};
const peers = {};
for (const { dir, pkg } of packages) {
  if (!existsSync(join(dir, 'dist'))) throw new Error(`${pkg.name} has no dist/: run \`pnpm build\` first`);
  const packed = spawnSync('pnpm', ['pack', '--json', '--pack-destination', tarballs], { cwd: dir, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`pnpm pack ${pkg.name} failed:\n${packed.stderr}${packed.stdout}`);
  dependencies[pkg.name] = `file:../tarballs/${basename(JSON.parse(packed.stdout).filename)}`;
  // Optional peers (fastify, hono …) are what a consumer of that entry point installs alongside.
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (!name.startsWith('@qrlogin/')) peers[name] = range;
  }
}

cpSync(join(root, 'test/consumers'), project, { recursive: true });
// Every export subpath of every package, type-imported, so a new package or entry point is
// compiled under each resolution mode without touching the fixtures.
const subpathImports = packages.flatMap(({ pkg }) =>
  Object.keys(pkg.exports ?? { '.': null })
    .filter((subpath) => !subpath.endsWith('.json'))
    .map((subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`)),
);
writeFileSync(
  join(project, 'src/exports.generated.ts'),
  subpathImports.map((spec, i) => `export type * as entry${i} from '${spec}';\n`).join(''),
);
// vite 8 needs npm 11 to install (see docs/getting-started.md); vite 7 otherwise.
const npmMajor = Number(spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.split('.')[0]);
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify(
    {
      name: 'qrlogin-consumer-check',
      private: true,
      type: 'module',
      dependencies: { ...dependencies, ...peers, ws: installed('ws') },
      devDependencies: {
        typescript: installed('typescript'),
        '@types/node': installed('@types/node'),
        '@types/ws': installed('@types/ws'),
        vite: npmMajor >= 11 ? '8.3.4' : '7.3.8',
      },
    },
    null,
    2,
  )}\n`,
);

await step(
  'npm install (the tarballs, from the local npm cache where it can)',
  'npm',
  ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
  project,
);
const tsc = join(project, 'node_modules/typescript/bin/tsc');
const vite = join(project, 'node_modules/vite/bin/vite.js');
// Independent of each other: run side by side.
await Promise.all([
  step('tsc: moduleResolution node16 (ESM)', process.execPath, [tsc, '-p', 'tsconfig.node16.json'], project),
  step('tsc: moduleResolution bundler', process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], project),
  step(
    'tsc: moduleResolution nodenext (ESM + CommonJS .cts)',
    process.execPath,
    [tsc, '-p', 'tsconfig.nodenext.json'],
    project,
  ),
  step(
    'vite build: a page with @qrlogin/browser',
    process.execPath,
    [vite, 'build', 'web', '--logLevel', 'warn'],
    project,
  ),
]);
await step('node: a CommonJS backend require()s @qrlogin/server', process.execPath, ['out/cjs/backend.cjs'], project);
await step('node: one complete login through the installed packages', process.execPath, ['out/src/login.js'], project);
await step('vite dev server: /qrlogin proxied with ws: true', process.execPath, ['dev/vite-proxy.mjs'], project);
const built = readdirSync(join(project, 'web/dist/assets')).filter((file) => file.endsWith('.js'));
const bundle = built.map((file) => readFileSync(join(project, 'web/dist/assets', file), 'utf8')).join('\n');
if (!bundle.includes('qr-login')) {
  console.error(`FAIL the Vite bundle does not define <qr-login>; see ${project}/web/dist`);
  process.exit(1);
}

rmSync(work, { recursive: true, force: true });
console.log(`consumer check passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
