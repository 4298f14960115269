/**
 * Every policy of issue 7 on real sockets, each with its allow path and its deny path: proximity
 * (off / warn / deny, IPv4 /24, IPv6 /64, the host's `describeRequester` place), number matching,
 * scan conflict (refuse / cancel), every rate limit with `429` + `Retry-After`, trusted proxies,
 * and `X-Forwarded-For` ignored when no proxy is trusted.
 *
 * The requester's address is varied the way it is in production: through a trusted reverse proxy's
 * `X-Forwarded-For` (`trustProxy: 1`), or, where no proxy may be trusted, by binding the client
 * socket to another loopback address (`localAddress: '127.0.x.y'`), which is a real peer address.
 */
import type http from 'node:http';
import type { CreateSessionResponse, LoginRequest } from '@qrlogin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contextDigestOf } from '../src/context-digest.js';
import { memoryStore, type QrLoginOptions } from '../src/index.js';
import {
  type Body,
  createSession,
  newDevice,
  newKeyPair,
  post,
  serversPerTest,
  signWith,
  startServer,
  subscribe,
  type TestDevice,
  type TestServer,
  until,
} from './helpers.js';

const start = serversPerTest();

const xff = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

/** `POST /sessions` as a browser at `ip` behind the trusted proxy. */
function createFrom(server: TestServer, ip: string): Promise<CreateSessionResponse> {
  return createSession(server, xff(ip));
}

interface CallOptions {
  /** Client IP sent in `X-Forwarded-For`. */
  ip?: string;
  /** Device timestamp; defaults to the real clock. */
  timestamp?: number;
  /** Number-matching code to send and sign. */
  code?: string;
  /** Send this signature instead of a valid one. */
  signature?: string;
}

/** A signed scan, optionally from another IP. */
function scan(server: TestServer, device: TestDevice, sessionId: string, options: CallOptions = {}) {
  const timestamp = options.timestamp ?? Date.now();
  const signature =
    options.signature ?? device.sign({ action: 'scan', sessionId, deviceId: device.deviceId, timestamp });
  return post(
    `${server.base}/sessions/${sessionId}/scan`,
    { deviceId: device.deviceId, timestamp, signature },
    options.ip ? xff(options.ip) : {},
  );
}

/** A signed confirm or reject, optionally from another IP. */
function decide(
  server: TestServer,
  device: TestDevice,
  request: LoginRequest,
  action: 'confirm' | 'reject',
  options: CallOptions = {},
) {
  const timestamp = options.timestamp ?? Date.now();
  const digest = action === 'confirm' ? { contextDigest: contextDigestOf(request) } : {};
  const signature =
    options.signature ??
    device.sign({
      action,
      sessionId: request.sessionId,
      challenge: request.challenge,
      deviceId: device.deviceId,
      timestamp,
      ...digest,
      ...(options.code !== undefined ? { code: options.code } : {}),
    });
  const body = {
    deviceId: device.deviceId,
    timestamp,
    signature,
    ...digest,
    ...(options.code !== undefined ? { code: options.code } : {}),
  };
  return post(`${server.base}/sessions/${request.sessionId}/${action}`, body, options.ip ? xff(options.ip) : {});
}

/** A well-formed signature made by an unrelated key: right shape, never valid. */
const FOREIGN_SIGNATURE = signWith(newKeyPair().privateKey, {
  action: 'scan',
  audience: 'https://attacker.example',
  sessionId: 'A'.repeat(22),
  deviceId: 'B'.repeat(22),
  timestamp: 0,
});

function expectRateLimited(res: { status: number; headers: Headers; body: Body }, windowSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('RATE_LIMITED');
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^[0-9]+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds);
}

/** Result of a WebSocket upgrade attempt: 101 (open socket, then closed by us) or the refusal. */
interface UpgradeResult {
  status: number;
  retryAfter: string | undefined;
  body: string;
  ws?: WebSocket;
}

