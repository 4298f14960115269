/**
 * An attacker's view of a running qrlogin server, on real sockets: lookalike Origins, oversized and
 * fragmented frames, sockets that never authenticate or stop answering pings, floods past every
 * rate limit, spoofed `X-Forwarded-For`, and 1,000 hostile sockets against a server in its own
 * process whose memory is measured while honest users keep signing in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CreateSessionResponse, LoginRequest, ServerFrame } from '@qrlogin/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { contextDigestOf } from '../src/context-digest.js';
import { memoryStore, type SessionStore } from '../src/index.js';
import {
  type Body,
  createSession,
  newDevice,
  newKeyPair,
  post,
  serversPerTest,
  signWith,
  subscribe,
  type TestServer,
  until,
} from './helpers.js';

const start = serversPerTest();

const wsUrl = (server: TestServer) => `${server.base.replace(/^http/, 'ws')}/ws`;

/** A raw client socket that records frames and its close, with every `ws` client option available. */
interface RawSocket {
  ws: WebSocket;
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
}

function rawSocket(url: string, options: WebSocket.ClientOptions): Promise<RawSocket> {
  const ws = new WebSocket(url, options);
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
}

const authFrame = (session: CreateSessionResponse) =>
  JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret });

/** Status, headers and body of an upgrade the server refused (or 101). */
function tryUpgrade(
  url: string,
  options: WebSocket.ClientOptions,
): Promise<{ status: number; body: string; retryAfter?: string; ws?: WebSocket }> {
  const ws = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, body: '', ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => {
        body += String(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] as string | undefined }),
      );
    });
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ─────────────────────────────────────────── Origins ───────────────────────────────────────────

