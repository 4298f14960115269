import {
  type AuthFrame,
  type ErrorCode,
  errorFromBody,
  QrLoginError,
  type StatusSnapshot,
  WS_CLOSE_GOING_AWAY,
} from '@qrlogin/protocol';
import { readSnapshot } from '../read-wire.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';

/** What one socket reports to the client, which owns every retry decision. */
export interface SocketHandlers {
  onSnapshot(snapshot: StatusSnapshot): void;
  /**
   * The socket is gone (never called after the returned `close()`). `authenticated` says whether
   * the server ever answered the auth frame: a socket refused before that is the fallback signal.
   */
  onEnd(authenticated: boolean, error: QrLoginError): void;
}

// Close codes the server uses when it sends no error frame first (4000 + HTTP status).
const CLOSE_CODES: Record<number, ErrorCode> = {
  4400: 'INVALID_REQUEST',
  4401: 'INVALID_SECRET',
  4403: 'FORBIDDEN_ORIGIN',
  4404: 'SESSION_NOT_FOUND',
  4408: 'AUTH_TIMEOUT',
  4410: 'SESSION_EXPIRED',
  4429: 'RATE_LIMITED',
  [WS_CLOSE_GOING_AWAY]: 'SHUTTING_DOWN',
};

/**
 * Opens one WebSocket for a session: sends the auth frame, hands every snapshot on, reports how
 * it ended. No retries here — the client decides between reconnecting, falling back to long-poll
 * and giving up. Returns `close()`, after which no handler is called.
 *
 * A socket that has not authenticated within `timeoutMs` is closed and reported as a network
 * failure: proxies that swallow upgrades tend to hang rather than refuse.
 *
 * @example
 * const close = openSocket(WebSocket, 'wss://example.com/qrlogin/ws', { sessionId, browserSecret }, handlers, 8000);
 */
export function openSocket(
  WebSocketClass: WebSocketConstructor,
  url: string,
  auth: { sessionId: string; browserSecret: string },
  handlers: SocketHandlers,
  timeoutMs: number,
): () => void {
  let live = true;
  let authenticated = false;
  let frameError: QrLoginError | undefined;
  let socket: WebSocketLike;

  const end = (error: QrLoginError) => {
    if (!live) return;
    stop();
    handlers.onEnd(authenticated, frameError ?? error);
  };
  const timer = setTimeout(
    () => end(new QrLoginError('NETWORK_ERROR', `the WebSocket did not authenticate within ${timeoutMs} ms`)),
    timeoutMs,
  );
  const stop = () => {
    live = false;
    clearTimeout(timer);
    try {
      socket.close(1000);
    } catch {
      // Closing a socket that is still connecting throws in some engines; it is dropped either way.
    }
  };

  try {
    socket = new WebSocketClass(url);
  } catch (cause) {
    // A malformed URL or a CSP `connect-src` that forbids ws: throws synchronously.
    clearTimeout(timer);
    live = false;
    queueMicrotask(() =>
      handlers.onEnd(false, new QrLoginError('NETWORK_ERROR', 'the WebSocket could not be created', { cause })),
    );
    return () => {};
  }
  socket.addEventListener('open', () => {
    const frame: AuthFrame = { type: 'auth', sessionId: auth.sessionId, browserSecret: auth.browserSecret };
    socket.send(JSON.stringify(frame));
  });
  socket.addEventListener('message', (event: { data: unknown }) => {
    if (!live) return;
    let frame: { type?: unknown } | null = null;
    try {
      frame = JSON.parse(String(event.data));
    } catch {
      // Not JSON: treated below like any unknown frame.
    }
    if (frame?.type === 'error') {
      frameError = errorFromBody(frame, 0);
      return;
    }
    const snapshot = frame?.type === 'state' ? readSnapshot(frame) : null;
    if (!snapshot) return end(new QrLoginError('INTERNAL_ERROR', 'the server sent a malformed frame'));
    authenticated = true;
    clearTimeout(timer);
    handlers.onSnapshot(snapshot);
  });
  // Node's `ws` throws on an 'error' nobody listens to; the 'close' that follows says it all.
  socket.addEventListener('error', () => {});
  socket.addEventListener('close', (event: { code: number }) => {
    const code = CLOSE_CODES[event.code];
    end(code ? new QrLoginError(code) : new QrLoginError('NETWORK_ERROR', `the WebSocket closed (${event.code})`));
  });
  return () => {
    if (live) stop();
  };
}
