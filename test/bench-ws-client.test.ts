/**
 * The bench load generator's raw-socket WebSocket client, against a real `ws` server: the
 * handshake, text both ways, heartbeats, both directions of the close handshake, and refusals.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { WsClient } from '../bench/load/ws-client.js';

const ORIGIN = 'https://bench.example';
let server: http.Server;
let wss: WebSocketServer;
let port: number;
// What the server saw of the latest connection.
let latest: { socket: WebSocket; messages: string[]; closed: Promise<{ code: number; reason: string }>; pongs: number };

beforeAll(async () => {
  server = http.createServer();
  wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (_headers, req) => {
    if (req.headers.origin !== ORIGIN) throw new Error('origin not sent');
  });
  wss.on('connection', (socket) => {
    const messages: string[] = [];
    let pongs = 0;
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    latest = {
      socket,
      messages,
      closed,
      get pongs() {
        return pongs;
      },
    };
    socket.on('pong', () => pongs++);
    socket.on('message', (data) => {
      const text = String(data);
      messages.push(text);
      if (text === 'big') socket.send('x'.repeat(70_000));
      else if (text.startsWith('echo ')) socket.send(text.slice(5));
      else if (text === 'close me') socket.close(4001, 'bye');
      else if (text === 'ping me') socket.ping('hb');
      else if (text === 'binary') socket.send(Buffer.from([1, 2, 3]), { binary: true });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url === '/refuse') socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
    else wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  await new Promise((resolve) => server.close(resolve));
});

function connect(path = '/') {
  const messages: string[] = [];
  let resolveOpen: () => void;
  const opened = new Promise<void>((resolve) => {
    resolveOpen = resolve;
  });
  let resolveClose: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClose = resolve;
  });
  const next: ((text: string) => void)[] = [];
  const client = new WsClient(port, path, ORIGIN, {
    open: () => resolveOpen(),
    message: (text) => {
      messages.push(text);
      next.shift()?.(text);
    },
    close: (code, reason) => resolveClose({ code, reason }),
  });
  const nextMessage = () => new Promise<string>((resolve) => next.push(resolve));
  return { client, opened, closed, messages, nextMessage };
}

describe('bench WebSocket client', () => {
  it('opens, sends masked text and reads text of every length encoding', async () => {
    const c = connect('/socket');
    await c.opened;
    expect(c.client.readyState).toBe(WsClient.OPEN);
    const short = c.nextMessage();
    c.client.send('echo Zoë ✓');
    expect(await short).toBe('Zoë ✓');
    const medium = c.nextMessage();
    c.client.send(`echo ${'m'.repeat(300)}`);
    expect(await medium).toBe('m'.repeat(300));
    const big = c.nextMessage();
    c.client.send('big');
    expect(await big).toBe('x'.repeat(70_000));
    c.client.close(1000);
    expect((await c.closed).code).toBe(1000);
    expect((await latest.closed).code).toBe(1000);
  });

  it('answers pings with pongs', async () => {
    const c = connect();
    await c.opened;
    const echoed = c.nextMessage();
    c.client.send('ping me');
    c.client.send('echo after');
    await echoed;
    // The pong left before this round trip's request, so the server has read it by the answer.
    const synced = c.nextMessage();
    c.client.send('echo sync');
    await synced;
    expect(latest.pongs).toBe(1);
    c.client.terminate();
    expect((await c.closed).code).toBe(1006);
  });

  it('answers a close the server starts, with the server’s code', async () => {
    const c = connect();
    await c.opened;
    c.client.send('close me');
    expect((await c.closed).code).toBe(4001);
    expect((await latest.closed).code).toBe(4001);
  });

  it('reports a refused upgrade with its status line, and drops binary frames it cannot read', async () => {
    const refused = connect('/refuse');
    expect(await refused.closed).toEqual({ code: 1006, reason: 'HTTP/1.1 403 Forbidden' });
    const c = connect();
    await c.opened;
    c.client.send('binary');
    expect((await c.closed).code).toBe(1006);
    expect(c.messages).toEqual([]);
  });
});
