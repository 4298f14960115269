// pnpm hooks. Only `beforePacking`: what `pnpm pack` / `pnpm publish` put in a published
// package.json. Checked on the packed tarballs by scripts/check-packages.mjs. pnpm-lock.yaml records
// this file's checksum: after editing it, run `pnpm install` (else --frozen-lockfile fails in CI).
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Workspace packages that are never published (bundled into the ones that are). */
const privatePackages = new Set(
  readdirSync(join(__dirname, 'packages'))
    .map((name) => JSON.parse(readFileSync(join(__dirname, 'packages', name, 'package.json'), 'utf8')))
    .filter((pkg) => pkg.private === true)
    .map((pkg) => pkg.name),
);

/**
 * Removes the `@qrlogin/source` export condition, which points at src/ (not in the tarball) and is
 * only for the workspace's own tests and tools.
 */
function withoutSourceCondition(exports) {
  if (exports === null || typeof exports !== 'object') return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== '@qrlogin/source')
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

module.exports = {
  hooks: {
    beforePacking(pkg) {
      if (pkg.exports) pkg.exports = withoutSourceCondition(pkg.exports);
      // A devDependency on an unpublished package would name something npm cannot resolve.
      for (const name of Object.keys(pkg.devDependencies ?? {})) {
        if (privatePackages.has(name)) delete pkg.devDependencies[name];
      }
      return pkg;
    },
  },
};
