/**
 * The custom server that gives this Next.js app WebSocket push: one `node:http` server, Next's
 * request handler for every request, and `qr.handleUpgrade()` for the `/qrlogin/ws` upgrade. Route
 * handlers alone cannot accept a WebSocket, so without this file (plain `next start`, serverless)
 * the page falls back to long-poll. Run `next build` first.
 *
 * `PORT` (default 3000) and `ORIGIN` (default `http://localhost:$PORT`) configure it.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { host } from './lib/qr-login';

const port = Number(process.env.PORT ?? 3000);
process.env.PORT = String(port);
// Next adds its own 'upgrade' listener to the server it is given, else to the first one it sees a
// request from, and ends every upgrade whose path matches a route: `/qrlogin/ws` matches
// app/qrlogin/[...path], so `qr.attach(server)` would lose its sockets. Next gets a server object of
// its own that never listens, and hears only the upgrades qrlogin leaves alone.
const upgradesForNext = createServer();
const app = next({ dev: false, dir: fileURLToPath(new URL('.', import.meta.url)), port, httpServer: upgradesForNext });
const handle = app.getRequestHandler();
await app.prepare();

// Made here, before the first request: the route handlers find this same instance on globalThis.
const { qr } = host();
const server = createServer((req, res) => {
  // Next keeps a client-sent X-Forwarded-For; overwrite it with the socket's peer so the route
  // handlers' client address (lib/client-address.ts) cannot be forged.
  req.headers['x-forwarded-for'] = req.socket.remoteAddress;
  void handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (!qr.handleUpgrade(req, socket, head)) upgradesForNext.emit('upgrade', req, socket, head);
});
server.listen(port, () => console.log(`qrlogin on Next.js (custom server, WebSocket push): http://localhost:${port}`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await qr.close();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
