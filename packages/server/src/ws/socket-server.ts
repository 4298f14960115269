/**
 * The browser's push channel: `ws` in `noServer` mode on the host's own HTTP server. The Origin
 * is checked against the exact allowlist before the upgrade (cross-site WebSocket hijacking), the
 * first frame must authenticate with the browser secret within the deadline, and then the socket
 * receives the session's snapshot followed by every change. One sweep serves all sockets (auth
 * deadlines and staggered heartbeats); there is no timer per connection.
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
import { clientIp } from '../net/client-ip.js';
import { rateLimitKeyOf } from '../net/ip-group.js';
import type { Watcher } from '../session-watchers.js';
import { parseClientFrame } from './parse-client-frame.js';
import { refuseUpgrade } from './refuse-upgrade.js';

// Where a socket keeps its Client, so shared handlers find it without a closure per socket.
const CLIENT = Symbol('qrlogin.client');

/** The socket side of a qrlogin instance. */
export interface SocketServer {
  /** Takes over an upgrade for the qrlogin socket path; returns `false` (doing nothing) for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Checks auth deadlines and sends heartbeats (called by the process sweep each second). */
  sweep(now: number): void;
  /** Open sockets. */
  readonly size: number;
  /** Closes every socket with 1001. */
  close(): Promise<void>;
}

/**
 * When a socket gets its first ping: somewhere in the second half of the interval, at random.
 * Every later ping follows the previous one by the full interval, so a socket keeps its phase;
 * without the jitter, browsers that reconnect together (after a deploy, or a network blip) would be
 * pinged together forever, thousands in one sweep, stalling every push queued behind them.
 */
function firstHeartbeatDelay(heartbeatMs: number): number {
  return heartbeatMs * (0.5 + Math.random() / 2);
}

/**
 * Pings sent in one event-loop turn. A sweep that finds more due (a thirtieth of all sockets, each
 * second) hands the rest out in later turns: a ping is a socket write, tens of microseconds on a
 * busy VM, and a confirm that arrives during the sweep must not wait behind thousands of them.
 */
const PINGS_PER_TURN = 100;

type Pingable = { socket: WebSocket };

