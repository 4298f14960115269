/**
 * qrlogin on plain node:http: its routes under `/qrlogin`, its WebSocket on the same server, and the
 * host's own `POST /login/qr`, which redeems a confirmed session and issues the host's own cookie.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';

// The host's own accounts and sessions; a real app keeps these in its database.
const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends
const sessions = new Map<string, string>(); // session cookie → userId

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  // JSON only: a cross-site form cannot send it, so no other site can post a login here (login CSRF).
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new Error('not JSON');
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 1024) throw new Error('body too large');
  }
  return JSON.parse(text || '{}');
}

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

  async function host(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method === 'POST' && req.url === '/login/qr') {
      try {
        const { sessionId, browserSecret } = await readJson(req);
        // Once only: a second call for the same session throws ALREADY_REDEEMED.
        const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
        const sid = randomBytes(32).toString('base64url');
        sessions.set(sid, userId);
        const secure = origin.startsWith('https:') ? '; Secure' : '';
        return send(res, 200, { userId }, { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/${secure}` });
      } catch (err) {
        if (isQrLoginError(err)) return send(res, err.status, err.toJSON());
        return send(res, 400, {
          error: { code: 'INVALID_REQUEST', message: 'send { sessionId, browserSecret } as JSON' },
        });
      }
    }
    if (req.method === 'GET' && req.url === '/me') {
      const userId = sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '');
      return userId ? send(res, 200, { userId }) : send(res, 401, { error: 'not signed in' });
    }
    send(res, 404, { error: 'not found' });
  }

  // qrlogin answers its own paths and calls next() for everything else.
  const server = http.createServer((req, res) => qr.node(req, res, () => void host(req, res)));
  qr.attach(server);
  server.listen(port);
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
