import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// Bundle workspace packages from their TypeScript sources, so no build order is needed.
const fromSource: Options['esbuildOptions'] = (options) => {
  options.conditions = ['@qrlogin/source', 'browser', 'import', 'default'];
};

// One `<script>` file cannot load a chunk: there the other ways in come from a second script.
export const waysInFromScript: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'ways-in-from-script',
  setup(build) {
    build.onResolve({ filter: /\/load-ways-in\.js$/ }, (args) => ({
      path: join(args.resolveDir, 'load-ways-in-global.ts'),
    }));
  },
};

/** What both `<script>` files share: one self-contained, minified IIFE each. */
const script: Options = {
  format: ['iife'],
  minify: true,
  target: 'es2022',
  platform: 'browser',
  noExternal: [/.*/],
  outExtension: () => ({ js: '.iife.js' }),
  esbuildOptions: fromSource,
};

export default defineConfig([
  {
    // `client` and `render-qr` are entries only so that code splitting puts them in separate
    // chunks: a page that imports just the client then never pulls in the `qrcode` encoder (a CJS
    // module bundlers must keep once imported, since it does not declare itself side-effect free).
    entry: ['src/index.ts', 'src/element.ts', 'src/client.ts', 'src/render-qr.ts', 'src/prompt.ts', 'src/link.ts'],
    format: ['esm'],
    dts: { resolve: ['@qrlogin/protocol'] },
    clean: true,
    target: 'es2022',
    platform: 'browser',
    // The protocol package is private: bundle it so the published package is self-contained.
    noExternal: ['@qrlogin/protocol'],
    esbuildOptions: fromSource,
  },
  {
    // The `<script>` build: everything in one file, `window.QrLogin`, <qr-login> defined on load.
    ...script,
    entry: { 'qr-login': 'src/iife.ts' },
    globalName: 'QrLogin',
    esbuildPlugins: [waysInFromScript],
  },
  // Open in app, "Can't scan?" and layout="tv" for the `<script>` build, loaded after it.
  { ...script, entry: { 'qr-login-ways-in': 'src/ways-in-iife.ts' } },
]);
