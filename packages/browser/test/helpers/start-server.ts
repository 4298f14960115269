/**
 * A real `@qrlogin/server` on a real HTTP server on port 0, with hooks a browser-side test needs:
 * count and refuse WebSocket upgrades, drop the server side of every socket mid-flow, see which
 * long-polls are still held, and registered phones (the real `@qrlogin/app`) to scan and decide.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createQrLoginApp, generateDeviceKeys, type QrLoginApp } from '@qrlogin/app';
import { createQrLogin, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '../../src/index.js';

export interface TestServer {
  qr: QrLogin;
  /** `http://127.0.0.1:<port>`: the server's origin and the only allowed page origin by default. */
  origin: string;
  /** `origin + '/qrlogin'`. */
  baseUrl: string;
  /** WebSocket upgrade requests received (accepted or not). */
  readonly upgrades: number;
  /** While true, every upgrade is refused by destroying the connection (a proxy that blocks WebSockets). */
  blockUpgrades: boolean;
  /** Destroys the server side of every open WebSocket connection, as a crashed proxy would. */
  dropSockets(): void;
  /** Long-poll requests (`GET /sessions/:id`) still held open. */
  heldPolls(): number;
  /** A phone with a device key registered to `userId`, driving the real app package. */
  phone(userId?: string): Promise<QrLoginApp>;
  close(): Promise<void>;
}

/** The host application's own routes; answers `true` when it handled the request. */
export type HostRoutes = (req: IncomingMessage, res: ServerResponse, qr: QrLogin) => boolean;

/**
 * Starts the server. `attach: false` leaves the WebSocket unserved (no upgrade listener at all), as
 * a host that only mounted the HTTP handler would; `host` serves the host's own pages and routes.
 */
export async function startServer(
  options: Partial<QrLoginOptions> & { attach?: boolean; host?: HostRoutes } = {},
): Promise<TestServer> {
  const { attach = true, host, ...qrOptions } = options;
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const qr = createQrLogin({ origin, ...qrOptions });
  const baseUrl = `${origin}/qrlogin`;
  const polls = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let upgrades = 0;

  http.on('request', (req, res) => {
    if (host?.(req, res, qr)) return;
    if (req.method === 'GET' && /^\/qrlogin\/sessions\/[^/]+(\?|$)/.test(req.url ?? '')) {
      polls.add(res);
      res.on('close', () => polls.delete(res));
    }
    qr.node(req, res);
  });
  const server: TestServer = {
    qr,
    origin,
    baseUrl,
    get upgrades() {
      return upgrades;
    },
    blockUpgrades: false,
    dropSockets() {
      for (const socket of sockets) socket.destroy();
    },
    heldPolls: () => polls.size,
    async phone(userId = 'alice') {
      const keys = generateDeviceKeys({ randomBytes: (n) => new Uint8Array(randomBytes(n)) });
      const device = await qr.registerDevice({ userId, publicKey: keys.publicKey, label: `${userId}'s phone` });
      // The phone's clock agrees with the server's, settable one included.
      return createQrLoginApp({ baseUrl, deviceId: device.id, keys, now: qrOptions.now ?? Date.now });
    },
    async close() {
      await qr.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  if (attach) {
    http.on('upgrade', (req, socket: Socket, head) => {
      upgrades++;
      if (server.blockUpgrades || !qr.handleUpgrade(req, socket, head)) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  return server;
}

/**
 * The `ws` package's WebSocket, sending the `Origin` header a browser always sends for a page on
 * `origin` (the server checks it before the upgrade).
 */
export function browserWebSocket(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
}
