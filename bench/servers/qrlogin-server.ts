/**
 * qrlogin in its own process, as a host would run it: `createQrLogin` on a node:http server with
 * the WebSocket attached and a host login route that calls `redeem()`. In-memory stores by default;
 * `BENCH_REDIS_URL` switches to `@qrlogin/redis`. Rate limits are off and the per-IP socket cap is
 * raised, because every bench client comes from 127.0.0.1.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { failFastRedisOptions, redisBus, redisDeviceStore, redisStore } from '../../packages/redis/src/index.js';
import { createQrLogin, memoryStore, type QrLoginOptions } from '../../packages/server/src/index.js';
import { sendJson } from '../lib/bare-message.js';
import { BENCH_ORIGIN } from '../lib/constants.js';
import { serveIpc } from '../lib/ipc.js';
import { processStats, settleMemory, statsHandlers } from '../lib/process-stats.js';

let clockOffsetMs = 0;
const now = () => Date.now() + clockOffsetMs;
const redisUrl = process.env.BENCH_REDIS_URL;
const ttlSeconds = Number(process.env.BENCH_TTL_SECONDS ?? 120);
// Experiments only (e.g. to show what the heartbeat costs); the bench runs qrlogin's default.
const heartbeatSeconds = process.env.BENCH_HEARTBEAT_SECONDS ? Number(process.env.BENCH_HEARTBEAT_SECONDS) : undefined;

const memory = redisUrl ? undefined : memoryStore({ now });
let backends: Pick<QrLoginOptions, 'store' | 'devices' | 'bus'> = { store: memory };
const redisClients: Redis[] = [];
if (redisUrl) {
  const client = new Redis(redisUrl, { ...failFastRedisOptions, commandTimeout: 10_000 });
  const subscriber = client.duplicate();
  redisClients.push(client, subscriber);
  await Promise.all([once(client, 'ready'), once(subscriber, 'ready')]);
  backends = {
    store: redisStore({ client }),
    devices: redisDeviceStore({ client }),
    bus: redisBus({ publisher: client, subscriber }),
  };
}

const qr = createQrLogin({
  origin: BENCH_ORIGIN,
  ...backends,
  rateLimits: false,
  socket: { maxPerIp: 1_000_000, maxTotal: 1_000_000, ...(heartbeatSeconds ? { heartbeatSeconds } : {}) },
  sessionTtlSeconds: ttlSeconds,
  proximity: 'off',
  now,
});
let errors = 0;
qr.events.on('internal-error', () => {
  errors++;
});

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/login/qr') {
    // The host's own login route: read { sessionId, browserSecret }, redeem once, start a session.
    // It answers as Express's res.json() would, with a Content-Length, like the floor's route.
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const input = JSON.parse(body) as { sessionId: string; browserSecret: string };
      qr.redeem(input).then(
        (r) => sendJson(res, 200, { userId: r.userId }),
        (err: { status?: number; code?: string }) =>
          sendJson(res, err.status ?? 500, { error: { code: err.code ?? 'INTERNAL_ERROR' } }),
      );
    });
    return;
  }
  qr.node(req, res);
});
server.keepAliveTimeout = 60_000;
qr.attach(server);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const port = (server.address() as AddressInfo).port;

serveIpc(
  {
    ...statsHandlers,
    async registerDevices(args: { publicKeys: string[] }) {
      const ids: string[] = [];
      for (const [i, publicKey] of args.publicKeys.entries()) {
        const device = await qr.registerDevice({ userId: `user${i}`, publicKey, label: `bench ${i}` });
        ids.push(device.id);
      }
      return ids;
    },
    counters: () => ({ sockets: qr.socketCount, storeSize: memory?.size ?? null, internalErrors: errors }),
    advanceClock(args: { ms: number }) {
      clockOffsetMs += args.ms;
      return { offsetMs: clockOffsetMs };
    },
    /** Waits until the in-memory store has at most `size` records (its sweep runs once a second). */
    async waitStoreSize(args: { size: number; timeoutMs: number; quietMs?: number }) {
      const deadline = Date.now() + args.timeoutMs;
      while ((memory?.size ?? 0) > args.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await settleMemory();
      // V8 hands freed heap pages back to the OS a few seconds after a big collection (its memory reducer).
      if (args.quietMs) {
        await new Promise((r) => setTimeout(r, args.quietMs));
        await settleMemory();
      }
      return { storeSize: memory?.size ?? null, ...processStats() };
    },
    async close() {
      await qr.close();
      server.closeAllConnections();
      server.close();
      for (const client of redisClients) client.disconnect();
    },
  },
  { port, store: redisUrl ? 'redis' : 'memory' },
);
