/**
 * A better-auth host app with the qrlogin plugin, on a real node:http server on a free port:
 * better-auth's handler under `/api/auth` (qrlogin's routes included), the WebSocket attached
 * with `attachQrLogin`, and a login page with the `<qr-login>` element pointed at the plugin's
 * redeem route. Users sign in with email and password; `bearer()` is on for token clients.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QrLogin } from '@qrlogin/server';
import { type BetterAuthOptions, betterAuth } from 'better-auth';
import { toNodeHandler } from 'better-auth/node';
import { bearer } from 'better-auth/plugins';
import { buildIife } from '../../../browser/test/helpers/host-page.js';
import { attachQrLogin, type QrLoginPluginOptions, qrLogin } from '../../src/index.js';
import { migrate } from './databases.js';

/** A running host. */
export interface Host {
  url: string;
  auth: ReturnType<typeof createAuth>;
  qr: QrLogin;
  close(): Promise<void>;
}

function createAuth(
  url: string,
  database: BetterAuthOptions['database'],
  plugin: QrLoginPluginOptions,
  extra: Partial<BetterAuthOptions>,
) {
  return betterAuth({
    baseURL: url,
    secret: 'a-test-secret-that-is-long-enough-for-better-auth',
    database,
    emailAndPassword: { enabled: true },
    plugins: [bearer(), qrLogin({ rateLimits: false, ...plugin })],
    telemetry: { enabled: false },
    ...extra,
  });
}

let pageScript: Promise<string> | undefined;

/** `@qrlogin/browser`'s `<script>` build, bundled from source once per test file. */
function browserScript(): Promise<string> {
  pageScript ??= buildIife();
  return pageScript;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>Sign in</title>
<qr-login base-url="/api/auth/qr-login" redeem-url="/api/auth/qr-login/redeem"></qr-login>
<script src="/qr-login.js"></script>`;

/**
 * Starts a host on a free port, its tables created by better-auth's migrations.
 *
 * @example
 * const host = await startHost(await sqliteDatabase());
 */
export async function startHost(
  database: BetterAuthOptions['database'],
  plugin: QrLoginPluginOptions = {},
  extra: Partial<BetterAuthOptions> = {},
): Promise<Host> {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = createAuth(url, database, plugin, extra);
  await migrate(auth.options);
  const authHandler = toNodeHandler(auth);
  handle = (req, res) => {
    if (req.url?.startsWith('/api/auth/')) return void authHandler(req, res);
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    if (req.url === '/qr-login.js') {
      browserScript().then((js) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(js));
      return;
    }
    res.writeHead(404).end();
  };
  const qr = await attachQrLogin(auth, server);
  return {
    url,
    auth,
    qr,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** better-auth's session cookie name, as the hosts here configure it (the default). */
export const SESSION_COOKIE = 'better-auth.session_token';

/**
 * Who a cookie jar is signed in as, asked of better-auth itself (`null`: nobody).
 *
 * @example
 * expect((await whoIs(host, page.cookies))?.user.id).toBe(phone.userId);
 */
export function whoIs(host: Pick<Host, 'auth'>, cookies: Map<string, string>) {
  const headers = new Headers({ cookie: `${SESSION_COOKIE}=${cookies.get(SESSION_COOKIE) ?? ''}` });
  return host.auth.api.getSession({ headers });
}
