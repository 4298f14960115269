/**
 * The part of the WebSocket API the client uses, so the browser's `WebSocket`, the `ws` package's
 * class (Node, tests) and React Native's all fit without adapters.
 *
 * Listener parameters are typed `never` on purpose: each implementation passes its own event type,
 * and the client only reads `data` (message) and `code` (close) from them.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
}

/**
 * A WebSocket class: `globalThis.WebSocket` in browsers, `import { WebSocket } from 'ws'` in Node.
 *
 * @example
 * import { WebSocket } from 'ws';
 * createQrLoginClient({ baseUrl: 'http://127.0.0.1:3000/qrlogin', WebSocket });
 */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
