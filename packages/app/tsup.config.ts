import { defineConfig } from 'tsup';

export default defineConfig({
  // `react` is its own entry so the core never pulls React in.
  entry: { index: 'src/index.ts', react: 'src/react/index.ts' },
  format: ['esm'],
  dts: { resolve: ['@qrlogin/protocol'] },
  clean: true,
  // Metro and the React Native Babel preset take ES2020 syntax; they lower the rest for Hermes.
  target: 'es2020',
  platform: 'neutral',
  // The protocol package is private: bundle it so the published package is self-contained.
  noExternal: ['@qrlogin/protocol'],
  external: ['tweetnacl', /^tweetnacl\//, 'react'],
  // Bundle the protocol from its TypeScript sources, so the build does not depend on the
  // protocol package having been built first.
  esbuildOptions(options) {
    options.conditions = ['@qrlogin/source'];
  },
});
