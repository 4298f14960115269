import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Every program the bench runs in a child process. */
export const CHILD_ENTRIES = [
  'servers/qrlogin-server.ts',
  'servers/bare-server.ts',
  'servers/bare-redis-server.ts',
  'servers/socketio-server.ts',
  'load/agent.ts',
] as const;

let built: Promise<string> | undefined;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * With `BENCH_QRLOGIN_REF=<commit>`, qrlogin's server, redis and protocol sources are taken from
 * that commit (exported with `git archive`), so a run can measure an earlier qrlogin under the same
 * conditions as today's — the "before" of a before/after.
 */
function sourcesAt(ref: string): Plugin {
  const dir = `${BENCH_DIR}results/.src-${ref}/`;
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', [
    '-c',
    `git -C "${ROOT}" archive "${ref}" packages/server/src packages/redis/src packages/protocol/src | tar -x -C "${dir}"`,
  ]);
  const pattern = /packages\/(server|redis|protocol)\/src\//;
  return {
    name: 'qrlogin-sources-at-ref',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'at-ref') return undefined;
        if (args.path.startsWith('@qrlogin/')) {
          const pkg = args.path.slice('@qrlogin/'.length);
          return { path: `${dir}packages/${pkg}/src/index.ts` };
        }
        const resolved = await b.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: 'at-ref',
        });
        const m = pattern.exec(resolved.path);
        if (!m || resolved.path.startsWith(dir)) return resolved;
        return { path: `${dir}${resolved.path.slice(resolved.path.indexOf('packages/'))}` };
      });
    },
  };
}

/**
 * Bundles the child programs (and the workspace sources they import) with esbuild, the way tsup
 * builds the published packages: no `keepNames`, no loader hooks. Running the sources through tsx
 * instead would measure tsx: its `keepNames` transform wraps every closure in `__name()`, which
 * costs CPU on every call site and 256 bytes of dictionary-mode properties per closure — a
 * per-socket cost qrlogin's users never pay. Baselines are bundled the same way.
 * Returns the output directory (`bench/results/.build/`).
 */
export function buildChildren(): Promise<string> {
  built ??= (async () => {
    const ref = process.env.BENCH_QRLOGIN_REF;
    const outdir = `${BENCH_DIR}results/.build${ref ? `-${ref}` : ''}`;
    await build({
      entryPoints: CHILD_ENTRIES.map((e) => `${BENCH_DIR}${e}`),
      outdir,
      outbase: BENCH_DIR,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@qrlogin/source'],
      // Optional native add-ons of ws; absent here, and ws runs without them.
      external: ['bufferutil', 'utf-8-validate'],
      // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
      banner: {
        js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
      },
      // The exported sources have no node_modules of their own: resolve their dependencies from the packages'.
      nodePaths: ref ? ['server', 'redis', 'protocol'].map((p) => `${ROOT}packages/${p}/node_modules`) : [],
      plugins: ref ? [sourcesAt(ref)] : [],
      logLevel: 'error',
    });
    return outdir;
  })();
  return built;
}
