import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
    const outdir = `${BENCH_DIR}results/.build`;
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
      logLevel: 'error',
    });
    return outdir;
  })();
  return built;
}
