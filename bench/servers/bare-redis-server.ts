/**
 * The floor of scenario 2: one of two stateless instances on Redis, hand-built without qrlogin.
 * A phone's request is verified (async Ed25519), then one Lua script compares-and-sets the
 * session hash and PUBLISHes the change; every instance's subscriber hands it to the local socket
 * with `ws.send`. One shared channel (the cheapest fan-out for two instances).
 */
import { randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { type WebSocket, WebSocketServer } from 'ws';
import { bareMessage, publicKeyObject, readJson, sendJson } from '../lib/bare-message.js';
import { serveIpc } from '../lib/ipc.js';
import { statsHandlers } from '../lib/process-stats.js';

const CHANNEL = 'bare:events';
// KEYS[1] session · ARGV: expected state, next state, challenge, message to publish.
const CAS = `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= ARGV[1] then return 0 end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'challenge', ARGV[3])
redis.call('PUBLISH', '${CHANNEL}', ARGV[4] .. v)
return v
`;

const url = process.env.BENCH_REDIS_URL as string;
const client = new Redis(url);
const subscriber = client.duplicate();
await Promise.all([once(client, 'ready'), once(subscriber, 'ready')]);
const casSha = (await client.script('LOAD', CAS)) as string;

const sockets = new Map<string, WebSocket>();
const devices = new Map<string, import('node:crypto').KeyObject>();
await subscriber.subscribe(CHANNEL);
subscriber.on('message', (_channel: string, message: string) => {
  // "<sessionId> <state> <version>"
  const [id, state, version] = message.split(' ');
  sockets.get(id as string)?.send(JSON.stringify({ type: 'state', sessionId: id, state, version: Number(version) }));
});

const key = (id: string) => `bare:s:{${id}}`;

async function decide(req: http.IncomingMessage, res: http.ServerResponse, id: string, action: string) {
  const body = await readJson(req);
  const device = devices.get(String(body.deviceId));
  const [state, challenge] = await client.hmget(key(id), 'state', 'challenge');
  if (!device || state === null) return sendJson(res, 404, { error: 'not found' });
  const message = bareMessage(
    action,
    id,
    action === 'scan' ? '' : (challenge ?? ''),
    String(body.deviceId),
    Number(body.timestamp),
  );
  const ok = await new Promise<boolean>((resolve) =>
    verify(null, message, device, Buffer.from(String(body.signature), 'base64url'), (err, valid) =>
      resolve(!err && valid),
    ),
  );
  if (!ok) return sendJson(res, 401, { error: 'bad signature' });
  const next = action === 'scan' ? 'scanned' : 'confirmed';
  const nextChallenge = action === 'scan' ? randomBytes(32).toString('base64url') : '';
  const expected = action === 'scan' ? 'pending' : 'scanned';
  const version = Number(await client.evalsha(casSha, 1, key(id), expected, next, nextChallenge, `${id} ${next} `));
  if (version === 0) return sendJson(res, 409, { error: 'conflict' });
  sendJson(res, 200, { sessionId: id, state: next, challenge: nextChallenge, version });
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: 1024 });
const server = http.createServer((req, res) => {
  const parts = (req.url ?? '').split('/');
  if (req.method === 'POST' && req.url === '/qrlogin/sessions') {
    req.resume();
    const id = randomBytes(16).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    client
      .multi()
      .hset(key(id), 'secret', secret, 'state', 'pending', 'v', 1, 'challenge', '')
      .pexpire(key(id), 120_000)
      .exec()
      .then(
        () => sendJson(res, 201, { sessionId: id, browserSecret: secret, version: 1 }),
        () => sendJson(res, 503, { error: 'redis' }),
      );
    return;
  }
  if (req.method === 'POST' && parts.length === 5 && (parts[4] === 'scan' || parts[4] === 'confirm')) {
    decide(req, res, parts[3] as string, parts[4]).catch(() => sendJson(res, 400, { error: 'bad request' }));
    return;
  }
  sendJson(res, 404, { error: 'not found' });
});
server.keepAliveTimeout = 60_000;
server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.once('message', async (data) => {
      const frame = JSON.parse(String(data)) as { sessionId: string; browserSecret: string };
      const [secret, state, v] = await client.hmget(key(frame.sessionId), 'secret', 'state', 'v');
      if (secret === null || secret !== frame.browserSecret) return ws.close(4401);
      sockets.set(frame.sessionId, ws);
      ws.on('close', () => sockets.delete(frame.sessionId));
      ws.send(JSON.stringify({ type: 'state', sessionId: frame.sessionId, state, version: Number(v) }));
    });
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

serveIpc(
  {
    ...statsHandlers,
    registerDevices(args: { publicKeys: string[] }) {
      return args.publicKeys.map((raw, i) => {
        devices.set(`dev${i}`, publicKeyObject(raw));
        return `dev${i}`;
      });
    },
    close() {
      server.closeAllConnections();
      server.close();
      client.disconnect();
      subscriber.disconnect();
    },
  },
  { port: (server.address() as AddressInfo).port },
);
