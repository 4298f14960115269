/**
 * qrlogin on Hono (Node, `@hono/node-server`): the `qrLoginHono` middleware serves its routes under
 * `/qrlogin`, `qr.attach()` its WebSocket on the server `serve()` returns, and the host's own `POST /login/qr`, which redeems a
 * confirmed session and issues the host's own cookie.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';
import { qrLoginHono } from '@qrlogin/server/hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

// The host's own accounts and sessions; a real app keeps these in its database.
const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends
const sessions = new Map<string, string>(); // session cookie → userId

/**
 * Starts the example on `port` (0 picks a free one).
 *
 * @example
 * const { url, close } = await start(3000);
 */
export async function start(port = 3000, origin = `http://localhost:${port}`) {
  const qr = createQrLogin({
    origin,
    // Device registration: the phone proves who it is with the host's own auth (here a bearer token).
    authenticate: (request) => {
      const userId = APP_TOKENS.get(request.headers.get('authorization')?.slice('Bearer '.length) ?? '');
      return userId ? { userId } : null;
    },
  });

  const app = new Hono();
  // qrlogin's routes under /qrlogin via qr.fetch, with the client address from the Node socket.
  app.use(qrLoginHono(qr));

  app.post('/login/qr', async (c) => {
    try {
      // JSON only: a cross-site form cannot send it, so no other site can post a login here (login CSRF).
      if (!/^application\/json\b/.test(c.req.header('content-type') ?? '')) throw new Error('not JSON');
      const { sessionId, browserSecret } = await c.req.json<Record<string, unknown>>();
      // Once only: a second call for the same session throws ALREADY_REDEEMED.
      const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
      const sid = randomBytes(32).toString('base64url');
      sessions.set(sid, userId);
      setCookie(c, 'sid', sid, { httpOnly: true, sameSite: 'Lax', path: '/', secure: origin.startsWith('https:') });
      return c.json({ userId });
    } catch (err) {
      if (isQrLoginError(err)) return c.json(err.toJSON(), err.status as ContentfulStatusCode);
      return c.json({ error: { code: 'INVALID_REQUEST', message: 'send { sessionId, browserSecret } as JSON' } }, 400);
    }
  });

  app.get('/me', (c) => {
    const userId = sessions.get(getCookie(c, 'sid') ?? '');
    return userId ? c.json({ userId }) : c.json({ error: 'not signed in' }, 401);
  });

  // serve() without `createServer` makes a node:http server, the kind qr.attach() takes.
  const server = serve({ fetch: app.fetch, port }) as Server;
  qr.attach(server);
  await once(server, 'listening');
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
