import { ROUTES } from '@qrlogin/protocol';

/** Absolute URLs of the HTTP base and the WebSocket. */
export interface Endpoints {
  /** e.g. `https://example.com/qrlogin` (no trailing slash). */
  http: string;
  /** e.g. `wss://example.com/qrlogin/ws`. */
  socket: string;
}

/**
 * Resolves `baseUrl` against the page's location (when there is one) and derives the WebSocket
 * URL from it, `wss:` for `https:` pages so a secure page never opens a plain socket.
 *
 * @example
 * // on https://example.com/login
 * resolveEndpoints('/qrlogin') // { http: 'https://example.com/qrlogin', socket: 'wss://example.com/qrlogin/ws' }
 */
export function resolveEndpoints(baseUrl: string): Endpoints {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl, page);
  } catch {
    // Reported below with the option's name.
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new TypeError(`option "baseUrl" must be an http(s) URL, or a path when running in a page; got "${baseUrl}"`);
  }
  const http = url.origin + url.pathname.replace(/\/+$/, '');
  return { http, socket: http.replace(/^http/, 'ws') + ROUTES.socket };
}
