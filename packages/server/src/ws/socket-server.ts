/**
 * The browser's push channel: `ws` in `noServer` mode on the host's own HTTP server. The Origin
 * is checked against the exact allowlist before the upgrade (cross-site WebSocket hijacking), the
 * first frame must authenticate with the browser secret within the deadline, and then the socket
 * receives the session's snapshot followed by every change. One sweep and one heartbeat interval
 * serve all sockets; there is no timer per connection.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  describeError,
  type ErrorCode,
  isQrLoginError,
  isTerminalState,
  QrLoginError,
  ROUTES,
  type ServerFrame,
  type StatusSnapshot,
  wsCloseCodeOf,
} from '@qrlogin/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { authorizeBrowser, currentSnapshot } from '../browser-actions.js';
import { type Context, settledSession } from '../context.js';
import { Deadlines } from '../deadlines.js';
import { clientIp } from '../net/client-ip.js';
import { rateLimitKeyOf } from '../net/ip-group.js';
import { parseClientFrame } from './parse-client-frame.js';

interface Client {
  socket: WebSocket;
  ip: string;
  ipKey: string;
  alive: boolean;
  authed: boolean;
  version: number;
  unwatch?: () => void;
}

/** The socket side of a qrlogin instance. */
export interface SocketServer {
  /** Takes over an upgrade for the qrlogin socket path; returns `false` (doing nothing) for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Checks auth deadlines (called by the process sweep). */
  sweep(now: number): void;
  /** Open sockets. */
  readonly size: number;
  /** Closes every socket with 1001 and stops the heartbeat. */
  close(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(new QrLoginError(code, describeError(code)).toJSON());
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const reason =
    status === 403
      ? 'Forbidden'
      : status === 429
        ? 'Too Many Requests'
        : status === 503
          ? 'Service Unavailable'
          : 'Bad Request';
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Creates the socket side. */
export function createSocketServer(ctx: Context): SocketServer {
  const { options, events } = ctx;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.socket.maxPayloadBytes,
    // An auth frame fits in one fragment; a sender splitting it into many is probing, not talking.
    maxFragments: options.socket.maxFragments,
    maxBufferedChunks: 64,
    // Compression buys nothing on 150-byte frames and costs memory per socket (and CRIME-style risks).
    perMessageDeflate: false,
    clientTracking: false,
  });
  const clients = new Set<Client>();
  const perIp = new Map<string, number>();
  const authDeadlines = new Deadlines();
  // Upgrades past the caps check but not yet connected.
  let pending = 0;
  const socketPath = `${options.basePath}${ROUTES.socket}`;
  let closing = false;

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, options.socket.heartbeatSeconds * 1000);
  heartbeat.unref();

  function send(client: Client, frame: ServerFrame): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(frame));
  }

  function fail(client: Client, err: unknown, action: string): void {
    const error = isQrLoginError(err) ? err : new QrLoginError('INTERNAL_ERROR', describeError('INTERNAL_ERROR'));
    if (!isQrLoginError(err)) events.emit('internal-error', { action, error: err });
    events.emit('refused', { action, code: error.code, ip: client.ip, at: options.now() });
    send(client, { type: 'error', error: { code: error.code, message: error.message } });
    client.socket.close(wsCloseCodeOf(error.code), error.code);
  }

  function deliver(client: Client, snapshot: StatusSnapshot): void {
    // Versions only grow; anything not newer than what this socket has seen is a duplicate.
    if (snapshot.version <= client.version) return;
    client.version = snapshot.version;
    send(client, { type: 'state', ...snapshot });
    // Nothing more can happen to a finished session; let the browser go.
    if (isTerminalState(snapshot.state)) client.socket.close(1000, snapshot.state);
  }

  async function authenticate(client: Client, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Promise<void> {
    const frame = parseClientFrame(data, isBinary);
    const record = await authorizeBrowser(ctx, frame.sessionId, frame.browserSecret);
    if (client.socket.readyState !== client.socket.OPEN) return;
    client.unwatch = await ctx.watchers.watch(record.id, { deliver: (s) => deliver(client, s) }, record.expiresAt);
    if (client.socket.readyState !== client.socket.OPEN) {
      client.unwatch();
      return;
    }
    // The snapshot is read after the subscription is live, so no change can fall in between.
    deliver(client, currentSnapshot(ctx, await settledSession(ctx, record.id)));
  }

  function onConnection(socket: WebSocket, ip: string, ipKey: string, release: () => void): void {
    const client: Client = { socket, ip, ipKey, alive: true, authed: false, version: 0 };
    clients.add(client);
    authDeadlines.add(client, options.now() + options.socket.authTimeoutSeconds * 1000, () => {
      if (!client.authed)
        fail(client, new QrLoginError('AUTH_TIMEOUT', 'no auth frame within the deadline'), 'ws auth');
    });
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      if (client.authed) {
        fail(client, new QrLoginError('INVALID_REQUEST', 'no frames are accepted after auth'), 'ws frame');
        return;
      }
      client.authed = true;
      authDeadlines.delete(client);
      authenticate(client, data, isBinary).catch((err) => fail(client, err, 'ws auth'));
    });
    socket.on('error', (err: Error & { code?: string }) => {
      // ws has already picked the close code (1009 too big, 1008 too many fragments, 1002 bad
      // framing); the refusal is still audited like every other refused frame.
      const code = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST';
      events.emit('refused', { action: 'ws frame', code, ip, at: options.now() });
      socket.terminate();
    });
    socket.on('close', () => {
      clients.delete(client);
      authDeadlines.delete(client);
      client.unwatch?.();
      release();
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ip = clientIp(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'] as string | undefined,
      options.trustProxy,
    );
    const refuse = (status: number, code: ErrorCode, headers?: Record<string, string>) => {
      events.emit('refused', { action: 'ws upgrade', code, ip, at: options.now() });
      refuseUpgrade(socket, status, code, headers);
    };
    if (closing) return refuse(503, 'SHUTTING_DOWN');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !options.allowedOrigins.has(origin)) return refuse(403, 'FORBIDDEN_ORIGIN');
    const ipKey = rateLimitKeyOf(ip);
    if ((perIp.get(ipKey) ?? 0) >= options.socket.maxPerIp || pending + clients.size >= options.socket.maxTotal) {
      return refuse(429, 'RATE_LIMITED', { 'Retry-After': '5' });
    }
    // The slot is taken before anything asynchronous happens, so a burst cannot overshoot the cap,
    // and given back exactly once however the attempt ends (refused, aborted, failed handshake, closed).
    perIp.set(ipKey, (perIp.get(ipKey) ?? 0) + 1);
    pending++;
    let connected = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (!connected) pending--;
      const left = (perIp.get(ipKey) ?? 1) - 1;
      if (left <= 0) perIp.delete(ipKey);
      else perIp.set(ipKey, left);
    };
    socket.once('close', () => {
      if (!connected) release();
    });
    try {
      await ctx.limit('socketConnect', ipKey, ip);
    } catch (err) {
      release();
      const status = isQrLoginError(err) ? err.status : 503;
      const code = isQrLoginError(err) ? err.code : 'STORE_UNAVAILABLE';
      const retry: Record<string, string> =
        isQrLoginError(err) && err.retryAfterSeconds ? { 'Retry-After': String(err.retryAfterSeconds) } : {};
      return refuse(status, code, retry);
    }
    if (socket.destroyed) return release();
    // A malformed handshake is answered 400 by ws, which destroys the socket: 'close' releases it.
    wss.handleUpgrade(req, socket, head, (ws) => {
      pending--;
      connected = true;
      onConnection(ws, ip, ipKey, release);
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== socketPath) return false;
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch(() => socket.destroy());
      return true;
    },
    sweep(now) {
      authDeadlines.sweep(now);
    },
    get size() {
      return clients.size;
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      const closed = [...clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            client.socket.once('close', () => resolve());
            send(client, { type: 'error', error: { code: 'SHUTTING_DOWN', message: 'the server is shutting down' } });
            client.socket.close(wsCloseCodeOf('SHUTTING_DOWN'), 'SHUTTING_DOWN');
            // A peer that never answers the close handshake must not hold shutdown up.
            setTimeout(() => {
              client.socket.terminate();
              resolve();
            }, 2000).unref();
          }),
      );
      await Promise.all(closed);
      wss.close();
    },
  };
}