describe('lookalike Origins', () => {
  const SITE = 'https://example.com';
  const LOOKALIKES: [string, string | undefined][] = [
    ['suffix lookalike', 'https://example.com.evil.com'],
    ['prefix lookalike', 'https://evil-example.com'],
    ['subdomain not on the list', 'https://login.example.com'],
    ['wrong scheme', 'http://example.com'],
    ['wrong port', 'https://example.com:8443'],
    ['explicit default port', 'https://example.com:443'],
    ['trailing slash', 'https://example.com/'],
    ['upper case', 'https://EXAMPLE.com'],
    ['opaque origin', 'null'],
    ['missing Origin', undefined],
  ];

  it.each(LOOKALIKES)('the WebSocket upgrade refuses %s with 403 before any frame', async (_name, origin) => {
    const server = await start({ origin: SITE });
    const refused: string[] = [];
    server.qr.events.on('refused', (e) => refused.push(`${e.action} ${e.code}`));
    const res = await tryUpgrade(wsUrl(server), origin === undefined ? {} : { origin });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(server.qr.socketCount).toBe(0);
    expect(refused).toEqual(['ws upgrade FORBIDDEN_ORIGIN']);
  });

  it('the exact site Origin upgrades', async () => {
    const server = await start({ origin: SITE });
    const res = await tryUpgrade(wsUrl(server), { origin: SITE });
    expect(res.status).toBe(101);
    res.ws?.terminate();
  });

  it.each(LOOKALIKES.filter((entry): entry is [string, string] => entry[1] !== undefined))(
    'session creation refuses %s with 403 and creates nothing',
    async (_name, origin) => {
      const server = await start({ origin: SITE });
      let created = 0;
      server.qr.events.on('created', () => created++);
      const res = await post(`${server.base}/sessions`, {}, { origin });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN_ORIGIN');
      expect(created).toBe(0);
      expect((await post(`${server.base}/sessions`, {}, { origin: SITE })).status).toBe(201);
    },
  );

  it('session creation refuses an empty Origin header (present, so not a non-browser client) with 403', async () => {
    const server = await start({ origin: SITE });
    let created = 0;
    server.qr.events.on('created', () => created++);
    const res = await post(`${server.base}/sessions`, {}, { origin: '' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect(created).toBe(0);
  });
});

// ──────────────────────────────────────────── frames ────────────────────────────────────────────

describe('oversized and fragmented frames', () => {
  it('a frame over maxPayload closes the socket with 1009 and changes nothing', async () => {
    const server = await start({ socket: { maxPayloadBytes: 1024 } });
    const session = await createSession(server);
    const socket = await rawSocket(wsUrl(server), { origin: server.origin });
    socket.ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: 'x'.repeat(2000) }));
    expect((await socket.closed).code).toBe(1009);
    expect(socket.frames).toEqual([]);
    await until(() => server.qr.socketCount === 0, 'the socket to be dropped');
    expect(await server.qr.inspect(session.sessionId)).toMatchObject({ state: 'pending', version: 1 });
  });

  it('an auth frame sent in three small fragments is reassembled and accepted', async () => {
    const server = await start({});
    const session = await createSession(server);
    const socket = await rawSocket(wsUrl(server), { origin: server.origin });
    const text = authFrame(session);
    socket.ws.send(text.slice(0, 10), { fin: false });
    socket.ws.send(text.slice(10, 60), { fin: false });
    socket.ws.send(text.slice(60), { fin: true });
    await until(() => socket.frames.length === 1, 'the snapshot');
    expect(socket.frames[0]).toMatchObject({ type: 'state', state: 'pending', version: 1 });
    socket.ws.terminate();
  });

  it('fragments that add up to more than maxPayload close the socket with 1009', async () => {
    const server = await start({ socket: { maxPayloadBytes: 1024 } });
    const socket = await rawSocket(wsUrl(server), { origin: server.origin });
    for (let i = 0; i < 5; i++) socket.ws.send('x'.repeat(300), { fin: false });
    expect((await socket.closed).code).toBe(1009);
    expect(socket.frames).toEqual([]);
  });

  it('a fragmented frame that is never finished is closed at the auth deadline', async () => {
    const server = await start({ socket: { authTimeoutSeconds: 1 } });
    const socket = await rawSocket(wsUrl(server), { origin: server.origin });
    socket.ws.send('{"type":"auth",', { fin: false });
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4408, reason: 'AUTH_TIMEOUT' });
    expect(socket.frames).toEqual([{ type: 'error', error: { code: 'AUTH_TIMEOUT', message: expect.any(String) } }]);
  });

  it('a frame split into more fragments than an auth frame could ever need closes with 1008', async () => {
    const server = await start({});
    const session = await createSession(server);
    const socket = await rawSocket(wsUrl(server), { origin: server.origin });
    const text = authFrame(session);
    // One byte per fragment: each fragment costs the server a buffer entry, not just its bytes.
    for (let i = 0; i < text.length; i++) socket.ws.send(text[i] as string, { fin: i === text.length - 1 });
    const outcome = await Promise.race([
      socket.closed.then(({ code }) => `closed ${code}`),
      until(() => socket.frames.length > 0, 'a frame').then(() => `answered ${JSON.stringify(socket.frames[0])}`),
    ]);
    expect(outcome).toBe('closed 1008');
    socket.ws.terminate();
  });

  it('binary frames, non-JSON and unknown frame types close with 4400', async () => {
    const server = await start({});
    for (const send of [
      (ws: WebSocket) => ws.send(Buffer.from([1, 2, 3])),
      (ws: WebSocket) => ws.send('not json'),
      (ws: WebSocket) => ws.send(JSON.stringify({ type: 'subscribe', sessionId: 'x' })),
    ]) {
      const socket = await rawSocket(wsUrl(server), { origin: server.origin });
      send(socket.ws);
      expect((await socket.closed).code).toBe(4400);
    }
  });

  it('any frame after auth closes the socket with 4400', async () => {
    const server = await start({});
    const session = await createSession(server);
    const socket = await subscribe(server, session);
    socket.ws.send(authFrame(session));
    expect((await socket.closed).code).toBe(4400);
  });
});

// ─────────────────────────────────────── silent sockets ───────────────────────────────────────

