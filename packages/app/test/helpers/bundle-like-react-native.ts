/**
 * Bundles an entry the way a React Native app's bundler (Metro) does, using esbuild for the module
 * graph and the real React Native Babel preset for the code:
 *
 * - resolution: the `react-native` export condition, `platform: 'neutral'` (no Node built-ins),
 *   main fields `react-native, browser, module, main`, and the package.json `browser` replacement
 *   map with `false` meaning "empty module" — Metro honours that map, esbuild's neutral platform
 *   does not, so a small plugin does it (this is what turns tweetnacl's guarded
 *   `require('crypto')` into `{}` in a real app);
 * - transformation: every module goes through `@react-native/babel-preset`, as Metro runs it on
 *   every file including `node_modules`; that is what lowers `class` (which Hermes 0.12 cannot run)
 *   and the other syntax Hermes lacks.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transformAsync } from '@babel/core';
import { build, type Plugin } from 'esbuild';

/** Finds the nearest package.json above `dir` that names a package. */
function owningPackage(dir: string): { browser?: unknown } | null {
  for (let current = dir; ; current = dirname(current)) {
    try {
      const pkg = JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as {
        name?: string;
        browser?: unknown;
      };
      if (pkg.name) return pkg;
    } catch {
      // no package.json here; keep walking up
    }
    if (dirname(current) === current) return null;
  }
}

const metroResolution: Plugin = {
  name: 'metro-browser-field',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const browser = owningPackage(args.resolveDir)?.browser;
      if (browser && typeof browser === 'object' && (browser as Record<string, unknown>)[args.path] === false) {
        return { path: args.path, namespace: 'metro-empty' };
      }
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'metro-empty' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
  },
};

const reactNativeBabel: Plugin = {
  name: 'react-native-babel-preset',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const result = await transformAsync(readFileSync(args.path, 'utf8'), {
        babelrc: false,
        configFile: false,
        filename: args.path,
        sourceType: 'unambiguous',
        // Helpers inline instead of from @babel/runtime, and ES modules left for esbuild to link:
        // the transform itself is the preset's own.
        presets: [['@react-native/babel-preset', { enableBabelRuntime: false, disableImportExportTransform: true }]],
      });
      return { contents: result?.code ?? '', loader: 'js' };
    });
  },
};

export interface ReactNativeBundle {
  code: string;
  /** Every module path in the bundle. */
  inputs: string[];
}

/**
 * Bundles `entry` into one script for Hermes. `conditions` are the export conditions after
 * `react-native` (tests add `@qrlogin/source` to run the TypeScript sources).
 *
 * @example
 * const { code } = await bundleLikeReactNative('test/hermes/hermes-entry.ts', ['@qrlogin/source']);
 */
export async function bundleLikeReactNative(entry: string, extraConditions: string[] = []): Promise<ReactNativeBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    conditions: ['react-native', ...extraConditions],
    mainFields: ['react-native', 'browser', 'module', 'main'],
    format: 'iife',
    logLevel: 'silent',
    plugins: [metroResolution, reactNativeBabel],
  });
  return { code: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
}
