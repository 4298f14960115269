/**
 * One qrlogin server instance on Redis, as its own process: what a host runs N copies of behind a
 * load balancer. Spawned by the multi-instance tests with
 * `node --import tsx --conditions=@qrlogin/source test/helpers/redis-instance.ts`.
 * Workspace packages are imported by path: the repository root has no dependency on them.
 *
 * Environment: `REDIS_PORT`, `KEY_PREFIX`, `ORIGIN` (shared by every instance, as behind a load
 * balancer), `SESSION_TTL_SECONDS`, `RATE_LIMITS` (JSON, or `off`), optional `SUBSCRIBER_USER` /
 * `SUBSCRIBER_PASSWORD` (an ACL user for the subscribing connection).
 *
 * Prints one line `{"port":N}` on stdout when it serves. Host routes besides qrlogin's:
 * `POST /login/qr` redeems (the host's own login route), `GET /health` answers 200. The host's
 * `authenticate` hook trusts an `x-test-user` header: test-only, never do that in a real app.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { failFastRedisOptions, redisBus, redisDeviceStore, redisStore } from '../../packages/redis/src/index.js';
import { createQrLogin, isQrLoginError, type RateLimits } from '../../packages/server/src/index.js';

const env = process.env;
const port = Number(env.REDIS_PORT);
const keyPrefix = env.KEY_PREFIX ?? 'qrlogin:';
const origin = env.ORIGIN ?? 'https://login.example';

const clientOptions = {
  host: '127.0.0.1',
  port,
  ...failFastRedisOptions,
  // Reconnect quickly: the tests stop and start Redis.
  retryStrategy: () => 100,
};
const client = new Redis(clientOptions);
const subscriber = new Redis({
  ...clientOptions,
  connectionName: `sub-${env.INSTANCE_NAME ?? process.pid}`,
  ...(env.SUBSCRIBER_USER ? { username: env.SUBSCRIBER_USER, password: env.SUBSCRIBER_PASSWORD } : {}),
});
for (const c of [client, subscriber]) c.on('error', () => {});
await Promise.all([once(client, 'ready'), once(subscriber, 'ready')]);

const qr = createQrLogin({
  origin,
  store: redisStore({ client, keyPrefix }),
  devices: redisDeviceStore({ client, keyPrefix }),
  bus: redisBus({ publisher: client, subscriber, keyPrefix }),
  sessionTtlSeconds: Number(env.SESSION_TTL_SECONDS ?? 120),
  trustProxy: 1,
  rateLimits: env.RATE_LIMITS === 'off' ? false : (JSON.parse(env.RATE_LIMITS ?? '{}') as Partial<RateLimits>),
  authenticate: (request) => {
    const userId = request.headers.get('x-test-user');
    return userId ? { userId } : null;
  },
});
qr.events.on('internal-error', ({ action, error }) => {
  const code = isQrLoginError(error) ? error.code : 'INTERNAL_ERROR';
  process.stderr.write(`[instance ${process.pid}] ${action}: ${code} ${String(error)}\n`);
});

const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200).end('ok');
    return;
  }
  if (req.method === 'POST' && req.url === '/login/qr') {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { sessionId, browserSecret } = JSON.parse(body) as { sessionId: string; browserSecret: string };
      const login = await qr.redeem({ sessionId, browserSecret });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(login));
    } catch (err) {
      const status = isQrLoginError(err) ? err.status : 500;
      const code = isQrLoginError(err) ? err.code : 'INTERNAL_ERROR';
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code } }));
    }
    return;
  }
  qr.node(req, res);
});
qr.attach(server);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});

process.once('SIGTERM', async () => {
  await qr.close();
  server.closeAllConnections();
  server.close();
  client.disconnect();
  subscriber.disconnect();
  process.exit(0);
});
