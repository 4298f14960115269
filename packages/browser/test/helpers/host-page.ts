/**
 * A minimal host application for the element test: one page under a strict CSP that loads the
 * `<script>` build of the element, and the host's own redeem route that calls `qr.redeem()` and
 * sets the host's session cookie.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isQrLoginError } from '@qrlogin/server';
import { build } from 'esbuild';
import { waysInFromScript } from '../../tsup.config.js';
import type { HostRoutes } from './start-server.js';

/** No inline script or style anywhere, no other origin: what a careful site sends. */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Bundles `src/iife.ts` the way `tsup` does for `dist/qr-login.iife.js`, from source; `'ways-in'`
 * bundles the second script, `dist/qr-login-ways-in.iife.js`.
 */
export async function buildIife(entry: 'element' | 'ways-in' = 'element'): Promise<string> {
  const result = await build({
    entryPoints: [
      fileURLToPath(new URL(entry === 'element' ? '../../src/iife.ts' : '../../src/ways-in-iife.ts', import.meta.url)),
    ],
    bundle: true,
    format: 'iife',
    ...(entry === 'element' ? { globalName: 'QrLogin' } : {}),
    plugins: [waysInFromScript],
    platform: 'browser',
    target: 'es2022',
    conditions: ['@qrlogin/source', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

// Runs before the element: records CSP violations and every qrlogin-* DOM event for the test.
const PAGE_SCRIPT = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
window.__events = [];
for (const type of ['qrlogin-state', 'qrlogin-login', 'qrlogin-error', 'qrlogin-confirmed']) {
  document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
}
`;

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The host's routes: `/` (the login page), `/page.js`, `/qr-login.js`, `POST /login/qr`, `/account`. */
export function hostPage(options: {
  bundle: string;
  lang: string;
  attributes: Record<string, string>;
  /** A second `<script>` after the element's (`/qr-login-ways-in.js`). */
  waysInBundle?: string;
}): HostRoutes {
  const attributes = Object.entries(options.attributes)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  const html = `<!doctype html><html lang="${options.lang}"><head><meta charset="utf-8"><title>Sign in</title>
<script src="/page.js"></script><script src="/qr-login.js"></script>${options.waysInBundle ? '<script src="/qr-login-ways-in.js"></script>' : ''}</head>
<body><main><h1>Sign in</h1><qr-login${attributes}></qr-login></main></body></html>`;
  return (req, res, qr) => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': STRICT_CSP, ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/') send(200, 'text/html; charset=utf-8', html);
    else if (req.url === '/page.js') send(200, 'text/javascript', PAGE_SCRIPT);
    else if (req.url === '/qr-login.js') send(200, 'text/javascript', options.bundle);
    else if (req.url === '/qr-login-ways-in.js' && options.waysInBundle)
      send(200, 'text/javascript', options.waysInBundle);
    else if (req.url === '/account') send(200, 'text/html; charset=utf-8', '<!doctype html><title>Account</title>');
    else if (req.method === 'POST' && req.url === '/login/qr') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', async () => {
        try {
          const input = JSON.parse(body) as { sessionId: string; browserSecret: string };
          const login = await qr.redeem({ sessionId: input.sessionId, browserSecret: input.browserSecret });
          // A fresh session of the host's own, as DESIGN asks: nothing from qrlogin is reused.
          const sid = randomBytes(24).toString('base64url');
          send(200, 'application/json', JSON.stringify({ userId: login.userId }), {
            'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`,
          });
        } catch (error) {
          // As docs/server.md's route does: qrlogin's status and body, so the page can tell a 503 (retry) apart.
          if (isQrLoginError(error)) send(error.status, 'application/json', JSON.stringify(error.toJSON()));
          else send(400, 'application/json', JSON.stringify({ error: String((error as Error).message) }));
        }
      });
    } else return false;
    return true;
  };
}
