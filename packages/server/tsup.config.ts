import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'adapters/fastify': 'src/adapters/fastify.ts',
    'adapters/hono': 'src/adapters/hono.ts',
  },
  format: ['esm'],
  dts: { resolve: [/^@qrlogin\/protocol/], compilerOptions: { customConditions: [] } },
  clean: true,
  target: 'node20',
  // The protocol package is private: bundle it so the published package is self-contained.
  noExternal: ['@qrlogin/protocol'],
  external: ['fastify', 'hono'],
  // Resolve the private protocol package from source: it is bundled, never built on its own.
  esbuildOptions(options) {
    options.conditions = ['@qrlogin/source'];
  },
});
