/**
 * One of many stateless qrlogin instances on one Redis: sessions, devices and the cross-instance
 * push live in Redis (`@qrlogin/redis`), and so do the host's own login sessions, so any instance
 * can answer any request and no sticky sessions are needed. Otherwise the same host wiring as
 * `examples/node-http`.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { failFastRedisOptions, redisBus, redisDeviceStore, redisStore } from '@qrlogin/redis';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';
import { Redis } from 'ioredis';

const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends

/** Options of {@link start}. */
export interface InstanceOptions {
  /** Redis every instance shares. */
  redisUrl: string;
  /** The site's public origin (the load balancer's), the same on every instance. */
  origin: string;
  /** Reverse proxies in front of the instance, e.g. 1 behind the load balancer. @default false */
  trustProxy?: number | false;
}

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
 * Starts one instance on `port` (0 picks a free one). Rejects when Redis cannot be reached.
 *
 * @example
 * const a = await start(3001, { redisUrl: 'redis://127.0.0.1:6379', origin: 'http://localhost:8080' });
 */
export async function start(port: number, { redisUrl, origin, trustProxy = false }: InstanceOptions) {
  // Fail fast: with Redis down, requests get 503 STORE_UNAVAILABLE at once instead of hanging.
  const client = new Redis(redisUrl, failFastRedisOptions);
  const subscriber = client.duplicate(); // a subscribed connection can run nothing else
  try {
    await Promise.all([once(client, 'ready'), once(subscriber, 'ready')]);
  } catch (err) {
    client.disconnect();
    subscriber.disconnect();
    throw err;
  }
  for (const redis of [client, subscriber]) redis.on('error', (err) => console.error(`redis: ${err.message}`));

  const qr = createQrLogin({
    origin,
    trustProxy,
    store: redisStore({ client }),
    devices: redisDeviceStore({ client }),
    bus: redisBus({ publisher: client, subscriber }),
    authenticate: (request) => {
      const userId = APP_TOKENS.get(request.headers.get('authorization')?.slice('Bearer '.length) ?? '');
      return userId ? { userId } : null;
    },
  });

  async function host(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method === 'POST' && req.url === '/login/qr') {
      try {
        const { sessionId, browserSecret } = await readJson(req);
        const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
        const sid = randomBytes(32).toString('base64url');
        // In Redis too: the next request with this cookie may land on another instance.
        await client.set(`app:session:${sid}`, userId, 'EX', 7 * 24 * 3600);
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
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const userId = sid ? await client.get(`app:session:${sid}`).catch(() => null) : null;
      return userId ? send(res, 200, { userId }) : send(res, 401, { error: 'not signed in' });
    }
    send(res, 404, { error: 'not found' });
  }

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
      // The stores never quit the clients: the host owns them.
      await Promise.all([client.quit(), subscriber.quit()]);
    },
  };
}
