/**
 * `qr.attach(server)` on a real node:http server: qrlogin's own path upgrades, another `upgrade`
 * listener keeps its paths whether it was added before or after `attach`, and an upgrade nobody
 * takes is answered `404` and closed, as node:http without qrlogin would close it, instead of
 * hanging past every socket cap and deadline.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createQrLogin, type QrLogin } from '../src/index.js';

let server: http.Server;
let qr: QrLogin;
let origin: string;

afterEach(async () => {
  await qr.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function start(): Promise<void> {
  server = http.createServer((req, res) => qr.node(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  qr = createQrLogin({ origin, rateLimits: false });
}

/** A second WebSocket service of the host, on its own path. */
function chatListener(): (req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.send('chat ready'));
  return (req, socket, head) => {
    if (req.url === '/chat') wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
}

/** Opens a socket at `path`: the first message when it opens, else the refusal's status and body. */
function open(path: string): Promise<{ status: number; text: string }> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${path}`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => {
      ws.terminate();
      resolve({ status: 101, text: String(data) });
    });
    ws.once('open', () => {
      if (path.endsWith('/ws')) {
        ws.terminate();
        resolve({ status: 101, text: '' });
      }
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    ws.once('error', reject);
  });
}

describe('qr.attach(server)', () => {
  it('answers an upgrade on a path nobody serves with 404 NOT_FOUND and closes it', async () => {
    await start();
    qr.attach(server);
    const res = await open('/elsewhere');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await open('/qrlogin/ws')).status).toBe(101);
  });

  it('T27: leaves another path to a host listener added before attach', async () => {
    await start();
    server.on('upgrade', chatListener());
    qr.attach(server);
    expect(await open('/chat')).toEqual({ status: 101, text: 'chat ready' });
    expect((await open('/qrlogin/ws')).status).toBe(101);
  });

  it('leaves another path to a host listener added after attach', async () => {
    await start();
    qr.attach(server);
    server.on('upgrade', chatListener());
    expect(await open('/chat')).toEqual({ status: 101, text: 'chat ready' });
    expect((await open('/qrlogin/ws')).status).toBe(101);
  });
});
