import { defineConfig, type Options } from 'tsup';

// Bundle workspace packages from their TypeScript sources, so no build order is needed.
const fromSource: Options['esbuildOptions'] = (options) => {
  options.conditions = ['@qrlogin/source', 'browser', 'import', 'default'];
};

export default defineConfig([
  {
    // `client` and `render-qr` are entries only so that code splitting puts them in separate
    // chunks: a page that imports just the client then never pulls in the `qrcode` encoder (a CJS
    // module bundlers must keep once imported, since it does not declare itself side-effect free).
    entry: ['src/index.ts', 'src/element.ts', 'src/client.ts', 'src/render-qr.ts', 'src/link.ts'],
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
    entry: { 'qr-login': 'src/iife.ts' },
    format: ['iife'],
    globalName: 'QrLogin',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
    outExtension: () => ({ js: '.iife.js' }),
    esbuildOptions: fromSource,
  },
]);