describe('sockets that never authenticate', () => {
  it('are closed with 4408 AUTH_TIMEOUT after the deadline; an authenticated one stays', async () => {
    // 3 s: the count below must be read before the deadline, even on a stalled machine.
    const server = await start({ socket: { authTimeoutSeconds: 3 } });
    const timeouts: string[] = [];
    server.qr.events.on('refused', (e) => timeouts.push(`${e.action} ${e.code}`));
    const session = await createSession(server);
    const honest = await subscribe(server, session);
    const silent = await Promise.all(
      Array.from({ length: 5 }, () => rawSocket(wsUrl(server), { origin: server.origin })),
    );
    expect(server.qr.socketCount).toBe(6);
    for (const socket of silent) expect((await socket.closed).code).toBe(4408);
    expect(timeouts).toEqual(Array.from({ length: 5 }, () => 'ws auth AUTH_TIMEOUT'));
    await until(() => server.qr.socketCount === 1, 'only the honest socket to remain');
    expect(honest.ws.readyState).toBe(WebSocket.OPEN);
    honest.ws.terminate();
  });
});

describe('a socket that stops answering pings', () => {
  it('is terminated by the heartbeat; a socket that answers stays open', async () => {
    const server = await start({ socket: { heartbeatSeconds: 0.5 } });
    const live = await createSession(server);
    const dead = await createSession(server);
    const answering = await rawSocket(wsUrl(server), { origin: server.origin });
    answering.ws.send(authFrame(live));
    // `autoPong: false` is a peer whose network died after it authenticated.
    const mute = await rawSocket(wsUrl(server), { origin: server.origin, autoPong: false });
    let pings = 0;
    mute.ws.on('ping', () => pings++);
    mute.ws.send(authFrame(dead));
    await until(() => answering.frames.length === 1 && mute.frames.length === 1, 'both snapshots');
    const closed = await mute.closed;
    // Terminated, not closed: a peer that ignores pings would not answer a close handshake either.
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    await until(() => server.qr.socketCount === 1, 'the dead socket to be dropped');
    // The answering socket has lived through the same heartbeats and still gets pushes.
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    const phone = await newDevice(server);
    expect((await phone.scan(live.sessionId)).status).toBe(200);
    await until(() => answering.frames.some((f) => f.type === 'state' && f.state === 'scanned'), 'the scanned push');
    answering.ws.terminate();
  });

  it('spreads the first pings of sockets that connected together over the second half of the interval', async () => {
    // 8 s: a 4 s window of first pings, four of the one-second sweeps that send them.
    const server = await start({ rateLimits: false, socket: { heartbeatSeconds: 8, maxPerIp: 100 } });
    const sessions = await Promise.all(Array.from({ length: 60 }, () => createSession(server)));
    const sockets = await Promise.all(sessions.map(() => rawSocket(wsUrl(server), { origin: server.origin })));
    const authedAt = performance.now();
    const firstPings: number[] = [];
    sockets.forEach((socket, i) => {
      socket.ws.once('ping', () => firstPings.push(performance.now() - authedAt));
      socket.ws.send(authFrame(sessions[i] as CreateSessionResponse));
    });
    await until(() => firstPings.length === sockets.length, 'every socket’s first ping', 15_000);
    // Between half the interval and the interval, give or take the sweeps and a loaded event loop.
    expect(Math.min(...firstPings)).toBeGreaterThan(3_000);
    expect(Math.max(...firstPings)).toBeLessThan(10_500);
    // Without the jitter all 60 would come in one sweep; with it, about 15 in each of four.
    const perSecond = new Map<number, number>();
    for (const at of firstPings) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(30);
    for (const socket of sockets) socket.ws.terminate();
  }, 30_000);
});

