/**
 * Type-checks every TypeScript snippet of the user docs, so the docs cannot drift from the API.
 *
 * Each ```ts (or ```typescript) block of README.md, docs/*.md and packages/*\/README.md becomes a
 * module under `node_modules/.cache/doc-snippets/`, and one TypeScript program checks them all with
 * the repository's strict settings, DOM and Node types together. `@qrlogin/*` resolve to their
 * sources (the `@qrlogin/source` condition); any dependency of any workspace package (express,
 * fastify, hono, ioredis …) can be imported. Mark a block that is deliberately partial with
 * ```ts nocheck. Errors are reported against the Markdown file and line.
 *
 * Run: `pnpm exec tsx scripts/check-doc-snippets.ts` (exit code 1 on any error).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One fenced TypeScript block. */
export interface Snippet {
  /** Markdown file, relative to the root. */
  file: string;
  /** Line of the block's first code line (1-based). */
  line: number;
  code: string;
  /** Marked ```ts nocheck. */
  skipped: boolean;
}

/** One compiler error, placed in the Markdown source. */
export interface SnippetError {
  file: string;
  line: number;
  message: string;
}

/** Options of {@link checkDocSnippets}. */
export interface CheckOptions {
  /** Repository root. @default the parent of this script's folder */
  root?: string;
  /** Markdown files to read, relative to `root`. @default README.md, docs/*.md, packages/*\/README.md */
  files?: string[];
  /** Where the generated modules go. @default `<root>/node_modules/.cache/doc-snippets` */
  cacheDir?: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;

/**
 * The fenced ```ts / ```typescript blocks of one Markdown text.
 *
 * @example
 * extractSnippets('README.md', '```ts\nconst a = 1;\n```\n') // [{ file: 'README.md', line: 2, … }]
 */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open as unknown as [string, string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    // A fence closes with at least as many of the same character, and nothing else on the line.
    while (j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j] as string)) {
      body.push((lines[j] as string).slice(indent.length));
      j++;
    }
    if (lang === 'ts' || lang === 'typescript') {
      snippets.push({ file, line: i + 2, code: body.join('\n'), skipped: /\bnocheck\b/.test(rest) });
    }
    i = j;
  }
  return snippets;
}

function defaultFiles(root: string): string[] {
  const files = ['README.md'];
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  const packages = join(root, 'packages');
  if (existsSync(packages)) {
    for (const name of readdirSync(packages).sort()) files.push(`packages/${name}/README.md`);
  }
  return files.filter((file) => existsSync(join(root, file)));
}

/** Links every workspace package, and every dependency of the root and of any workspace package, into `nodeModules`. */
function linkDependencies(root: string, nodeModules: string): void {
  const link = (name: string, target: string) => {
    const at = join(nodeModules, name);
    if (existsSync(at)) return;
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  const workspaces = ['packages', 'examples'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : [],
  );
  for (const dir of workspaces) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
    if (name?.startsWith('@qrlogin/')) link(name, dir);
  }
  // The root's own dependencies too, so the cache works wherever it is (tests put it in a temp folder).
  for (const dir of [root, ...workspaces]) {
    const modules = join(dir, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((scoped) => `${entry}/${scoped}`)
        : [entry];
      for (const name of names) if (!name.startsWith('@qrlogin/')) link(name, join(modules, name));
    }
  }
}

/**
 * Extracts and type-checks the snippets; returns them and the errors found (none means the docs
 * compile).
 *
 * @example
 * const { snippets, errors } = checkDocSnippets();
 * for (const e of errors) console.error(`${e.file}:${e.line}: ${e.message}`);
 */
export function checkDocSnippets(options: CheckOptions = {}): { snippets: Snippet[]; errors: SnippetError[] } {
  const root = options.root ?? ROOT;
  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'doc-snippets');
  const files = options.files ?? defaultFiles(root);
  const snippets = files.flatMap((file) => extractSnippets(file, readFileSync(join(root, file), 'utf8')));

  rmSync(join(cacheDir, 'src'), { recursive: true, force: true });
  mkdirSync(join(cacheDir, 'src'), { recursive: true });
  linkDependencies(root, join(cacheDir, 'node_modules'));
  const byPath = new Map<string, Snippet>();
  for (const snippet of snippets) {
    if (snippet.skipped) continue;
    const name = `${snippet.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${snippet.line}.ts`;
    const path = join(cacheDir, 'src', name);
    // `export {}` makes every snippet a module: top-level await works and names do not collide.
    writeFileSync(path, `${snippet.code}\nexport {};\n`);
    byPath.set(resolve(path), snippet);
  }
  const tsconfig = {
    extends: relative(cacheDir, join(root, 'tsconfig.base.json')),
    compilerOptions: { lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: ['node'], noUnusedLocals: false },
    include: ['src'],
  };
  writeFileSync(join(cacheDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  if (byPath.size === 0) return { snippets, errors: [] };

  const config = ts.getParsedCommandLineOfConfigFile(
    join(cacheDir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('could not read the generated tsconfig.json');
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options: config.options });
  const errors: SnippetError[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    const snippet = diagnostic.file ? byPath.get(resolve(diagnostic.file.fileName)) : undefined;
    if (diagnostic.file && !snippet) {
      // An error inside a package's own sources is the type-check's to report, not the docs'.
      continue;
    }
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : 0;
    errors.push({ file: snippet?.file ?? '(config)', line: (snippet?.line ?? 0) + line, message });
  }
  return { snippets, errors };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { snippets, errors } = checkDocSnippets();
  for (const error of errors) console.error(`${error.file}:${error.line}: ${error.message}`);
  const checked = snippets.filter((s) => !s.skipped).length;
  console.log(
    `${checked} doc snippets checked, ${snippets.length - checked} marked nocheck, ${errors.length} error(s), from ${new Set(snippets.map((s) => s.file)).size} files`,
  );
  process.exitCode = errors.length > 0 ? 1 : 0;
}
