import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Row, ScenarioResult } from '../lib/result.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Entry {
  label: string;
  /** Package directory the entry resolves from. */
  pkg: string;
  code: string;
  /** Budget in bytes of gzip, from issue 8. */
  budget?: number;
}

const ENTRIES: Entry[] = [
  {
    label: 'browser client (createQrLoginClient)',
    pkg: 'browser',
    code: `export { createQrLoginClient } from './src/index.ts';`,
  },
  { label: '<qr-login> element (@qrlogin/browser/element)', pkg: 'browser', code: `import './src/element.ts';` },
  {
    label: 'browser client + element',
    pkg: 'browser',
    code: `export { createQrLoginClient, renderQrSvg } from './src/index.ts';\nimport './src/element.ts';`,
    budget: 15_000,
  },
  { label: 'whole @qrlogin/browser', pkg: 'browser', code: `export * from './src/index.ts';` },
  // packages/app/.size-limit.json's budget: 18 kB since the fast tweetnacl build (scenario 8), 19 kB
  // since registration signs the account and the label is checked on the phone.
  { label: 'app (@qrlogin/app, all exports)', pkg: 'app', code: `export * from './src/index.ts';`, budget: 19_000 },
];

/**
 * Scenario 7: minified ESM bundles (esbuild, browser platform, dependencies included) gzipped at
 * level 9, as a page or a React Native app would ship them. Budgets are in bytes (1 kB = 1000 B).
 */
export async function bundleSizes(): Promise<ScenarioResult> {
  const name = '7 bundle sizes (esbuild --minify, gzip -9)';
  const rows: Row[] = [];
  const details: Record<string, { minified: number; gzip: number }> = {};
  for (const entry of ENTRIES) {
    const out = await build({
      stdin: { contents: entry.code, resolveDir: `${ROOT}packages/${entry.pkg}`, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      conditions: ['@qrlogin/source', entry.pkg === 'app' ? 'react-native' : 'browser'],
      write: false,
      logLevel: 'silent',
    });
    const bytes = out.outputFiles[0]?.contents ?? new Uint8Array();
    const gzip = gzipSync(bytes, { level: 9 }).length;
    details[entry.label] = { minified: bytes.length, gzip };
    rows.push({
      scenario: name,
      metric: `${entry.label}, gzip bytes`,
      qrlogin: gzip,
      ...(entry.budget ? { bar: `≤ ${entry.budget / 1000} kB`, pass: gzip <= entry.budget } : {}),
    });
  }
  return { name, rows, details };
}
