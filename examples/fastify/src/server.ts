/**
 * qrlogin on Fastify 5: the `qrLoginFastify` plugin serves its routes under `/qrlogin` and its
 * WebSocket on `app.server`; the host's own `POST /login/qr` redeems a confirmed session and issues
 * the host's own cookie.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';
import { qrLoginFastify } from '@qrlogin/server/fastify';
import Fastify from 'fastify';

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

  const app = Fastify();
  // qrlogin's routes under /qrlogin (they read their own raw bodies) and its WebSocket on app.server.
  await app.register(qrLoginFastify(qr));

  app.post<{ Body: { sessionId?: unknown; browserSecret?: unknown } | null }>('/login/qr', async (request, reply) => {
    try {
      const { sessionId, browserSecret } = request.body ?? {};
      // Once only: a second call for the same session throws ALREADY_REDEEMED.
      const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
      const sid = randomBytes(32).toString('base64url');
      sessions.set(sid, userId);
      const secure = origin.startsWith('https:') ? '; Secure' : '';
      reply.header('set-cookie', `sid=${sid}; HttpOnly; SameSite=Lax; Path=/${secure}`);
      return { userId };
    } catch (err) {
      if (!isQrLoginError(err)) throw err;
      return reply.status(err.status).send(err.toJSON());
    }
  });

  app.get('/me', async (request, reply) => {
    const userId = sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '');
    return userId ? { userId } : reply.status(401).send({ error: 'not signed in' });
  });

  // '::' is one dual-stack socket; the default 'localhost' may open a second one that qr.attach() misses.
  await app.listen({ port, host: '::' });
  return {
    url: `http://localhost:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await qr.close();
      await app.close();
    },
  };
}
