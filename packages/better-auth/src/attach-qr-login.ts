import type { Server } from 'node:http';
import type { QrLogin } from '@qrlogin/server';
import type { AuthContext } from 'better-auth';
import { qrLoginInstance } from './qr-login.js';

/** The part of a `betterAuth()` instance {@link attachQrLogin} needs. */
export interface AuthWithContext {
  // Any better-auth instance: its context is typed by its own options, which vary per app.
  $context: Promise<Pick<AuthContext, 'options'>>;
}

/**
 * Serves qrlogin's WebSocket push on your Node server, at `{basePath}/qr-login/ws` (e.g.
 * `/api/auth/qr-login/ws`), leaving every other upgrade alone. Without it the browser falls back
 * to long-polling through better-auth's handler. Resolves to the qrlogin instance, for its audit
 * `events` and a graceful `close()` on shutdown.
 *
 * @example
 * import http from 'node:http';
 * import { toNodeHandler } from 'better-auth/node';
 * import { attachQrLogin } from '@qrlogin/better-auth';
 *
 * const server = http.createServer(toNodeHandler(auth));
 * const qr = await attachQrLogin(auth, server);
 * server.listen(3000);
 * // on shutdown: await qr.close();
 */
export async function attachQrLogin(auth: AuthWithContext, server: Server): Promise<QrLogin> {
  const context = await auth.$context;
  const qr = qrLoginInstance(context);
  if (!qr) throw new TypeError('attachQrLogin: add qrLogin() to betterAuth({ plugins }) first');
  qr.attach(server);
  return qr;
}
