/**
 * The page shell shared by the demo's pages. Everything interpolated goes through {@link escapeHtml};
 * there is no inline script or style anywhere, so the pages work under a CSP without
 * `'unsafe-inline'`.
 */

/**
 * Escapes text for HTML element content and double-quoted attribute values.
 *
 * @example
 * escapeHtml('<b>"x"</b>') // '&#60;b&#62;&#34;x&#34;&#60;/b&#62;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A full HTML document: `title` is escaped, `body` is trusted markup built by the caller with
 * {@link escapeHtml}, `script` is the name of a bundle under `/assets/`.
 *
 * @example
 * layout({ title: 'Sign in', body: '<main>…</main>', script: 'login.js' })
 */
export function layout(page: { title: string; body: string; script?: string }): string {
  const script = page.script ? `\n<script type="module" src="/assets/${escapeHtml(page.script)}"></script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="/assets/demo.css">${script}
</head>
<body>
${page.body}
</body>
</html>
`;
}
