/**
 * Measures the budgets in `packages/app/.size-limit.json` with size-limit's own esbuild and file
 * plugins (min + gzip, esbuild's browser platform, tree-shaken to the listed imports).
 *
 * The size-limit CLI is not used directly because it loads its plugins by bare name from its own
 * install location, where pnpm's hoisting puts the workspace root's size-limit 14 plugins (which
 * need Node 22); calling the API with the plugins imported from this package is the same
 * measurement without that lookup. Run it with `pnpm --filter @qrlogin/app size` after a build.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import esbuildPlugin from '@size-limit/esbuild';
import filePlugin from '@size-limit/file';
import sizeLimit from 'size-limit';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface SizeBudget {
  name: string;
  path: string;
  import: string;
  gzip: boolean;
  limit: string;
}

export interface SizeResult {
  name: string;
  /** Bytes, min + gzip. */
  size: number;
  /** Bytes allowed (`kB` = 1000 bytes, as size-limit counts). */
  limit: number;
}

/** The budgets as configured. */
export function readBudgets(): SizeBudget[] {
  return JSON.parse(readFileSync(`${PACKAGE_DIR}.size-limit.json`, 'utf8')) as SizeBudget[];
}

function parseLimit(limit: string): number {
  const match = /^([0-9.]+)\s*(B|kB)$/.exec(limit.trim());
  if (!match) throw new Error(`unsupported size-limit limit "${limit}" (use B or kB)`);
  return Number(match[1]) * (match[2] === 'kB' ? 1000 : 1);
}

/** Measures every budget; needs `dist/` (run the build first). */
export async function measureSize(): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const budget of readBudgets()) {
    const file = `${PACKAGE_DIR}${budget.path}`;
    // size-limit types its plugin list as functions and its result as `object`; both are wider
    // than what the plugins and the result really are.
    const plugins = [esbuildPlugin, filePlugin] as unknown as Parameters<typeof sizeLimit>[0];
    const [measured] = (await sizeLimit(plugins, {
      checks: [{ files: [file], import: { [file]: budget.import }, gzip: budget.gzip }],
    })) as { size?: number }[];
    results.push({ name: budget.name, size: measured?.size ?? Number.NaN, limit: parseLimit(budget.limit) });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await measureSize();
  for (const r of results) {
    console.log(
      `${r.size <= r.limit ? 'ok  ' : 'OVER'} ${r.name}: ${(r.size / 1000).toFixed(2)} kB of ${r.limit / 1000} kB (min+gzip)`,
    );
  }
  if (results.some((r) => !(r.size <= r.limit))) process.exit(1);
}
