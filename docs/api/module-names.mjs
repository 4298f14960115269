// @ts-check
/**
 * TypeDoc plugin for the API reference: names each entry module after its import specifier
 * (`@qrlogin/server`, `@qrlogin/server/fastify` …) and keeps the entry file's overview.
 *
 * Why: the entry files open with `@module @qrlogin/server` followed by the overview. TSDoc reads
 * everything up to the next block tag as that tag's content, so TypeDoc sees a multi-paragraph
 * module name, ignores it, names the module after its path (`server/src`) and drops the overview.
 * This plugin names modules by their file and restores the overview from the source comment.
 */
import { relative } from 'node:path';
import { Comment, Converter, ReflectionKind } from 'typedoc';

/** Entry file (relative to the repository root) → the specifier users import. */
const NAMES = {
  'packages/server/src/index.ts': '@qrlogin/server',
  'packages/server/src/adapters/fastify.ts': '@qrlogin/server/fastify',
  'packages/server/src/adapters/hono.ts': '@qrlogin/server/hono',
  'packages/redis/src/index.ts': '@qrlogin/redis',
  'packages/browser/src/index.ts': '@qrlogin/browser',
  'packages/browser/src/element.ts': '@qrlogin/browser/element',
  'packages/browser/src/prompt.ts': '@qrlogin/browser/prompt',
  'packages/app/src/index.ts': '@qrlogin/app',
  'packages/better-auth/src/index.ts': '@qrlogin/better-auth',
  'packages/better-auth/src/client.ts': '@qrlogin/better-auth/client',
};

/**
 * The overview paragraphs of a file's leading `@module` comment: the text after the module name
 * and before the first other block tag.
 *
 * @param {string} text
 * @returns {string | undefined}
 */
function overviewOf(text) {
  const comment = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text)?.[1];
  if (!comment || !/@module\b/.test(comment)) return undefined;
  const lines = comment.split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
  const start = lines.findIndex((line) => line.startsWith('@module'));
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (/^@\w+/.test(line)) break;
    body.push(line);
  }
  // Inline links would stay raw text in a plain text part: show their target as code instead.
  const overview = body
    .join('\n')
    .replace(/\{@link\s+([^\s|}]+)[^}]*\}/g, '`$1`')
    .trim();
  return overview || undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const source = symbol?.declarations?.[0]?.getSourceFile();
    if (!source) return;
    const name = NAMES[/** @type {keyof typeof NAMES} */ (relative(process.cwd(), source.fileName))];
    if (name) reflection.name = name;
    const overview = overviewOf(source.text);
    if (overview && !reflection.comment?.summary.length) {
      reflection.comment ??= new Comment();
      reflection.comment.summary = [{ kind: 'text', text: overview }];
    }
  });
}