/** Tries an upgrade and reports how the server answered. Open sockets are returned for the caller to close. */
function upgrade(
  server: TestServer,
  options: { origin?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<UpgradeResult> {
  const url = `${server.base.replace(/^http/, 'ws')}/ws`;
  const ws = new WebSocket(url, {
    ...(options.origin !== undefined ? { origin: options.origin } : { origin: server.origin }),
    headers: options.headers ?? {},
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, retryAfter: undefined, body: '', ws }));
    ws.once('unexpected-response', (_req, res: http.IncomingMessage) => {
      let body = '';
      res.on('data', (chunk) => {
        body += String(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }),
      );
    });
    ws.once('error', reject);
  });
}

async function closeAll(results: UpgradeResult[]): Promise<void> {
  await Promise.all(
    results.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (!r.ws || r.ws.readyState === WebSocket.CLOSED) return resolve();
          r.ws.once('close', () => resolve());
          r.ws.terminate();
        }),
    ),
  );
}

// ─────────────────────────────────────────── proximity ───────────────────────────────────────────

describe('proximity: off', () => {
  it('computes nothing and never stands in the way, even for a phone on another continent', async () => {
    const places = new Map([
      ['198.51.100.7', 'Berlin, DE'],
      ['203.0.113.9', 'Sydney, AU'],
    ]);
    const calls: string[] = [];
    const server = await start({
      proximity: 'off',
      trustProxy: 1,
      describeRequester: (ip) => {
        calls.push(ip);
        return { place: places.get(ip) ?? '' };
      },
    });
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '203.0.113.9' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toEqual({ sameNetwork: false, distance: 'unknown', policy: 'off' });
    // The hook still describes the browser for the confirm screen, but the phone is never looked up.
    expect(res.body.requester.place).toBe('Berlin, DE');
    expect(calls).toEqual(['198.51.100.7']);
    expect((await decide(server, phone, res.body, 'confirm', { ip: '203.0.113.9' })).body.state).toBe('confirmed');
    // The network signal is still reported for the confirm screen; it just decides nothing.
    const near = await createFrom(server, '198.51.100.7');
    const same = await scan(server, phone, near.sessionId, { ip: '198.51.100.200' });
    expect(same.body.proximity).toEqual({ sameNetwork: true, distance: 'near', policy: 'off' });
  });
});

describe('proximity: warn', () => {
  it('same IPv4 /24 → near and sameNetwork', async () => {
    const server = await start({ proximity: 'warn', trustProxy: 1 });
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '198.51.100.250' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toEqual({ sameNetwork: true, distance: 'near', policy: 'warn' });
  });

  it('another /24 with places that differ → far, samePlace false, and the scan still goes through', async () => {
    const places = new Map([
      ['198.51.100.7', 'Berlin, DE'],
      ['198.51.101.7', 'Sydney, AU'],
    ]);
    const server = await start({
      proximity: 'warn',
      trustProxy: 1,
      describeRequester: (ip) => ({ place: places.get(ip) ?? '' }),
    });
    const session = await createFrom(server, '198.51.100.7');
    const socket = await subscribe(server, session);
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '198.51.101.7' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toEqual({ sameNetwork: false, samePlace: false, distance: 'far', policy: 'warn' });
    await socket.waitFor('scanned');
    expect((await decide(server, phone, res.body, 'confirm', { ip: '198.51.101.7' })).body.state).toBe('confirmed');
  });

  it('another /24 and no places known → unknown, allowed', async () => {
    const server = await start({ proximity: 'warn', trustProxy: 1 });
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '192.0.2.1' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toEqual({ sameNetwork: false, distance: 'unknown', policy: 'warn' });
  });

  it('a describeRequester hook that throws is reported, and the scan continues without a place', async () => {
    const server = await start({
      proximity: 'warn',
      trustProxy: 1,
      describeRequester: () => {
        throw new Error('GeoIP database missing');
      },
    });
    const hookErrors: string[] = [];
    server.qr.events.on('hook-error', ({ hook }) => hookErrors.push(hook));
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '192.0.2.1' });
    expect(res.status).toBe(200);
    expect(res.body.requester.place).toBeUndefined();
    expect(res.body.proximity.distance).toBe('unknown');
    expect(hookErrors).toEqual(['describeRequester', 'describeRequester']);
  });
});

