import type { Duplex } from 'node:stream';
import { describeError, type ErrorCode, QrLoginError } from '@qrlogin/protocol';

const REASONS: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Answers an upgrade request with a plain HTTP error (the JSON error body every qrlogin refusal
 * has) and destroys the socket. Used before any WebSocket exists, so the browser sees a status,
 * not a socket that opens and closes.
 *
 * @example
 * server.on('upgrade', (req, socket) => refuseUpgrade(socket, 404, 'NOT_FOUND'));
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  code: ErrorCode,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(new QrLoginError(code, describeError(code)).toJSON());
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
    );
  }
  socket.destroy();
}
