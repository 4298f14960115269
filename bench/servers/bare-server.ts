/**
 * The floor of scenarios 1 and 3: the same hop as qrlogin (create a session, a browser socket
 * authenticates and waits, a phone's signed scan and confirm are verified with async Ed25519 and
 * pushed to that socket) written with nothing but `node:http`, `ws` and a `Map`. No qrlogin code.
 */
import { randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { bareMessage, publicKeyObject, readJson, sendJson } from '../lib/bare-message.js';
import { serveIpc } from '../lib/ipc.js';
import { statsHandlers } from '../lib/process-stats.js';

interface Session {
  secret: string;
  state: string;
  version: number;
  challenge: string;
  socket?: WebSocket;
}

const sessions = new Map<string, Session>();
const devices = new Map<string, import('node:crypto').KeyObject>();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: 1024 });

function push(id: string, s: Session): void {
  s.socket?.send(JSON.stringify({ type: 'state', sessionId: id, state: s.state, version: s.version }));
}

async function decide(req: http.IncomingMessage, res: http.ServerResponse, id: string, action: string) {
  const body = await readJson(req);
  const s = sessions.get(id);
  const key = devices.get(String(body.deviceId));
  if (!s || !key) return sendJson(res, 404, { error: 'not found' });
  const challenge = action === 'scan' ? '' : s.challenge;
  const message = bareMessage(action, id, challenge, String(body.deviceId), Number(body.timestamp));
  const ok = await new Promise<boolean>((resolve) =>
    verify(null, message, key, Buffer.from(String(body.signature), 'base64url'), (err, valid) =>
      resolve(!err && valid),
    ),
  );
  if (!ok) return sendJson(res, 401, { error: 'bad signature' });
  if (s.state !== (action === 'scan' ? 'pending' : 'scanned')) return sendJson(res, 409, { error: s.state });
  s.state = action === 'scan' ? 'scanned' : 'confirmed';
  s.version++;
  if (action === 'scan') s.challenge = randomBytes(32).toString('base64url');
  push(id, s);
  sendJson(res, 200, { sessionId: id, state: s.state, challenge: s.challenge, version: s.version });
}

const server = http.createServer((req, res) => {
  const parts = (req.url ?? '').split('/');
  if (req.method === 'POST' && req.url === '/qrlogin/sessions') {
    req.resume();
    const id = randomBytes(16).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    sessions.set(id, { secret, state: 'pending', version: 1, challenge: '' });
    return sendJson(res, 201, { sessionId: id, browserSecret: secret, version: 1 });
  }
  if (req.method === 'POST' && req.url === '/login/qr') {
    // The host's redeem route: secret check, confirmed → redeemed once, the socket is let go.
    readJson(req).then(
      (body) => {
        const id = String(body.sessionId);
        const s = sessions.get(id);
        if (!s || s.secret !== body.browserSecret || s.state !== 'confirmed')
          return sendJson(res, 409, { error: 'no' });
        s.state = 'redeemed';
        s.version++;
        push(id, s);
        s.socket?.close(1000);
        sessions.delete(id);
        sendJson(res, 200, { userId: 'user' });
      },
      () => sendJson(res, 400, { error: 'bad request' }),
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
    ws.once('message', (data) => {
      const frame = JSON.parse(String(data)) as { sessionId: string; browserSecret: string };
      const s = sessions.get(frame.sessionId);
      if (!s || s.secret !== frame.browserSecret) return ws.close(4401);
      s.socket = ws;
      ws.on('close', () => {
        if (s.socket === ws) s.socket = undefined;
      });
      push(frame.sessionId, s);
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
    counters: () => ({ storeSize: sessions.size }),
    close() {
      server.closeAllConnections();
      server.close();
    },
  },
  { port: (server.address() as AddressInfo).port },
);