function pingInSlices(due: Pingable[], from = 0): void {
  const end = Math.min(due.length, from + PINGS_PER_TURN);
  for (let i = from; i < end; i++) {
    const socket = (due[i] as Pingable).socket;
    // It may have closed since the sweep found it due.
    if (socket.readyState === socket.OPEN) socket.ping();
  }
  if (end < due.length) setImmediate(pingInSlices, due, end);
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
  // Upgrades past the caps check but not yet connected.
  let pending = 0;
  const socketPath = `${options.basePath}${ROUTES.socket}`;
  const heartbeatMs = options.socket.heartbeatSeconds * 1000;
  const authTimeoutMs = options.socket.authTimeoutSeconds * 1000;
  let closing = false;

  /**
   * One connected browser. The class is its own session watcher and the socket's handlers are
   * shared functions that find it through the socket, so a waiting browser costs two small objects
   * and no closures: memory per waiting browser decides how many one box holds.
   */
  type TrackedSocket = WebSocket & { [CLIENT]?: Client };

  class Client implements Watcher {
    alive = true;
    authed = false;
    version = 0;
    sessionId: string | null = null;
    /** Auth deadline until authenticated, then the next heartbeat; checked by the sweep. */
    due: number;

    constructor(
      readonly socket: TrackedSocket,
      readonly ip: string,
      readonly ipKey: string,
    ) {
      this.due = options.now() + authTimeoutMs;
    }

    deliver(snapshot: StatusSnapshot): void {
      // Versions only grow; anything not newer than what this socket has seen is a duplicate.
      if (snapshot.version <= this.version) return;
      this.version = snapshot.version;
      send(this, { type: 'state', ...snapshot });
      // Nothing more can happen to a finished session; let the browser go.
      if (isTerminalState(snapshot.state)) this.socket.close(1000, snapshot.state);
    }

    fail(error: QrLoginError): void {
      // Not a refusal of anything the browser sent, so no 'refused' event: just the error and close.
      send(this, { type: 'error', error: { code: error.code, message: error.message } });
      this.socket.close(wsCloseCodeOf(error.code), error.code);
    }
  }

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

  function releaseSlot(ipKey: string): void {
    const left = (perIp.get(ipKey) ?? 1) - 1;
    if (left <= 0) perIp.delete(ipKey);
    else perIp.set(ipKey, left);
  }

  async function authenticate(client: Client, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Promise<void> {
    const frame = parseClientFrame(data, isBinary);
    const record = await authorizeBrowser(ctx, frame.sessionId, frame.browserSecret);
    if (client.socket.readyState !== client.socket.OPEN) return;
    client.sessionId = record.id;
    await ctx.watchers.watch(record.id, client, record.expiresAt);
    if (client.socket.readyState !== client.socket.OPEN) {
      ctx.watchers.unwatch(record.id, client);
      return;
    }
    // The snapshot is read after the subscription is live, so no change can fall in between.
    client.deliver(currentSnapshot(ctx, await settledSession(ctx, record.id)));
  }

  function onPong(this: TrackedSocket): void {
    const client = this[CLIENT];
    if (client) client.alive = true;
  }

  function onMessage(this: TrackedSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const client = this[CLIENT];
    if (!client) return;
    if (client.authed) {
      fail(client, new QrLoginError('INVALID_REQUEST', 'no frames are accepted after auth'), 'ws frame');
      return;
    }
    client.authed = true;
    client.due = options.now() + firstHeartbeatDelay(heartbeatMs);
    authenticate(client, data, isBinary).catch((err) => fail(client, err, 'ws auth'));
  }

  function onError(this: TrackedSocket, err: Error & { code?: string }): void {
    // ws has already picked the close code (1009 too big, 1008 too many fragments, 1002 bad
    // framing); the refusal is still audited like every other refused frame.
    const code = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST';
    events.emit('refused', { action: 'ws frame', code, ip: this[CLIENT]?.ip ?? 'unknown', at: options.now() });
    this.terminate();
  }

  function onClose(this: TrackedSocket): void {
    const client = this[CLIENT];
    if (!client) return;
    clients.delete(client);
    if (client.sessionId) ctx.watchers.unwatch(client.sessionId, client);
    releaseSlot(client.ipKey);
  }

  function onConnection(socket: TrackedSocket, ip: string, ipKey: string): void {
    const client = new Client(socket, ip, ipKey);
    socket[CLIENT] = client;
    clients.add(client);
    socket.on('pong', onPong);
    socket.on('message', onMessage);
    socket.on('error', onError);
    socket.on('close', onClose);
  }

  /**
   * The per-second sweep: auth deadlines, then heartbeats. Each socket is pinged on its own
   * schedule (from when it authenticated, with a jittered first ping), so pings are spread over the
   * interval instead of 10,000 going out in one sweep, and a sweep's pings go out
   * {@link PINGS_PER_TURN} per event-loop turn, so no push waits behind all of them.
   */
  function sweep(now: number): void {
    const due: Client[] = [];
    for (const client of clients) {
      if (client.due > now) continue;
      if (!client.authed) {
        client.due = Number.POSITIVE_INFINITY;
        fail(client, new QrLoginError('AUTH_TIMEOUT', 'no auth frame within the deadline'), 'ws auth');
        continue;
      }
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.due = now + heartbeatMs;
      due.push(client);
    }
    pingInSlices(due);
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
    const giveBack = () => {
      socket.off('close', giveBack);
      pending--;
      releaseSlot(ipKey);
    };
    // A malformed handshake is answered 400 by ws, which destroys the socket: 'close' gives the slot back.
    socket.once('close', giveBack);
    try {
      await ctx.limit('socketConnect', ipKey, ip);
    } catch (err) {
      giveBack();
      const status = isQrLoginError(err) ? err.status : 503;
      const code = isQrLoginError(err) ? err.code : 'STORE_UNAVAILABLE';
      const retry: Record<string, string> =
        isQrLoginError(err) && err.retryAfterSeconds ? { 'Retry-After': String(err.retryAfterSeconds) } : {};
      return refuse(status, code, retry);
    }
    if (socket.destroyed) return giveBack();
    wss.handleUpgrade(req, socket, head, (ws) => {
      // From here the connected socket's own close handler gives the slot back.
      socket.off('close', giveBack);
      pending--;
      onConnection(ws as TrackedSocket, ip, ipKey);
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
    sweep,
    get size() {
      return clients.size;
    },
    async close() {
      closing = true;
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
