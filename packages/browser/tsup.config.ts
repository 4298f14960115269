import { defineConfig, type Options } from 'tsup';

// Bundle workspace packages from their TypeScript sources, so no build order is needed.
const fromSource: Options['esbuildOptions'] = (options) => {
  options.conditions = ['@qrlogin/source', 'browser', 'import', 'default'];
};

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/element.ts'],
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
