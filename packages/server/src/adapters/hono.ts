/**
 * @module @qrlogin/server/hono
 *
 * Hono middleware: answers qrlogin's routes, passes everything else on.
 */
import type { MiddlewareHandler } from 'hono';
import type { QrLogin } from '../create-qr-login.js';

/**
 * Returns Hono middleware serving qrlogin under its base path. On Node (`@hono/node-server`) the
 * client address is read from the incoming socket; attach the WebSocket to the server that
 * `serve()` returns.
 *
 * @example
 * import { Hono } from 'hono';
 * import { serve } from '@hono/node-server';
 * import { createQrLogin } from '@qrlogin/server';
 * import { qrLoginHono } from '@qrlogin/server/hono';
 *
 * const qr = createQrLogin({ origin: 'https://example.com' });
 * const app = new Hono();
 * app.use(qrLoginHono(qr));
 * const server = serve({ fetch: app.fetch, port: 3000 });
 * qr.attach(server as import('node:http').Server);
 */
export function qrLoginHono(qr: QrLogin): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    const ours = path === qr.basePath || path.startsWith(`${qr.basePath}/`) || qr.wellKnownPaths.includes(path);
    if (!ours) return next();
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
    return qr.fetch(c.req.raw, { remoteAddress: incoming?.socket?.remoteAddress });
  };
}
