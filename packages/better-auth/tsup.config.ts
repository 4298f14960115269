import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client.ts' },
  format: ['esm'],
  dts: { resolve: [/^@qrlogin\/protocol/] },
  clean: true,
  target: 'node20',
  // The protocol package is private: bundle it. The server, the app package and better-auth are
  // peers the host installs, so `QrLoginError` here is the very class the server checks.
  noExternal: ['@qrlogin/protocol'],
  external: ['@qrlogin/server', '@qrlogin/app', /^better-auth/],
  esbuildOptions(options) {
    options.conditions = ['@qrlogin/source'];
  },
});
