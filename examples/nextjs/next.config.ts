import type { NextConfig } from 'next';

const config: NextConfig = {
  // `pnpm typecheck` type-checks this example; skipping Next's own pass keeps the build short in CI.
  typescript: { ignoreBuildErrors: true },
  // Inside this monorepo the SDK is compiled from its TypeScript sources, as every other example runs
  // it (`--conditions=@qrlogin/source`, `.js` specifiers naming `.ts` files). Turbopack can do neither,
  // so this example builds with webpack (`next build --webpack`); an app that installs @qrlogin/* from
  // npm needs none of this and builds with either.
  webpack(webpackConfig: { resolve: { conditionNames?: string[]; extensionAlias?: Record<string, string[]> } }) {
    webpackConfig.resolve.conditionNames = ['@qrlogin/source', '...'];
    webpackConfig.resolve.extensionAlias = { '.js': ['.ts', '.js'] };
    return webpackConfig;
  },
};

export default config;
