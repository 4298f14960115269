/**
 * The docs' TypeScript snippets compile against the real packages (`scripts/check-doc-snippets.ts`),
 * and the checker itself finds a broken snippet, places it on its Markdown line, and honours
 * `nocheck`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDocSnippets, extractSnippets } from '../scripts/check-doc-snippets.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('doc snippets', () => {
  it('every ```ts block of README.md, docs/*.md and the package READMEs type-checks', () => {
    const { snippets, errors } = checkDocSnippets();
    expect(snippets.length).toBeGreaterThan(0);
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
  }, 120_000);
});

describe('the snippet checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doc-snippets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('extracts ts / typescript blocks with their first code line, and only those', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '```sh', // 5
      'echo no', // 6
      '```', // 7
      '````typescript nocheck', // 8
      '```', // 9: not a close of a four-backtick fence
      '````', // 10
      '  ```ts', // 11
      '  const b = 2;', // 12
      '  ```', // 13
    ].join('\n');
    expect(extractSnippets('x.md', markdown)).toEqual([
      { file: 'x.md', line: 3, code: 'const a = 1;', skipped: false },
      { file: 'x.md', line: 9, code: '```', skipped: true },
      { file: 'x.md', line: 12, code: 'const b = 2;', skipped: false },
    ]);
  });

  it('reports a wrong snippet at its Markdown line, passes a right one, skips nocheck', () => {
    const file = join(dir, 'fixture.md');
    writeFileSync(
      file,
      [
        '```ts', // 1
        "import { createQrLogin } from '@qrlogin/server';", // 2
        "const qr = createQrLogin({ origin: 'https://example.com' });", // 3
        'await qr.close();', // 4
        '```', // 5
        '```ts', // 6
        "import { createQrLogin } from '@qrlogin/server';", // 7
        "createQrLogin({ origin: 'https://example.com', sessionTtl: 5 });", // 8: no such option
        '```', // 9
        '```ts nocheck', // 10
        'this is not TypeScript', // 11
        '```', // 12
      ].join('\n'),
    );
    const { snippets, errors } = checkDocSnippets({ files: [relative(ROOT, file)], cacheDir: join(dir, 'cache') });
    expect(snippets.map((s) => [s.line, s.skipped])).toEqual([
      [2, false],
      [7, false],
      [11, true],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: relative(ROOT, file), line: 8 });
    expect(errors[0]?.message).toMatch(/^TS2353: .*sessionTtl/);
  }, 120_000);
});