describe('proximity: deny', () => {
  const places = new Map([
    ['198.51.100.7', 'Berlin, DE'],
    ['203.0.113.5', 'Berlin, DE'],
    ['192.0.2.1', 'Sydney, AU'],
  ]);
  const deny: Partial<QrLoginOptions> = {
    proximity: 'deny',
    trustProxy: 1,
    describeRequester: (ip) => ({ place: places.get(ip) ?? '' }),
  };

  it('allows a phone on the same /24', async () => {
    const server = await start(deny);
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '198.51.100.99' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toMatchObject({ sameNetwork: true, distance: 'near', policy: 'deny' });
    expect((await decide(server, phone, res.body, 'confirm', { ip: '198.51.100.99' })).body.state).toBe('confirmed');
  });

  it('allows a phone on another network in the same place (describeRequester)', async () => {
    const server = await start(deny);
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '203.0.113.5' });
    expect(res.status).toBe(200);
    expect(res.body.proximity).toEqual({ sameNetwork: false, samePlace: true, distance: 'near', policy: 'deny' });
  });

  it('refuses a phone in another place, rejects the session and pushes the reason', async () => {
    const server = await start(deny);
    const session = await createFrom(server, '198.51.100.7');
    const socket = await subscribe(server, session);
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '192.0.2.1' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PROXIMITY_DENIED');
    expect(await socket.waitFor('rejected')).toMatchObject({ state: 'rejected', reason: 'proximity', version: 2 });
    expect((await server.qr.inspect(session.sessionId))?.state).toBe('rejected');
    // Nothing the phone does afterwards revives it: no second scan from nearby, no redeem.
    const nearby = await newDevice(server, 'bob');
    expect((await scan(server, nearby, session.sessionId, { ip: '198.51.100.8' })).body.error.code).toBe(
      'INVALID_STATE',
    );
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('refuses a phone on another network when no place is known (unknown is not near)', async () => {
    const server = await start({ proximity: 'deny', trustProxy: 1 });
    const session = await createFrom(server, '198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '198.51.101.7' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PROXIMITY_DENIED');
  });

  it('groups IPv6 by /64: the same /64 is near, the neighbouring /64 is refused', async () => {
    const server = await start({ proximity: 'deny', trustProxy: 1 });
    const phone = await newDevice(server);

    const near = await createFrom(server, '2001:db8:1:2::1');
    const ok = await scan(server, phone, near.sessionId, { ip: '2001:db8:1:2:ffff:ffff:ffff:fffe' });
    expect(ok.status).toBe(200);
    expect(ok.body.requester.ip).toBe('2001:db8:1:2::1');
    expect(ok.body.proximity).toMatchObject({ sameNetwork: true, distance: 'near' });

    const far = await createFrom(server, '2001:db8:1:2::1');
    const refused = await scan(server, phone, far.sessionId, { ip: '2001:db8:1:3::1' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('PROXIMITY_DENIED');
  });

  it('an IPv4-mapped IPv6 address counts as its IPv4 network', async () => {
    const server = await start({ proximity: 'deny', trustProxy: 1 });
    const session = await createFrom(server, '::ffff:198.51.100.7');
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '198.51.100.20' });
    expect(res.status).toBe(200);
    expect(res.body.requester.ip).toBe('198.51.100.7');
  });
});

// ───────────────────────────────────────── number matching ─────────────────────────────────────────

