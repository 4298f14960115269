import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: { resolve: ['@qrlogin/protocol'] },
  clean: true,
  target: 'node20',
  // The protocol package is private: bundle it. `@qrlogin/server` and `ioredis` are peers the host
  // installs, so `QrLoginError` here is the very class the server checks with `instanceof`.
  noExternal: ['@qrlogin/protocol'],
  external: ['@qrlogin/server', 'ioredis'],
});