describe('heartbeat sweep', () => {
  it('sends a sweep’s pings at most 100 per event-loop turn, and every due socket gets one', async () => {
    let offset = 0;
    const server = await start({
      rateLimits: false,
      now: () => Date.now() + offset,
      socket: { heartbeatSeconds: 30, maxPerIp: 1000 },
    });
    const sessions = await Promise.all(Array.from({ length: 250 }, () => createSession(server)));
    const sockets = await Promise.all(sessions.map(() => rawSocket(wsUrl(server), { origin: server.origin })));
    let pinged = 0;
    for (const [i, socket] of sockets.entries()) {
      socket.ws.once('ping', () => pinged++);
      socket.ws.send(authFrame(sessions[i] as CreateSessionResponse));
    }
    await until(() => server.qr.socketCount === 250, 'all sockets connected');
    await new Promise((r) => setTimeout(r, 200));
    // Pings sent in one synchronous run of the server's code share a batch; a microtask ends it.
    const batches: number[] = [];
    let open = false;
    const original = WebSocket.prototype.ping;
    const ping = vi.spyOn(WebSocket.prototype, 'ping').mockImplementation(function (this: WebSocket, ...args) {
      if (!open) {
        open = true;
        batches.push(0);
        queueMicrotask(() => {
          open = false;
        });
      }
      batches[batches.length - 1] = (batches.at(-1) as number) + 1;
      return original.apply(this, args);
    });
    // Every socket's first ping falls due at once: the next one-second sweep finds all 250.
    offset = 60_000;
    await until(() => pinged === 250, 'every socket’s ping', 5_000);
    ping.mockRestore();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(250);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const socket of sockets) socket.ws.terminate();
  }, 30_000);
});

// ──────────────────────────────────────────── floods ────────────────────────────────────────────

/** Fires `n` requests at once and tallies the statuses. */
async function flood<T extends { status: number }>(n: number, fire: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fire(i)));
}

function tally(results: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of results) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function expectEveryRefusalRetryable(results: { status: number; headers?: Headers; retryAfter?: string }[]): void {
  for (const r of results.filter((x) => x.status === 429)) {
    const retry = r.headers ? r.headers.get('retry-after') : r.retryAfter;
    expect(retry).toMatch(/^[1-9][0-9]*$/);
  }
}