describe('number matching', () => {
  async function scannedWithCode(server: TestServer) {
    const session = await createSession(server);
    const socket = await subscribe(server, session);
    const phone = await newDevice(server);
    const request = (await scan(server, phone, session.sessionId)).body as LoginRequest;
    const scanned = (await socket.waitFor('scanned')) as { code?: string };
    return { session, socket, phone, request, code: scanned.code as string };
  }

  it('allow: the code shown only in the browser, typed and signed in the app, confirms', async () => {
    const server = await start({ numberMatching: true });
    const { session, socket, phone, request, code } = await scannedWithCode(server);
    expect(request.codeRequired).toBe(true);
    expect(code).toMatch(/^[0-9]{2}$/);
    // The app learns the code only from the user: the login request never carries it.
    expect(Object.keys(request)).not.toContain('code');
    const ok = await decide(server, phone, request, 'confirm', { code });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('confirmed');
    const confirmed = await socket.waitFor('confirmed');
    expect(confirmed).not.toHaveProperty('code');
    expect((await server.qr.redeem(session)).userId).toBe('alice');
  });

  it('deny: a wrong code rejects the session outright, and the right code afterwards changes nothing', async () => {
    const server = await start({ numberMatching: true });
    const { session, socket, phone, request, code } = await scannedWithCode(server);
    const wrong = code === '00' ? '01' : '00';
    const res = await decide(server, phone, request, 'confirm', { code: wrong });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CODE_MISMATCH');
    expect(await socket.waitFor('rejected')).toMatchObject({ reason: 'code-mismatch' });
    const retry = await decide(server, phone, request, 'confirm', { code });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('INVALID_STATE');
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('deny: a confirm without the code is refused and leaves the session scanned', async () => {
    const server = await start({ numberMatching: true });
    const { session, phone, request } = await scannedWithCode(server);
    const res = await decide(server, phone, request, 'confirm');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CODE_REQUIRED');
    expect((await server.qr.inspect(session.sessionId))?.state).toBe('scanned');
  });

  it('off: no code is shown and none is needed', async () => {
    const server = await start({ numberMatching: false });
    const session = await createSession(server);
    const socket = await subscribe(server, session);
    const phone = await newDevice(server);
    const request = (await scan(server, phone, session.sessionId)).body as LoginRequest;
    expect(request.codeRequired).toBe(false);
    expect(await socket.waitFor('scanned')).not.toHaveProperty('code');
    expect((await decide(server, phone, request, 'confirm')).body.state).toBe('confirmed');
  });
});

// ────────────────────────────────────────── scan conflict ──────────────────────────────────────────

describe('scan conflict', () => {
  it('refuse: a second device is refused, the first keeps the session and may confirm', async () => {
    const server = await start({ scanConflict: 'refuse' });
    const session = await createSession(server);
    const socket = await subscribe(server, session);
    const owner = await newDevice(server, 'alice');
    const intruder = await newDevice(server, 'mallory');
    const first = await scan(server, owner, session.sessionId);
    expect(first.status).toBe(200);
    const second = await scan(server, intruder, session.sessionId);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_SCANNED');
    // The same device scanning again is not a conflict: it gets the same login request back.
    const again = await scan(server, owner, session.sessionId);
    expect(again.status).toBe(200);
    expect(again.body.challenge).toBe(first.body.challenge);
    expect((await server.qr.inspect(session.sessionId))?.deviceId).toBe(owner.deviceId);
    expect((await decide(server, owner, first.body, 'confirm')).body.state).toBe('confirmed');
    await socket.waitFor('confirmed');
    expect((await server.qr.redeem(session)).userId).toBe('alice');
  });

  it('cancel: a second device cancels the session for everyone and the push says so', async () => {
    const server = await start({ scanConflict: 'cancel' });
    const session = await createSession(server);
    const socket = await subscribe(server, session);
    const owner = await newDevice(server, 'alice');
    const intruder = await newDevice(server, 'mallory');
    const first = await scan(server, owner, session.sessionId);
    expect(first.status).toBe(200);
    const second = await scan(server, intruder, session.sessionId);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_SCANNED');
    await socket.waitFor('cancelled');
    const confirm = await decide(server, owner, first.body, 'confirm');
    expect(confirm.status).toBe(409);
    expect(confirm.body.error.code).toBe('INVALID_STATE');
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('cancel: an uncontested scan is not affected', async () => {
    const server = await start({ scanConflict: 'cancel' });
    const session = await createSession(server);
    const owner = await newDevice(server, 'alice');
    const first = await scan(server, owner, session.sessionId);
    expect((await scan(server, owner, session.sessionId)).status).toBe(200);
    expect((await decide(server, owner, first.body, 'confirm')).body.state).toBe('confirmed');
  });
});

// ─────────────────────────────────────────── rate limits ───────────────────────────────────────────

describe('rate limit: createSession per IP', () => {
  it('refuses past the limit with 429 + Retry-After, other IPs unaffected, open again after the window', async () => {
    let now = Date.now();
    const server = await start({
      trustProxy: 1,
      now: () => now,
      rateLimits: { createSession: { limit: 3, windowSeconds: 60 } },
    });
    for (let i = 0; i < 3; i++) {
      expect((await post(`${server.base}/sessions`, {}, xff('198.51.100.7'))).status).toBe(201);
    }
    expectRateLimited(await post(`${server.base}/sessions`, {}, xff('198.51.100.7')), 60);
    expect((await post(`${server.base}/sessions`, {}, xff('198.51.100.8'))).status).toBe(201);
    now += 61_000;
    expect((await post(`${server.base}/sessions`, {}, xff('198.51.100.7'))).status).toBe(201);
  });

  it('groups IPv6 clients by /64', async () => {
    const server = await start({ trustProxy: 1, rateLimits: { createSession: { limit: 2, windowSeconds: 60 } } });
    expect((await post(`${server.base}/sessions`, {}, xff('2001:db8:5:6::1'))).status).toBe(201);
    expect((await post(`${server.base}/sessions`, {}, xff('2001:db8:5:6:aaaa:bbbb:cccc:dddd'))).status).toBe(201);
    // A third address in the same /64 is the same subscriber…
    expectRateLimited(await post(`${server.base}/sessions`, {}, xff('2001:db8:5:6::2')), 60);
    // …while the next /64 is somebody else.
    expect((await post(`${server.base}/sessions`, {}, xff('2001:db8:5:7::1'))).status).toBe(201);
  });
});

describe('rate limit: WebSocket sockets per IP (cap)', () => {
  it('refuses the socket past the cap with 429 + Retry-After and admits one again once a socket closes', async () => {
    const server = await start({ socket: { maxPerIp: 2 } });
    const open = [await upgrade(server), await upgrade(server)];
    expect(open.map((r) => r.status)).toEqual([101, 101]);
    const refused = await upgrade(server);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another address is someone else.
    const other = await upgrade(server, { localAddress: '127.0.0.2' });
    expect(other.status).toBe(101);
    await closeAll([open[0] as UpgradeResult]);
    await until(() => server.qr.socketCount === 2, 'the closed socket to be forgotten');
    const again = await upgrade(server);
    expect(again.status).toBe(101);
    await closeAll([...open, other, again]);
  });

  it('groups IPv6 sockets by /64 behind a trusted proxy', async () => {
    const server = await start({ trustProxy: 1, socket: { maxPerIp: 2 } });
    const a = await upgrade(server, { headers: xff('2001:db8:9:9::1') });
    const b = await upgrade(server, { headers: xff('2001:db8:9:9::2') });
    const c = await upgrade(server, { headers: xff('2001:db8:9:9:ffff::3') });
    const d = await upgrade(server, { headers: xff('2001:db8:9:a::1') });
    expect([a.status, b.status, c.status, d.status]).toEqual([101, 101, 429, 101]);
    await closeAll([a, b, c, d]);
  });
});

describe('rate limit: WebSocket connects per IP (rate)', () => {
  it('refuses connects past the rate even when earlier sockets were closed, until the window passes', async () => {
    let now = Date.now();
    const server = await start({ now: () => now, rateLimits: { socketConnect: { limit: 3, windowSeconds: 30 } } });
    for (let i = 0; i < 3; i++) {
      const r = await upgrade(server);
      expect(r.status).toBe(101);
      await closeAll([r]);
    }
    await until(() => server.qr.socketCount === 0, 'sockets to close');
    const refused = await upgrade(server);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(30);
    expect((await upgrade(server, { localAddress: '127.0.0.3' })).status).toBe(101);
    now += 31_000;
    const later = await upgrade(server);
    expect(later.status).toBe(101);
    await closeAll([later]);
  });
});

describe('rate limit: confirm attempts per session', () => {
  it('a few failed attempts are tolerated; past the limit even a valid confirm is refused with 429', async () => {
    const server = await start({ rateLimits: { decidePerSession: { limit: 3, windowSeconds: 300 } } });
    const phone = await newDevice(server);

    const tolerated = await createSession(server);
    const request = (await scan(server, phone, tolerated.sessionId)).body as LoginRequest;
    const bad = await decide(server, phone, request, 'confirm', { signature: FOREIGN_SIGNATURE });
    expect(bad.body.error.code).toBe('SIGNATURE_INVALID');
    expect((await decide(server, phone, request, 'confirm')).body.state).toBe('confirmed');

    const flooded = await createSession(server);
    const floodedRequest = (await scan(server, phone, flooded.sessionId)).body as LoginRequest;
    for (let i = 0; i < 3; i++) {
      const res = await decide(server, phone, floodedRequest, 'confirm', { signature: FOREIGN_SIGNATURE });
      expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    }
    expectRateLimited(await decide(server, phone, floodedRequest, 'confirm'), 300);
    expect((await server.qr.inspect(flooded.sessionId))?.state).toBe('scanned');
  });
});

describe('rate limit: confirm attempts per user', () => {
  it('counts across sessions and devices of one user; other users are unaffected', async () => {
    const server = await start({ rateLimits: { decidePerUser: { limit: 2, windowSeconds: 60 } } });
    const phone = await newDevice(server, 'alice');
    const tablet = await newDevice(server, 'alice');
    const bobPhone = await newDevice(server, 'bob');
    const requests: LoginRequest[] = [];
    for (const device of [phone, tablet, phone]) {
      const session = await createSession(server);
      requests.push((await scan(server, device, session.sessionId)).body as LoginRequest);
    }
    expect((await decide(server, phone, requests[0] as LoginRequest, 'confirm')).body.state).toBe('confirmed');
    expect((await decide(server, tablet, requests[1] as LoginRequest, 'reject')).body.state).toBe('rejected');
    expectRateLimited(await decide(server, phone, requests[2] as LoginRequest, 'confirm'), 60);
    expect((await server.qr.inspect((requests[2] as LoginRequest).sessionId))?.state).toBe('scanned');

    const bobs = await createSession(server);
    const bobRequest = (await scan(server, bobPhone, bobs.sessionId)).body as LoginRequest;
    expect((await decide(server, bobPhone, bobRequest, 'confirm')).body.state).toBe('confirmed');
  });
});

describe('rate limit: scan attempts per device', () => {
  it('refuses the device past its limit; another device of the same user still scans', async () => {
    const server = await start({ rateLimits: { scanPerDevice: { limit: 2, windowSeconds: 60 } } });
    const phone = await newDevice(server, 'alice');
    const tablet = await newDevice(server, 'alice');
    for (let i = 0; i < 2; i++) {
      const session = await createSession(server);
      expect((await scan(server, phone, session.sessionId)).status).toBe(200);
    }
    const third = await createSession(server);
    expectRateLimited(await scan(server, phone, third.sessionId), 60);
    expect((await server.qr.inspect(third.sessionId))?.state).toBe('pending');
    expect((await scan(server, tablet, third.sessionId)).status).toBe(200);
  });
});

describe('rate limit: scan attempts per device, counted only when signed by the device', () => {
  it('forged scans naming a device do not lock its owner out', async () => {
    const server = await start({ rateLimits: { scanPerDevice: { limit: 2, windowSeconds: 60 } } });
    const phone = await newDevice(server, 'alice');
    for (let i = 0; i < 5; i++) {
      const session = await createSession(server);
      const forged = await scan(server, phone, session.sessionId, { signature: FOREIGN_SIGNATURE });
      expect(forged.body.error.code).toBe('SIGNATURE_INVALID');
    }
    for (let i = 0; i < 2; i++) {
      const session = await createSession(server);
      expect((await scan(server, phone, session.sessionId)).status).toBe(200);
    }
  });
});

describe('rate limit: signed app requests per IP', () => {
  it('counts scans and decisions from one address; another address is unaffected', async () => {
    const server = await start({ trustProxy: 1, rateLimits: { appPerIp: { limit: 2, windowSeconds: 60 } } });
    const phone = await newDevice(server);
    const session = await createSession(server);
    const request = (await scan(server, phone, session.sessionId, { ip: '198.51.100.7' })).body as LoginRequest;
    expect(request.challenge).toBeTypeOf('string');
    expect((await scan(server, phone, session.sessionId, { ip: '198.51.100.7' })).status).toBe(200);
    expectRateLimited(await decide(server, phone, request, 'confirm', { ip: '198.51.100.7' }), 60);
    expect((await decide(server, phone, request, 'confirm', { ip: '198.51.100.8' })).body.state).toBe('confirmed');
  });
});

describe('rate limit: long-poll per IP', () => {
  it('refuses polls past the limit with 429 + Retry-After', async () => {
    const server = await start({ rateLimits: { poll: { limit: 2, windowSeconds: 60 } } });
    const session = await createSession(server);
    const url = `${server.base}/sessions/${session.sessionId}`;
    const auth = { authorization: `Bearer ${session.browserSecret}` };
    expect((await fetch(url, { headers: auth })).status).toBe(200);
    expect((await fetch(url, { headers: auth })).status).toBe(200);
    const res = await fetch(url, { headers: auth });
    expectRateLimited({ status: res.status, headers: res.headers, body: await res.json() }, 60);
  });
});

describe('rate limit: device registration per IP', () => {
  it('refuses registrations past the limit with 429 + Retry-After; another IP registers', async () => {
    const server = await start({
      trustProxy: 1,
      authenticate: (request) => (request.headers.get('authorization') === 'Bearer host' ? { userId: 'carol' } : null),
      rateLimits: { registerDevice: { limit: 2, windowSeconds: 60 } },
    });
    const register = (ip: string) => {
      const { publicKey, privateKey } = newKeyPair();
      const timestamp = Date.now();
      const signature = signWith(privateKey, {
        action: 'register',
        audience: server.origin,
        publicKey,
        userId: 'carol',
        timestamp,
      });
      return post(
        `${server.base}/devices`,
        { publicKey, label: 'phone', timestamp, signature },
        { authorization: 'Bearer host', ...xff(ip) },
      );
    };
    expect((await register('198.51.100.7')).status).toBe(201);
    expect((await register('198.51.100.7')).status).toBe(201);
    expectRateLimited(await register('198.51.100.7'), 60);
    expect((await register('198.51.100.9')).status).toBe(201);
  });
});

// ────────────────────────────────────── trusted proxies ──────────────────────────────────────

describe('X-Forwarded-For', () => {
  it('is used with trustProxy: 1 — the right-most entry is the client the proxy saw', async () => {
    const server = await start({ trustProxy: 1 });
    const session = await createSession(server, xff('203.0.113.66, 198.51.100.7'));
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId);
    expect(res.body.requester.ip).toBe('198.51.100.7');
  });

  it('with trustProxy: 2, skips one more proxy hop from the right', async () => {
    const server = await start({ trustProxy: 2 });
    const session = await createSession(server, xff('198.51.100.7, 10.0.0.5'));
    const phone = await newDevice(server);
    expect((await scan(server, phone, session.sessionId)).body.requester.ip).toBe('198.51.100.7');
  });

  it('a garbage entry from a trusted proxy falls back to the peer address', async () => {
    const server = await start({ trustProxy: 1 });
    const session = await createSession(server, xff('not-an-ip'));
    const phone = await newDevice(server);
    expect((await scan(server, phone, session.sessionId)).body.requester.ip).toBe('127.0.0.1');
  });

  it('is ignored without trustProxy: the peer address is the client, for context and for limits', async () => {
    const server = await start({ rateLimits: { createSession: { limit: 2, windowSeconds: 60 } } });
    const session = await createSession(server, xff('198.51.100.7'));
    const phone = await newDevice(server);
    const res = await scan(server, phone, session.sessionId, { ip: '192.0.2.44' });
    expect(res.body.requester.ip).toBe('127.0.0.1');
    expect(res.body.proximity.sameNetwork).toBe(true);
    // Rotating the header buys nothing.
    expect((await post(`${server.base}/sessions`, {}, xff('198.51.100.8'))).status).toBe(201);
    expectRateLimited(await post(`${server.base}/sessions`, {}, xff('198.51.100.9')), 60);
  });

  it('is ignored on the WebSocket upgrade without trustProxy: the per-IP socket cap still holds', async () => {
    const server = await start({ socket: { maxPerIp: 2 } });
    const results = [
      await upgrade(server, { headers: xff('198.51.100.1') }),
      await upgrade(server, { headers: xff('198.51.100.2') }),
      await upgrade(server, { headers: xff('198.51.100.3') }),
    ];
    expect(results.map((r) => r.status)).toEqual([101, 101, 429]);
    await closeAll(results);
  });
});

// ─────────────────────────────────────────── onLogin ───────────────────────────────────────────

describe('onLogin notification hook', () => {
  it('is called once per redeem with who, which device, and the requester context', async () => {
    const logins: unknown[] = [];
    const server = await start({
      trustProxy: 1,
      describeRequester: () => ({ place: 'Berlin, DE' }),
      onLogin: (login) => {
        logins.push(login);
      },
    });
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
    const session = await createSession(server, { ...xff('198.51.100.7'), 'user-agent': ua });
    const phone = await newDevice(server, 'alice');
    const request = (await scan(server, phone, session.sessionId, { ip: '198.51.100.9' })).body as LoginRequest;
    await decide(server, phone, request, 'confirm', { ip: '198.51.100.9' });
    expect(logins).toEqual([]);
    await server.qr.redeem(session);
    await until(() => logins.length === 1, 'onLogin');
    expect(logins[0]).toMatchObject({
      sessionId: session.sessionId,
      userId: 'alice',
      deviceId: phone.deviceId,
      requester: { ip: '198.51.100.7', browser: 'Chrome 131', os: 'Windows 10', place: 'Berlin, DE' },
    });
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    expect(logins).toHaveLength(1);
  });

  it('a throwing hook is reported as hook-error and does not undo the login', async () => {
    const server = await start({
      onLogin: () => {
        throw new Error('push service down');
      },
    });
    const errors: string[] = [];
    server.qr.events.on('hook-error', ({ hook }) => errors.push(hook));
    const session = await createSession(server);
    const phone = await newDevice(server);
    const request = (await scan(server, phone, session.sessionId)).body as LoginRequest;
    await decide(server, phone, request, 'confirm');
    expect((await server.qr.redeem(session)).userId).toBe('alice');
    await until(() => errors.length === 1, 'hook-error');
    expect(errors).toEqual(['onLogin']);
  });
});

// ───────────────────────────────────── many instances ─────────────────────────────────────

describe('rate limits across instances that share one store', () => {
  const others: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(others.splice(0).map((s) => s.close()));
  });

  it('a client cannot multiply its limit by spreading requests over instances', async () => {
    const store = memoryStore();
    const limits = {
      createSession: { limit: 3, windowSeconds: 60 },
      socketConnect: { limit: 2, windowSeconds: 60 },
    };
    const a = await start({ store, rateLimits: limits });
    const b = await startServer({ store, rateLimits: limits });
    others.push(b);
    expect((await post(`${a.base}/sessions`, {})).status).toBe(201);
    expect((await post(`${b.base}/sessions`, {})).status).toBe(201);
    expect((await post(`${a.base}/sessions`, {})).status).toBe(201);
    expectRateLimited(await post(`${b.base}/sessions`, {}), 60);

    const first = await upgrade(a);
    const second = await upgrade(b);
    const third = await upgrade(a);
    expect([first.status, second.status, third.status]).toEqual([101, 101, 429]);
    await closeAll([first, second, third]);
    await store.close?.();
  });
});
