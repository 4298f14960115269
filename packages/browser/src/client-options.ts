import type { BackoffOptions } from './backoff-delay.js';
import type { FetchLike } from './request-json.js';
import type { WebSocketConstructor } from './transport/websocket-like.js';
import { documentVisibility, type VisibilitySource } from './visibility.js';

/** How the client hears about state changes. */
export type TransportKind = 'websocket' | 'poll';

/** When the client replaces an expired session with a fresh one. */
export interface RotateOptions {
  /** Most sessions in all, counting the first. @default 20 */
  maxSessions?: number;
  /** Most time spent rotating, counting only time the page is visible. @default 600 */
  maxTotalSeconds?: number;
}

/** Options of {@link createQrLoginClient}. */
export interface QrLoginClientOptions {
  /**
   * Where qrlogin is mounted: a path on the page's origin (`/qrlogin`) or an absolute `http(s)` URL.
   * The WebSocket URL is derived from it (`wss:` for `https:`).
   */
  baseUrl: string;
  /**
   * `auto` tries the WebSocket and falls back to long-poll when it cannot connect, probing for the
   * WebSocket's return meanwhile (4× the `reconnect` delays); `websocket` and `poll` use only that one.
   * @default 'auto'
   */
  transport?: 'auto' | TransportKind;
  /** `fetch` to use. @default globalThis.fetch */
  fetch?: FetchLike;
  /** WebSocket class to use. @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /**
   * Rotation to a fresh session when one expires; `false` stops at the first expiry. Rotation
   * waits while the page is hidden.
   * @default { maxSessions: 20, maxTotalSeconds: 600 }
   */
  rotate?: RotateOptions | false;
  /** Reconnect timing. @default { initialDelayMs: 500, maxDelayMs: 15000, maxAttempts: 8 } */
  reconnect?: Partial<BackoffOptions>;
  /** How long a WebSocket may take to open and authenticate. @default 8000 */
  socketTimeoutMs?: number;
  /**
   * How long after the session's expiry (on the local clock, corrected by the server's) the client
   * asks the server for the state, in case the expiry push was lost.
   * @default 2000
   */
  expiryGraceMs?: number;
  /** Page visibility (tests, non-DOM hosts). @default the document's Page Visibility API */
  visibility?: VisibilitySource;
}

/** Options after defaults. */
export interface ResolvedClientOptions {
  baseUrl: string;
  transport: 'auto' | TransportKind;
  fetch: FetchLike | undefined;
  WebSocket: WebSocketConstructor | undefined;
  rotate: Required<RotateOptions> | false;
  reconnect: BackoffOptions;
  socketTimeoutMs: number;
  expiryGraceMs: number;
  visibility: VisibilitySource;
}

const positive = (name: string, value: number) => {
  if (!(value > 0)) throw new TypeError(`option "${name}" must be a positive number, got ${value}`);
};

/**
 * Applies defaults and checks every option, naming the bad one. Touches no global: `fetch`,
 * `WebSocket` and `location` are looked up when the client starts.
 *
 * @example
 * resolveClientOptions({ baseUrl: '/qrlogin' }).transport // 'auto'
 */
export function resolveClientOptions(options: QrLoginClientOptions): ResolvedClientOptions {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '') {
    throw new TypeError('option "baseUrl" must be a non-empty string such as "/qrlogin"');
  }
  const transport = options.transport ?? 'auto';
  if (!['auto', 'websocket', 'poll'].includes(transport)) {
    throw new TypeError(`option "transport" must be "auto", "websocket" or "poll", got "${transport}"`);
  }
  const rotate = options.rotate === false ? false : { maxSessions: 20, maxTotalSeconds: 600, ...options.rotate };
  const reconnect = { initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 8, ...options.reconnect };
  const resolved: ResolvedClientOptions = {
    baseUrl: options.baseUrl,
    transport,
    fetch: options.fetch,
    WebSocket: options.WebSocket,
    rotate,
    reconnect,
    socketTimeoutMs: options.socketTimeoutMs ?? 8000,
    expiryGraceMs: options.expiryGraceMs ?? 2000,
    visibility: options.visibility ?? documentVisibility(),
  };
  if (rotate) {
    positive('rotate.maxSessions', rotate.maxSessions);
    positive('rotate.maxTotalSeconds', rotate.maxTotalSeconds);
  }
  positive('reconnect.initialDelayMs', reconnect.initialDelayMs);
  positive('reconnect.maxDelayMs', reconnect.maxDelayMs);
  positive('reconnect.maxAttempts', reconnect.maxAttempts);
  positive('socketTimeoutMs', resolved.socketTimeoutMs);
  if (!(resolved.expiryGraceMs >= 0)) throw new TypeError('option "expiryGraceMs" must be 0 or more');
  return resolved;
}