describe('floods past each rate limit (concurrent)', () => {
  it('session creation: exactly the limit succeeds', async () => {
    const server = await start({ rateLimits: { createSession: { limit: 10, windowSeconds: 60 } } });
    const results = await flood(40, () => post(`${server.base}/sessions`, {}));
    expect(tally(results)).toEqual({ 201: 10, 429: 30 });
    expectEveryRefusalRetryable(results);
  });

  it('WebSocket connects: exactly the limit upgrades', async () => {
    const server = await start({ rateLimits: { socketConnect: { limit: 10, windowSeconds: 60 } } });
    const results = await flood(30, () => tryUpgrade(wsUrl(server), { origin: server.origin }));
    expect(tally(results)).toEqual({ 101: 10, 429: 20 });
    expectEveryRefusalRetryable(results);
    for (const r of results) r.ws?.terminate();
  });

  it('WebSocket sockets per IP: exactly the cap is open at once', async () => {
    const server = await start({ socket: { maxPerIp: 5 } });
    const results = await flood(30, () => tryUpgrade(wsUrl(server), { origin: server.origin }));
    expect(tally(results)).toEqual({ 101: 5, 429: 25 });
    expectEveryRefusalRetryable(results);
    expect(server.qr.socketCount).toBe(5);
    for (const r of results) r.ws?.terminate();
  });

  it('scans per device: exactly the limit scans', async () => {
    const server = await start({ rateLimits: { scanPerDevice: { limit: 5, windowSeconds: 60 } } });
    const phone = await newDevice(server);
    const sessions = await Promise.all(Array.from({ length: 20 }, () => createSession(server)));
    const results = await flood(20, (i) => phone.scan((sessions[i] as CreateSessionResponse).sessionId));
    expect(tally(results)).toEqual({ 200: 5, 429: 15 });
  });

  it('confirm attempts per session: exactly the limit reaches signature verification', async () => {
    const server = await start({ rateLimits: { decidePerSession: { limit: 5, windowSeconds: 300 } } });
    const session = await createSession(server);
    const phone = await newDevice(server);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    const forged = signWith(newKeyPair().privateKey, {
      action: 'confirm',
      audience: server.origin,
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      contextDigest: contextDigestOf(request),
      timestamp: Date.now(),
    });
    const results = await flood(20, () => phone.confirm(request, { signature: forged }));
    expect(tally(results)).toEqual({ 401: 5, 429: 15 });
    expect(results.filter((r) => r.status === 401).every((r) => r.body.error.code === 'SIGNATURE_INVALID')).toBe(true);
    expect((await server.qr.inspect(session.sessionId))?.state).toBe('scanned');
  });

  it('confirm attempts per user: exactly the limit decides', async () => {
    const server = await start({ rateLimits: { decidePerUser: { limit: 3, windowSeconds: 60 } } });
    const phones = await Promise.all(Array.from({ length: 10 }, () => newDevice(server, 'alice')));
    const requests = await Promise.all(
      phones.map(async (phone) => (await phone.scan((await createSession(server)).sessionId)).body as LoginRequest),
    );
    const results = await flood(
      10,
      (i) => phones[i]?.confirm(requests[i] as LoginRequest) as Promise<{ status: number; body: Body }>,
    );
    expect(tally(results)).toEqual({ 200: 3, 429: 7 });
  });

  it('device registrations per IP: exactly the limit registers', async () => {
    const server = await start({
      authenticate: () => ({ userId: 'dave' }),
      rateLimits: { registerDevice: { limit: 3, windowSeconds: 60 } },
    });
    const results = await flood(12, () => {
      const { publicKey, privateKey } = newKeyPair();
      const timestamp = Date.now();
      const signature = signWith(privateKey, {
        action: 'register',
        audience: server.origin,
        publicKey,
        userId: 'dave',
        timestamp,
      });
      return post(`${server.base}/devices`, { publicKey, label: 'flood', timestamp, signature });
    });
    expect(tally(results)).toEqual({ 201: 3, 429: 9 });
    expectEveryRefusalRetryable(results);
  });

  it('long-polls per IP: exactly the limit is answered', async () => {
    const server = await start({ rateLimits: { poll: { limit: 5, windowSeconds: 60 } } });
    const session = await createSession(server);
    const results = await flood(20, () =>
      fetch(`${server.base}/sessions/${session.sessionId}`, {
        headers: { authorization: `Bearer ${session.browserSecret}` },
      }),
    );
    expect(tally(results)).toEqual({ 200: 5, 429: 15 });
    expectEveryRefusalRetryable(results);
  });
});

// ─────────────────────────────────────── spoofed forwarded-for ───────────────────────────────────────

describe('a spoofed X-Forwarded-For without trusted proxies', () => {
  it('neither names the requester nor escapes the per-IP limit, however it rotates', async () => {
    const server = await start({ rateLimits: { createSession: { limit: 10, windowSeconds: 60 } } });
    const ips = new Set<string>();
    server.qr.events.on('created', (e) => ips.add(e.ip));
    const results = await flood(40, (i) =>
      post(`${server.base}/sessions`, {}, { 'x-forwarded-for': `198.51.${i}.${i + 1}, 203.0.113.${i}` }),
    );
    expect(tally(results)).toEqual({ 201: 10, 429: 30 });
    expect([...ips]).toEqual(['127.0.0.1']);
    const phone = await newDevice(server);
    const created = results.find((r) => r.status === 201)?.body as CreateSessionResponse;
    const scan = await phone.scan(created.sessionId);
    expect(scan.body.requester.ip).toBe('127.0.0.1');
  });

  it('does not widen the per-IP socket cap', async () => {
    const server = await start({ socket: { maxPerIp: 3 } });
    const results = await flood(10, (i) =>
      tryUpgrade(wsUrl(server), { origin: server.origin, headers: { 'x-forwarded-for': `198.51.100.${i}` } }),
    );
    expect(tally(results)).toEqual({ 101: 3, 429: 7 });
    for (const r of results) r.ws?.terminate();
  });
});

