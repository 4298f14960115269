/**
 * Client behaviour at its seams, where the real server cannot produce the situation on demand:
 * out-of-order and duplicate frames, a lost expiry push, option checks, URL derivation, backoff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff-delay.js';
import {
  createQrLoginClient,
  type FetchLike,
  type QrLoginClient,
  type StatusSnapshot,
  type WebSocketConstructor,
} from '../src/index.js';
import { resolveEndpoints } from '../src/resolve-endpoints.js';
import { recordEvents } from './helpers/record-events.js';

const SESSION = 'S'.repeat(22);
const SECRET = 'k'.repeat(43);
const BASE = 'https://example.com/qrlogin';

let client: QrLoginClient | undefined;
afterEach(() => {
  client?.destroy();
  client = undefined;
});

const snapshot = (version: number, state: StatusSnapshot['state'], extra: Partial<StatusSnapshot> = {}) => ({
  sessionId: SESSION,
  state,
  version,
  expiresAt: Date.now() + 120_000,
  serverTime: Date.now(),
  ...extra,
});

/** A fetch answering `POST /sessions` with one session and `GET` with `read()`. */
function fakeFetch(options: { ttlMs?: number; read?: () => object } = {}): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const body =
      init?.method === 'POST'
        ? {
            sessionId: SESSION,
            browserSecret: SECRET,
            qrPayload: `${BASE}/q/1/${SESSION}`,
            expiresAt: Date.now() + (options.ttlMs ?? 120_000),
            serverTime: Date.now(),
            version: 1,
          }
        : (options.read?.() ?? snapshot(1, 'pending'));
    return new Response(JSON.stringify(body), { status: init?.method === 'POST' ? 201 : 200 });
  };
  return Object.assign(fn, { calls });
}

