/**
 * Bundles the demo's two page scripts with esbuild when the demo starts, straight from the
 * TypeScript sources of `@qrlogin/browser` and `@qrlogin/app` (the `@qrlogin/source` condition),
 * so `pnpm demo` works on a fresh clone without building any package first.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file served under `/assets/`. */
export interface Asset {
  contentType: string;
  body: Buffer;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds `login.js` (the `<qr-login>` element), `phone.js` (the phone simulator on
 * `@qrlogin/app`), `signed-in.js` (the signed-in page's watch on `/me`) and reads `demo.css`. Returns them by file name.
 *
 * @example
 * const assets = await buildAssets();
 * assets.get('login.js')?.body; // an ES module
 */
export async function buildAssets(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: {
      login: here('./client/login.ts'),
      phone: here('./client/phone.ts'),
      'signed-in': here('./client/signed-in.ts'),
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // `browser` picks tweetnacl's and qrcode's browser builds; the source condition reads the
    // workspace packages' TypeScript instead of a `dist/` that may not exist yet.
    conditions: ['@qrlogin/source', 'browser'],
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: 'assets',
    logLevel: 'silent',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    assets.set(name, { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(file.contents) });
  }
  assets.set('demo.css', {
    contentType: 'text/css; charset=utf-8',
    body: await readFile(here('./assets/demo.css')),
  });
  return assets;
}