// ─────────────────────────────── handshakes that never complete ───────────────────────────────

/** Sends a raw upgrade request and returns the status line the server answers with. */
function rawUpgrade(server: TestServer, headers: Record<string, string>): Promise<string> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      const lines = Object.entries({ Host: `127.0.0.1:${port}`, ...headers }).map(([k, v]) => `${k}: ${v}`);
      socket.write(`GET /qrlogin/ws HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (d) => {
      text += String(d);
    });
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('upgrade requests that fail the WebSocket handshake', () => {
  it('are refused with 400 and do not use up the per-IP socket cap', async () => {
    const server = await start({ socket: { maxPerIp: 3 } });
    const bad = {
      Origin: server.origin,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': 'not-a-valid-key',
      'Sec-WebSocket-Version': '13',
    };
    for (let i = 0; i < 5; i++) expect(await rawUpgrade(server, bad)).toMatch(/^HTTP\/1\.1 400/);
    const honest = await tryUpgrade(wsUrl(server), { origin: server.origin });
    expect(honest.status).toBe(101);
    honest.ws?.terminate();
  });
});

/** The session store with a few milliseconds of network latency on every call, as Redis has. */
function slowStore(latencyMs: number): SessionStore {
  const inner = memoryStore();
  // Every call waits first, then runs against the memory store: a reply that comes back later.
  const later = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    await new Promise((r) => setTimeout(r, latencyMs));
    return fn();
  };
  return {
    create: (record, retainUntil) => later(() => inner.create(record, retainUntil)),
    get: (id) => later(() => inner.get(id)),
    compareAndSet: (next, version, retainUntil) => later(() => inner.compareAndSet(next, version, retainUntil)),
    hit: (key, windowMs) => later(() => inner.hit(key, windowMs)),
    close: () => inner.close?.(),
  };
}

describe('a burst of upgrades against a store with latency', () => {
  it('cannot open more sockets than the per-IP cap', async () => {
    const server = await start({ store: slowStore(5), rateLimits: {}, socket: { maxPerIp: 5 } });
    const results = await flood(30, () => tryUpgrade(wsUrl(server), { origin: server.origin }));
    expect(server.qr.socketCount).toBeLessThanOrEqual(5);
    expect(tally(results)).toEqual({ 101: 5, 429: 25 });
    for (const r of results) r.ws?.terminate();
  });
});

// ─────────────────────────────────── 1,000 hostile sockets ───────────────────────────────────

/**
 * The server under attack runs in its own Node process so its memory figure is its own, not the
 * test runner's. It is a minimal host: qrlogin on node:http, device registration through the host's
 * `authenticate` hook, and the host's own `POST /login/qr` route that redeems.
 */
const CHILD_SOURCE = `
import http from 'node:http';
const { createQrLogin } = await import(process.env.QRLOGIN_SERVER_ENTRY);
let qr;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/login/qr') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      qr.redeem(JSON.parse(body)).then(
        (login) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ userId: login.userId })); },
        (err) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end(JSON.stringify({ code: err.code })); },
      );
    });
    return;
  }
  qr.node(req, res);
});
server.listen(0, '127.0.0.1', () => {
  const origin = 'http://127.0.0.1:' + server.address().port;
  qr = createQrLogin({
    origin,
    authenticate: (request) => (request.headers.get('authorization') === 'Bearer honest' ? { userId: 'alice' } : null),
    socket: { authTimeoutSeconds: Number(process.env.AUTH_TIMEOUT_SECONDS) },
  });
  qr.attach(server);
  process.send({ type: 'ready', origin });
});
process.on('message', (message) => {
  if (message.type === 'measure') {
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
    process.send({ type: 'memory', heapUsed, rss, external, arrayBuffers, sockets: qr.socketCount });
  } else if (message.type === 'stop') {
    qr.close().then(() => { server.closeAllConnections(); server.close(() => process.exit(0)); });
  }
});
`;

interface Memory {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  sockets: number;
}

class ChildServer {
  readonly #child: ChildProcess;
  readonly #waiting: ((message: { type: string } & Record<string, unknown>) => void)[] = [];
  origin = '';

  constructor(authTimeoutSeconds: number) {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    this.#child = spawn(
      process.execPath,
      ['--conditions=@qrlogin/source', '--import', 'tsx', '--expose-gc', '--input-type=module', '-e', CHILD_SOURCE],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...process.env,
          QRLOGIN_SERVER_ENTRY: new URL('../src/index.ts', import.meta.url).href,
          AUTH_TIMEOUT_SECONDS: String(authTimeoutSeconds),
        },
      },
    );
    this.#child.on('message', (message) => this.#waiting.shift()?.(message as { type: string }));
  }

  #next<T>(): Promise<T> {
    return new Promise((resolve) => this.#waiting.push(resolve as (m: unknown) => void));
  }

  async ready(): Promise<void> {
    const message = await this.#next<{ origin: string }>();
    this.origin = message.origin;
  }

  measure(): Promise<Memory> {
    const reply = this.#next<Memory>();
    this.#child.send({ type: 'measure' });
    return reply;
  }

  /** Measures once the server's socket count has settled at `sockets` (closes finish asynchronously). */
  async measureAt(sockets: number): Promise<Memory> {
    const end = Date.now() + 15_000;
    for (;;) {
      const memory = await this.measure();
      if (memory.sockets === sockets || Date.now() > end) return memory;
      await sleep(50);
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null) return resolve();
      this.#child.once('exit', () => resolve());
      this.#child.send({ type: 'stop' });
      setTimeout(() => this.#child.kill(), 5000).unref();
    });
  }
}

/** One honest user signing in over the wire: page, socket, phone, confirm, the host's redeem route. */
async function honestLogin(origin: string, phone: { deviceId: string; sign: (f: object) => string }): Promise<string> {
  const base = `${origin}/qrlogin`;
  const created = await post(`${base}/sessions`, {}, { origin });
  expect(created.status).toBe(201);
  const session = created.body as CreateSessionResponse;
  const socket = await rawSocket(`${base.replace(/^http/, 'ws')}/ws`, { origin });
  socket.ws.send(authFrame(session));
  const seen = (state: string) => socket.frames.some((f) => f.type === 'state' && f.state === state);
  await until(() => seen('pending'), 'the pending snapshot');
  let timestamp = Date.now();
  const scan = await post(`${base}/sessions/${session.sessionId}/scan`, {
    deviceId: phone.deviceId,
    timestamp,
    signature: phone.sign({ action: 'scan', sessionId: session.sessionId, deviceId: phone.deviceId, timestamp }),
  });
  expect(scan.status).toBe(200);
  const request = scan.body as LoginRequest;
  timestamp = Date.now();
  const contextDigest = contextDigestOf(request);
  const confirm = await post(`${base}/sessions/${session.sessionId}/confirm`, {
    deviceId: phone.deviceId,
    timestamp,
    contextDigest,
    signature: phone.sign({
      action: 'confirm',
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      contextDigest,
      timestamp,
    }),
  });
  expect(confirm.body.state).toBe('confirmed');
  await until(() => seen('confirmed'), 'the confirmed push');
  const login = await post(`${origin}/login/qr`, {
    sessionId: session.sessionId,
    browserSecret: session.browserSecret,
  });
  expect(login.status).toBe(200);
  await socket.closed;
  return login.body.userId as string;
}

describe('1,000 hostile sockets', () => {
  const HOSTILE = 1000;
  const HOSTS = 50; // 20 sockets per address: inside the default per-IP cap (50) and connect rate (120/min)
  // Long enough for 1,100 sockets, a measurement and five logins on a loaded machine before the
  // first hostile socket is reaped.
  const AUTH_TIMEOUT_SECONDS = 20;
  let child: ChildServer | undefined;
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  it('are held in bounded memory, reaped at the auth deadline, and honest users still sign in', async () => {
    child = new ChildServer(AUTH_TIMEOUT_SECONDS);
    await child.ready();
    const origin = child.origin;
    const base = `${origin}/qrlogin`;
    const url = `${base.replace(/^http/, 'ws')}/ws`;

    // The honest user's phone, registered over HTTP with proof of possession.
    const { publicKey, privateKey } = newKeyPair();
    const timestamp = Date.now();
    const registered = await post(
      `${base}/devices`,
      {
        publicKey,
        label: 'honest phone',
        timestamp,
        signature: signWith(privateKey, {
          action: 'register',
          audience: origin,
          publicKey,
          userId: 'alice',
          timestamp,
        }),
      },
      { authorization: 'Bearer honest' },
    );
    expect(registered.status).toBe(201);
    const phone = {
      deviceId: registered.body.deviceId as string,
      sign: (fields: object) => signWith(privateKey, { ...fields, audience: origin } as Parameters<typeof signWith>[1]),
    };
    // Warm every code path once so the baseline is not inflated by lazy compilation later.
    expect(await honestLogin(origin, phone)).toBe('alice');
    const baseline = await child.measureAt(0);
    expect(baseline.sockets).toBe(0);

    // The attack: 1,000 sockets from 50 addresses. 700 never send a byte; 300 start a frame of
    // garbage and never finish it, so the auth deadline is the only thing that ends them.
    const hostile: RawSocket[] = [];
    for (let batch = 0; batch < HOSTILE / 100; batch++) {
      const opened = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const n = batch * 100 + i;
          return rawSocket(url, { origin, localAddress: `127.0.10.${(n % HOSTS) + 1}` });
        }),
      );
      hostile.push(...opened);
    }
    hostile.forEach((socket, i) => {
      if (i % 10 < 3) socket.ws.send(`{"type":"auth","garbage":"${'\u0000'.repeat(200)}`, { fin: false });
    });
    // And a wave of complete garbage frames, each refused at once.
    const garbage = await Promise.all(
      Array.from({ length: 100 }, (_, i) => rawSocket(url, { origin, localAddress: `127.0.11.${(i % HOSTS) + 1}` })),
    );
    for (const socket of garbage) socket.ws.send('\u0000garbage\u0000');
    for (const socket of garbage) expect((await socket.closed).code).toBe(4400);

    const peak = await child.measureAt(HOSTILE);
    expect(peak.sockets).toBe(HOSTILE);

    // Honest users sign in while the hostile sockets are all still open.
    const logins = [];
    for (let i = 0; i < 5; i++) logins.push(await honestLogin(origin, phone));
    expect(logins).toEqual(['alice', 'alice', 'alice', 'alice', 'alice']);

    // Every hostile socket is ended by the server at the deadline, with the auth-timeout close code.
    const closes = await Promise.all(hostile.map((socket) => socket.closed));
    expect(new Set(closes.map((c) => c.code))).toEqual(new Set([4408]));
    const after = await child.measureAt(0);
    expect(after.sockets).toBe(0);

    const perSocketHeap = (peak.heapUsed - baseline.heapUsed) / HOSTILE;
    const perSocketRss = (peak.rss - baseline.rss) / HOSTILE;
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    console.info(
      `[memory] server process with ${HOSTILE} hostile sockets: heapUsed ${mb(baseline.heapUsed)} → ${mb(peak.heapUsed)} ` +
        `(${(perSocketHeap / 1024).toFixed(1)} KB/socket), rss ${mb(baseline.rss)} → ${mb(peak.rss)} ` +
        `(${(perSocketRss / 1024).toFixed(1)} KB/socket); after the deadline heapUsed ${mb(after.heapUsed)}, rss ${mb(after.rss)}`,
    );
    // Bounded: a socket costs a few KB of heap (no per-socket timers, buffers or closures beyond
    // ws's own), and the memory comes back once the sockets are reaped.
    expect(perSocketHeap).toBeLessThan(16 * 1024);
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(4 * 1048576);
  }, 120_000);
});