/** A WebSocket that answers the auth frame with the frames the test scripted. */
function scriptedSocket(frames: unknown[]): WebSocketConstructor & { urls: string[]; sent: string[] } {
  const urls: string[] = [];
  const sent: string[] = [];
  class Scripted {
    readyState = 0;
    #listeners = new Map<string, ((event: unknown) => void)[]>();
    constructor(url: string) {
      urls.push(url);
      queueMicrotask(() => this.#fire('open', {}));
    }
    send(data: string) {
      sent.push(data);
      for (const frame of frames) queueMicrotask(() => this.#fire('message', { data: JSON.stringify(frame) }));
    }
    close(code = 1000) {
      queueMicrotask(() => this.#fire('close', { code }));
    }
    addEventListener(type: string, listener: (event: never) => void) {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener as (event: unknown) => void]);
    }
    #fire(type: string, event: unknown) {
      for (const listener of this.#listeners.get(type) ?? []) listener(event);
    }
  }
  return Object.assign(Scripted, { urls, sent });
}

describe('snapshot ordering', () => {
  it('drops stale, duplicate and foreign snapshots; emits each new version once, in order', async () => {
    const WebSocket = scriptedSocket([
      { type: 'state', ...snapshot(1, 'pending') }, // the snapshot first, same version as creation
      { type: 'state', ...snapshot(3, 'scanned', { code: '42' }) },
      { type: 'state', ...snapshot(2, 'scanned') }, // late
      { type: 'state', ...snapshot(3, 'scanned', { code: '42' }) }, // duplicate
      { type: 'state', ...snapshot(9, 'rejected'), sessionId: 'X'.repeat(22) }, // another session
      { type: 'state', ...snapshot(4, 'confirmed') },
    ]);
    client = createQrLoginClient({ baseUrl: BASE, fetch: fakeFetch(), WebSocket });
    const events = recordEvents(client);
    await client.start();
    await events.waitFor('confirmed');
    expect(events.all('state').map((s) => [s.version, s.state])).toEqual([
      [1, 'pending'],
      [3, 'scanned'],
      [4, 'confirmed'],
    ]);
    expect(events.all('scanned')).toEqual([{ sessionId: SESSION, code: '42' }]);
    expect(events.all('confirmed')).toEqual([{ sessionId: SESSION, browserSecret: SECRET }]);
    expect(WebSocket.urls).toEqual(['wss://example.com/qrlogin/ws']);
    expect(JSON.parse(WebSocket.sent[0]!)).toEqual({ type: 'auth', sessionId: SESSION, browserSecret: SECRET });
  });

  it('treats a malformed frame as a broken socket, not as a state', async () => {
    const WebSocket = scriptedSocket([{ type: 'state', sessionId: SESSION, state: 'bogus', version: 5 }]);
    client = createQrLoginClient({
      baseUrl: BASE,
      fetch: fakeFetch(),
      WebSocket,
      transport: 'websocket',
      reconnect: { initialDelayMs: 1 },
    });
    const events = recordEvents(client);
    await client.start();
    expect(await events.waitFor('error')).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(events.all('state').map((s) => s.state)).toEqual(['pending']);
  });
});

describe('lost expiry push', () => {
  it('asks the server once the deadline has passed, and learns about the expiry', async () => {
    // A socket that authenticates, then says nothing more (the expiry push is lost).
    const WebSocket = scriptedSocket([{ type: 'state', ...snapshot(1, 'pending') }]);
    const fetch = fakeFetch({ ttlMs: 50, read: () => snapshot(2, 'expired') });
    client = createQrLoginClient({ baseUrl: BASE, fetch, WebSocket, expiryGraceMs: 10, rotate: false });
    const events = recordEvents(client);
    await client.start();
    expect(await events.waitFor('expired')).toEqual({ sessionId: SESSION, rotating: false });
    expect(fetch.calls).toEqual([`POST ${BASE}/sessions`, `GET ${BASE}/sessions/${SESSION}`]);
  });
});

describe('options', () => {
  it.each([
    [{ baseUrl: '' }, /baseUrl/],
    [{ baseUrl: BASE, transport: 'sse' }, /transport/],
    [{ baseUrl: BASE, rotate: { maxSessions: 0 } }, /rotate\.maxSessions/],
    [{ baseUrl: BASE, rotate: { maxTotalSeconds: -1 } }, /rotate\.maxTotalSeconds/],
    [{ baseUrl: BASE, reconnect: { initialDelayMs: Number.NaN } }, /reconnect\.initialDelayMs/],
    [{ baseUrl: BASE, socketTimeoutMs: 0 }, /socketTimeoutMs/],
    [{ baseUrl: BASE, expiryGraceMs: -5 }, /expiryGraceMs/],
  ])('%j is refused with a TypeError naming the option', (options, name) => {
    expect(() => createQrLoginClient(options as never)).toThrow(TypeError);
    expect(() => createQrLoginClient(options as never)).toThrow(name);
  });

  it('does not mutate the caller’s options', () => {
    const options = Object.freeze({ baseUrl: BASE, rotate: Object.freeze({ maxSessions: 2 }) });
    client = createQrLoginClient(options);
    expect(options).toEqual({ baseUrl: BASE, rotate: { maxSessions: 2 } });
  });

  it('a relative baseUrl without a page to resolve it against fails at start(), not at import or creation', async () => {
    client = createQrLoginClient({ baseUrl: '/qrlogin' });
    await expect(client.start()).rejects.toThrow(/baseUrl/);
  });
});

describe('resolveEndpoints', () => {
  it('derives ws: from http: and wss: from https:, dropping trailing slashes', () => {
    expect(resolveEndpoints('http://127.0.0.1:3000/qrlogin/')).toEqual({
      http: 'http://127.0.0.1:3000/qrlogin',
      socket: 'ws://127.0.0.1:3000/qrlogin/ws',
    });
    expect(resolveEndpoints('https://example.com/auth/qr').socket).toBe('wss://example.com/auth/qr/ws');
  });

  it('resolves a path against the page location', () => {
    const global = globalThis as { location?: { href: string } };
    global.location = { href: 'https://shop.example/login?next=/cart' };
    try {
      expect(resolveEndpoints('/qrlogin')).toEqual({
        http: 'https://shop.example/qrlogin',
        socket: 'wss://shop.example/qrlogin/ws',
      });
    } finally {
      delete global.location;
    }
  });

  it('refuses other schemes', () => {
    expect(() => resolveEndpoints('ftp://example.com/qrlogin')).toThrow(/baseUrl/);
    expect(() => resolveEndpoints('javascript:alert(1)')).toThrow(/baseUrl/);
  });
});

describe('backoffDelay', () => {
  const options = { initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 8 };
  it('doubles per attempt with equal jitter, capped', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(250);
    expect(backoffDelay(0, options, () => 1)).toBe(500);
    expect(backoffDelay(3, options, () => 0)).toBe(2000);
    expect(backoffDelay(3, options, () => 1)).toBe(4000);
    expect(backoffDelay(20, options, () => 1)).toBe(15_000);
    expect(backoffDelay(20, options, () => 0)).toBe(7500);
  });
});

describe('server-side rendering', () => {
  it('importing both entries touches no DOM global', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const element = await import('../src/element.js');
    expect(typeof element.defineQrLoginElement).toBe('function');
    expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
  });
});
