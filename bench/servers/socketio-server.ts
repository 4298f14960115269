/**
 * The socket.io baseline of scenario 3: each waiting browser is a socket.io connection (WebSocket
 * transport only) that joins a room named after its session, the usual way to push to one page.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveIpc } from '../lib/ipc.js';
import { statsHandlers } from '../lib/process-stats.js';

const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room: string, ack: () => void) => {
    socket.join(room);
    ack();
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

serveIpc(
  {
    ...statsHandlers,
    counters: () => ({ sockets: io.engine.clientsCount }),
    close() {
      io.close();
    },
  },
  { port: (server.address() as AddressInfo).port },
);
