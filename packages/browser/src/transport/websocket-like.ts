/**
 * The part of the WebSocket API the client uses, so the browser's `WebSocket`, the `ws` package's
 * class (Node, tests) and React Native's all fit without adapters.
 *
 * Listener events are typed `never` on purpose: every implementation's own event types then fit
 * (the browser's, `ws`'s, React Native's), and the client only reads `data` (message) and `code`
 * (close) from them.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: SocketListener): void;
}

/** An event listener of any WebSocket implementation (see {@link WebSocketLike}). */
export type SocketListener = ((event: never) => void) | { handleEvent(event: never): void };

/**
 * A WebSocket class: `globalThis.WebSocket` in browsers, `import { WebSocket } from 'ws'` in Node.
 *
 * @example
 * import { WebSocket } from 'ws';
 * createQrLoginClient({ baseUrl: 'http://127.0.0.1:3000/qrlogin', WebSocket });
 */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
