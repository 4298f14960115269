/**
 * qrlogin on Express 5: `app.use(qr.node)` serves its routes under `/qrlogin` (and calls `next()`
 * for everything else), `qr.attach(server)` its WebSocket, and the host's own `POST /login/qr`
 * redeems a confirmed session and issues the host's own cookie.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';
import express from 'express';

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

  const app = express();
  // Before any body parser: qrlogin reads and size-limits its own bodies.
  app.use(qr.node);
  app.use(express.json({ limit: '1kb' }));

  app.post('/login/qr', async (req, res) => {
    try {
      const { sessionId, browserSecret }: Record<string, unknown> = req.body ?? {};
      // Once only: a second call for the same session throws ALREADY_REDEEMED.
      const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
      const sid = randomBytes(32).toString('base64url');
      sessions.set(sid, userId);
      res.cookie('sid', sid, { httpOnly: true, sameSite: 'lax', secure: origin.startsWith('https:') });
      res.json({ userId });
    } catch (err) {
      if (!isQrLoginError(err)) throw err;
      res.status(err.status).json(err.toJSON());
    }
  });

  app.get('/me', (req, res) => {
    const userId = sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');
    if (userId) res.json({ userId });
    else res.status(401).json({ error: 'not signed in' });
  });

  const server = app.listen(port);
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
