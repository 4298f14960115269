/**
 * The audit trail on `qr.events`: the exact events and payloads of a full login, a rejected login
 * and every refusal the policy and adversarial tests provoke — and, over every event of every test,
 * no browser secret, secret hash, signature or challenge.
 *
 * The server's clock is fixed (`now`), so every `at` is asserted exactly; devices sign with the
 * same clock.
 */
import { createHash } from 'node:crypto';
import type { CreateSessionResponse, LoginRequest } from '@qrlogin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contextDigestOf } from '../src/context-digest.js';
import type { QrLoginEvents, QrLoginOptions } from '../src/index.js';
import {
  createSession,
  newDevice,
  newKeyPair,
  post,
  signWith,
  startServer,
  subscribe,
  type TestDevice,
  type TestServer,
  until,
} from './helpers.js';

/** Every event name; a `Record` over the event map so a new event fails the type check until listed here. */
const EVENT_NAMES: Record<keyof QrLoginEvents, true> = {
  created: true,
  scanned: true,
  confirmed: true,
  rejected: true,
  cancelled: true,
  expired: true,
  redeemed: true,
  'scan-conflict': true,
  'signature-invalid': true,
  'rate-limited': true,
  refused: true,
  'device-registered': true,
  'device-renamed': true,
  'device-revoked': true,
  'hook-error': true,
  misconfigured: true,
  'internal-error': true,
  'context-mismatch': true,
  prompted: true,
  'link-claimed': true,
  'login-recorded': true,
  'login-ended': true,
  reported: true,
};

type Logged = { [K in keyof QrLoginEvents]: [K, QrLoginEvents[K][0]] }[keyof QrLoginEvents];

const T0 = Date.UTC(2026, 0, 15, 9, 30);
const LOCAL = '127.0.0.1';
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

interface Harness {
  t: TestServer;
  log: Logged[];
  /** Values that must never appear in an event: browser secrets, their hashes, challenges, signatures. */
  secrets: Set<string>;
  now: { value: number };
  names(): string[];
  take(): Logged[];
}

let h: Harness | undefined;
afterEach(async () => {
  if (h) expectNoSecrets(h);
  await h?.t.close();
  h = undefined;
});

async function harness(options: Partial<QrLoginOptions> = {}): Promise<Harness> {
  const now = { value: T0 };
  const t = await startServer({ now: () => now.value, ...options });
  const log: Logged[] = [];
  for (const name of Object.keys(EVENT_NAMES) as (keyof QrLoginEvents)[]) {
    t.qr.events.on(name, (payload: QrLoginEvents[typeof name][0]) => log.push([name, payload] as Logged));
  }
  h = {
    t,
    log,
    secrets: new Set(),
    now,
    names: () => log.map(([name]) => name),
    take: () => log.splice(0, log.length),
  };
  return h;
}

const FORBIDDEN_KEYS = /^(browserSecret|secret|secretHash|signature|challenge|privateKey)$/i;

function expectNoSecrets({ log, secrets }: Harness): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      for (const secret of secrets) expect(value, `${path} carries a secret`).not.toContain(secret);
    } else if (value && typeof value === 'object' && !(value instanceof Error)) {
      for (const [key, inner] of Object.entries(value)) {
        expect(key, `${path}.${key}`).not.toMatch(FORBIDDEN_KEYS);
        walk(inner, `${path}.${key}`);
      }
    }
  };
  for (const [name, payload] of log) walk(payload, name);
  // Also what a JSON logger would write.
  const text = JSON.stringify(log);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function remember(harness: Harness, session: CreateSessionResponse): CreateSessionResponse {
  harness.secrets.add(session.browserSecret);
  harness.secrets.add(createHash('sha256').update(session.browserSecret).digest('hex'));
  return session;
}

/** A signed call at the server's (fixed) time; the signature and challenge are remembered as secrets. */
async function call(
  harness: Harness,
  device: TestDevice,
  action: 'scan' | 'confirm' | 'reject',
  sessionId: string,
  extra: {
    challenge?: string;
    contextDigest?: string;
    code?: string;
    signature?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const timestamp = harness.now.value;
  const signature =
    extra.signature ??
    device.sign({
      action,
      sessionId,
      deviceId: device.deviceId,
      timestamp,
      ...(extra.challenge !== undefined ? { challenge: extra.challenge } : {}),
      ...(extra.contextDigest !== undefined ? { contextDigest: extra.contextDigest } : {}),
      ...(extra.code !== undefined ? { code: extra.code } : {}),
    });
  harness.secrets.add(signature);
  const body = {
    deviceId: device.deviceId,
    timestamp,
    signature,
    ...(extra.contextDigest !== undefined ? { contextDigest: extra.contextDigest } : {}),
    ...(extra.code !== undefined ? { code: extra.code } : {}),
  };
  const res = await post(`${harness.t.base}/sessions/${sessionId}/${action}`, body, extra.headers ?? {});
  if (action === 'scan' && res.status === 200) harness.secrets.add((res.body as LoginRequest).challenge);
  return res;
}

const scan = (harness: Harness, device: TestDevice, sessionId: string, headers?: Record<string, string>) =>
  call(harness, device, 'scan', sessionId, headers ? { headers } : {});
const decide = (
  harness: Harness,
  device: TestDevice,
  request: LoginRequest,
  action: 'confirm' | 'reject',
  extra: { code?: string; signature?: string } = {},
) =>
  call(harness, device, action, request.sessionId, {
    challenge: request.challenge,
    ...(action === 'confirm' ? { contextDigest: contextDigestOf(request) } : {}),
    ...extra,
  });

function tryUpgrade(t: TestServer, origin: string | undefined): Promise<{ status: number; ws?: WebSocket }> {
  const ws = new WebSocket(`${t.base.replace(/^http/, 'ws')}/ws`, origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    ws.once('error', reject);
  });
}

// ──────────────────────────────────────────── logins ────────────────────────────────────────────

describe('a full login', () => {
  it('emits device-registered, created, scanned, confirmed, redeemed — exactly, with these payloads', async () => {
    const x = await harness({ authenticate: () => ({ userId: 'alice' }) });
    const { publicKey, privateKey } = newKeyPair();
    const registration = signWith(privateKey, {
      action: 'register',
      audience: x.t.origin,
      publicKey,
      userId: 'alice',
      timestamp: T0,
    });
    x.secrets.add(registration);
    const registered = await post(`${x.t.base}/devices`, {
      publicKey,
      label: 'Alice phone',
      timestamp: T0,
      signature: registration,
    });
    expect(registered.status).toBe(201);
    const deviceId = registered.body.deviceId as string;
    const phone: TestDevice = {
      deviceId,
      userId: 'alice',
      publicKey,
      privateKey,
      sign: (fields) => signWith(privateKey, { ...fields, audience: x.t.origin } as Parameters<typeof signWith>[1]),
      scan: () => Promise.reject(new Error('unused')),
      confirmBody: () => {
        throw new Error('unused');
      },
      confirm: () => Promise.reject(new Error('unused')),
      reject: () => Promise.reject(new Error('unused')),
      endLogin: () => Promise.reject(new Error('unused')),
    };

    x.now.value = T0 + 1000;
    const session = remember(x, await createSession(x.t, { 'user-agent': UA, origin: x.t.origin }));
    const socket = await subscribe(x.t, session);
    x.now.value = T0 + 2000;
    const request = (await scan(x, phone, session.sessionId)).body as LoginRequest;
    x.now.value = T0 + 3000;
    expect((await decide(x, phone, request, 'confirm')).status).toBe(200);
    x.now.value = T0 + 4000;
    const { loginId } = await x.t.qr.redeem(session);
    await socket.closed;

    const requester = {
      ip: LOCAL,
      userAgent: UA,
      browser: 'Safari 17',
      os: 'macOS Catalina',
      origin: x.t.origin,
      createdAt: T0 + 1000,
    };
    expect(x.log).toEqual([
      ['device-registered', { deviceId, userId: 'alice', label: 'Alice phone', ip: LOCAL, at: T0 }],
      ['created', { sessionId: session.sessionId, ip: LOCAL, userAgent: UA, origin: x.t.origin, at: T0 + 1000 }],
      [
        'scanned',
        {
          sessionId: session.sessionId,
          deviceId,
          userId: 'alice',
          sameNetwork: true,
          distance: 'near',
          ip: LOCAL,
          at: T0 + 2000,
        },
      ],
      ['confirmed', { sessionId: session.sessionId, deviceId, userId: 'alice', ip: LOCAL, at: T0 + 3000 }],
      ['login-recorded', { loginId, sessionId: session.sessionId, userId: 'alice', deviceId, at: T0 + 4000 }],
      [
        'redeemed',
        {
          sessionId: session.sessionId,
          userId: 'alice',
          deviceId,
          requester,
          redeemedAt: T0 + 4000,
          loginId,
          ip: LOCAL,
          at: T0 + 4000,
        },
      ],
    ]);
  });
});

describe('a rejected login', () => {
  it('emits created, scanned, rejected (reason user); a later redeem adds no success event', async () => {
    const x = await harness();
    const phone = await newDevice(x.t, 'alice');
    x.take();
    const session = remember(x, await createSession(x.t));
    const request = (await scan(x, phone, session.sessionId)).body as LoginRequest;
    await decide(x, phone, request, 'reject');
    await expect(x.t.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(x.names()).toEqual(['created', 'scanned', 'rejected']);
    expect(x.log[2]).toEqual([
      'rejected',
      { sessionId: session.sessionId, deviceId: phone.deviceId, userId: 'alice', reason: 'user', ip: LOCAL, at: T0 },
    ]);
  });

  it('a browser cancel emits cancelled; an expiry emits expired', async () => {
    const x = await harness({ sessionTtlSeconds: 30 });
    const cancelled = remember(x, await createSession(x.t));
    const res = await fetch(`${x.t.base}/sessions/${cancelled.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${cancelled.browserSecret}` },
    });
    expect(res.status).toBe(200);
    expect(x.take()).toEqual([
      ['created', { sessionId: cancelled.sessionId, ip: LOCAL, userAgent: 'node', origin: '', at: T0 }],
      ['cancelled', { sessionId: cancelled.sessionId, ip: LOCAL, at: T0 }],
    ]);
    const expiring = remember(x, await createSession(x.t));
    const socket = await subscribe(x.t, expiring);
    x.take();
    x.now.value = T0 + 31_000;
    await socket.waitFor('expired');
    expect(x.log).toEqual([['expired', { sessionId: expiring.sessionId, at: T0 + 31_000 }]]);
  });
});

// ─────────────────────────────────────────── refusals ───────────────────────────────────────────

describe('refusals', () => {
  it('a lookalike Origin on the upgrade and on session creation: refused FORBIDDEN_ORIGIN', async () => {
    const x = await harness();
    expect((await tryUpgrade(x.t, 'https://example.com.evil.com')).status).toBe(403);
    expect((await tryUpgrade(x.t, undefined)).status).toBe(403);
    expect((await post(`${x.t.base}/sessions`, {}, { origin: 'null' })).status).toBe(403);
    expect((await post(`${x.t.base}/sessions`, {}, { origin: 'null' })).status).toBe(403);
    const misconfigured = {
      problem: 'forbidden-origin',
      option: 'allowedOrigins',
      message: expect.stringContaining('add it to the "allowedOrigins" option'),
      at: T0,
    };
    expect(x.log).toEqual([
      ['refused', { action: 'ws upgrade', code: 'FORBIDDEN_ORIGIN', ip: LOCAL, at: T0 }],
      ['refused', { action: 'ws upgrade', code: 'FORBIDDEN_ORIGIN', ip: LOCAL, at: T0 }],
      // Said once per page origin, not per request.
      ['misconfigured', misconfigured],
      ['refused', { action: 'POST sessions', code: 'FORBIDDEN_ORIGIN', ip: LOCAL, at: T0 }],
      ['refused', { action: 'POST sessions', code: 'FORBIDDEN_ORIGIN', ip: LOCAL, at: T0 }],
    ]);
  });

  it('session creation past its limit: rate-limited (rule, key) then refused RATE_LIMITED', async () => {
    const x = await harness({ trustProxy: 1, rateLimits: { createSession: { limit: 1, windowSeconds: 60 } } });
    remember(x, await createSession(x.t, { 'x-forwarded-for': '2001:db8:7:7::1' }));
    x.take();
    expect((await post(`${x.t.base}/sessions`, {}, { 'x-forwarded-for': '2001:db8:7:7::2' })).status).toBe(429);
    expect(x.log).toEqual([
      ['rate-limited', { rule: 'createSession', key: '2001:db8:7:7::/64', ip: '2001:db8:7:7::2', at: T0 }],
      ['refused', { action: 'POST sessions', code: 'RATE_LIMITED', ip: '2001:db8:7:7::2', at: T0 }],
    ]);
  });

  it('WebSocket connects past the rate and past the socket cap', async () => {
    const x = await harness({
      rateLimits: { socketConnect: { limit: 2, windowSeconds: 60 } },
      socket: { maxPerIp: 1 },
    });
    const first = await tryUpgrade(x.t, x.t.origin);
    expect((await tryUpgrade(x.t, x.t.origin)).status).toBe(429); // the cap
    first.ws?.terminate();
    await until(() => x.t.qr.socketCount === 0, 'the socket to close');
    const second = await tryUpgrade(x.t, x.t.origin);
    second.ws?.terminate();
    await until(() => x.t.qr.socketCount === 0, 'the socket to close');
    expect((await tryUpgrade(x.t, x.t.origin)).status).toBe(429); // the rate
    expect(x.log).toEqual([
      ['refused', { action: 'ws upgrade', code: 'RATE_LIMITED', ip: LOCAL, at: T0 }],
      ['rate-limited', { rule: 'socketConnect', key: `${LOCAL}/32`, ip: LOCAL, at: T0 }],
      ['refused', { action: 'ws upgrade', code: 'RATE_LIMITED', ip: LOCAL, at: T0 }],
    ]);
  });

  it('scans per device, confirms per user, registrations per IP: each rule under its own key', async () => {
    const x = await harness({
      authenticate: () => ({ userId: 'erin' }),
      rateLimits: {
        scanPerDevice: { limit: 2, windowSeconds: 60 },
        decidePerUser: { limit: 1, windowSeconds: 60 },
        registerDevice: { limit: 1, windowSeconds: 60 },
      },
    });
    const phone = await newDevice(x.t, 'alice');
    const a = remember(x, await createSession(x.t));
    const b = remember(x, await createSession(x.t));
    const c = remember(x, await createSession(x.t));
    const ra = (await scan(x, phone, a.sessionId)).body as LoginRequest;
    const rb = (await scan(x, phone, b.sessionId)).body as LoginRequest;
    x.take();

    expect((await scan(x, phone, c.sessionId)).status).toBe(429);
    expect((await decide(x, phone, ra, 'confirm')).status).toBe(200);
    expect((await decide(x, phone, rb, 'confirm')).status).toBe(429);
    const registrations = [newKeyPair(), newKeyPair()].map(({ publicKey, privateKey }) => {
      const signature = signWith(privateKey, {
        action: 'register',
        audience: x.t.origin,
        publicKey,
        userId: 'erin',
        timestamp: T0,
      });
      x.secrets.add(signature);
      return { publicKey, label: 'p', timestamp: T0, signature };
    });
    const registered = await post(`${x.t.base}/devices`, registrations[0]);
    expect(registered.status).toBe(201);
    expect((await post(`${x.t.base}/devices`, registrations[1])).status).toBe(429);

    expect(x.log).toEqual([
      ['rate-limited', { rule: 'scanPerDevice', key: phone.deviceId, ip: LOCAL, at: T0 }],
      ['refused', { action: 'POST sessions/scan', code: 'RATE_LIMITED', ip: LOCAL, at: T0, sessionId: c.sessionId }],
      ['confirmed', { sessionId: a.sessionId, deviceId: phone.deviceId, userId: 'alice', ip: LOCAL, at: T0 }],
      ['rate-limited', { rule: 'decidePerUser', key: 'alice', ip: LOCAL, at: T0 }],
      ['refused', { action: 'POST sessions/confirm', code: 'RATE_LIMITED', ip: LOCAL, at: T0, sessionId: b.sessionId }],
      ['device-registered', { deviceId: registered.body.deviceId, userId: 'erin', label: 'p', ip: LOCAL, at: T0 }],
      ['rate-limited', { rule: 'registerDevice', key: `${LOCAL}/32`, ip: LOCAL, at: T0 }],
      ['refused', { action: 'POST devices', code: 'RATE_LIMITED', ip: LOCAL, at: T0 }],
    ]);
  });

  it('confirm attempts per session: rate-limited keyed by the session', async () => {
    const x = await harness({ rateLimits: { decidePerSession: { limit: 1, windowSeconds: 60 } } });
    const phone = await newDevice(x.t, 'alice');
    const session = remember(x, await createSession(x.t));
    const request = (await scan(x, phone, session.sessionId)).body as LoginRequest;
    const forged = signWith(newKeyPair().privateKey, {
      action: 'confirm',
      audience: x.t.origin,
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      contextDigest: contextDigestOf(request),
      timestamp: T0,
    });
    x.take();
    expect((await decide(x, phone, request, 'confirm', { signature: forged })).status).toBe(401);
    expect((await decide(x, phone, request, 'confirm')).status).toBe(429);
    expect(x.log).toEqual([
      [
        'signature-invalid',
        { sessionId: session.sessionId, deviceId: phone.deviceId, action: 'confirm', ip: LOCAL, at: T0 },
      ],
      [
        'refused',
        { action: 'POST sessions/confirm', code: 'SIGNATURE_INVALID', ip: LOCAL, at: T0, sessionId: session.sessionId },
      ],
      ['rate-limited', { rule: 'decidePerSession', key: session.sessionId, ip: LOCAL, at: T0 }],
      [
        'refused',
        { action: 'POST sessions/confirm', code: 'RATE_LIMITED', ip: LOCAL, at: T0, sessionId: session.sessionId },
      ],
    ]);
  });

  it('a second scanner (refuse): scan-conflict names both devices, then refused ALREADY_SCANNED', async () => {
    const x = await harness({ scanConflict: 'refuse' });
    const owner = await newDevice(x.t, 'alice');
    const intruder = await newDevice(x.t, 'mallory');
    const session = remember(x, await createSession(x.t));
    await scan(x, owner, session.sessionId);
    x.take();
    expect((await scan(x, intruder, session.sessionId)).status).toBe(409);
    expect(x.log).toEqual([
      [
        'scan-conflict',
        {
          sessionId: session.sessionId,
          deviceId: intruder.deviceId,
          userId: 'mallory',
          lockedBy: owner.deviceId,
          ip: LOCAL,
          at: T0,
        },
      ],
      [
        'refused',
        { action: 'POST sessions/scan', code: 'ALREADY_SCANNED', ip: LOCAL, at: T0, sessionId: session.sessionId },
      ],
    ]);
  });

  it('a second scanner (cancel): the cancellation is itself an audit event', async () => {
    const x = await harness({ scanConflict: 'cancel' });
    const owner = await newDevice(x.t, 'alice');
    const intruder = await newDevice(x.t, 'mallory');
    const session = remember(x, await createSession(x.t));
    await scan(x, owner, session.sessionId);
    x.take();
    expect((await scan(x, intruder, session.sessionId)).status).toBe(409);
    expect((await x.t.qr.inspect(session.sessionId))?.state).toBe('cancelled');
    expect(x.names()).toEqual(['scan-conflict', 'cancelled', 'refused']);
    expect(x.log[1]).toEqual(['cancelled', { sessionId: session.sessionId, ip: LOCAL, at: T0 }]);
  });

  it('a proximity denial: rejected (reason proximity) then refused PROXIMITY_DENIED', async () => {
    const x = await harness({ proximity: 'deny', trustProxy: 1 });
    const phone = await newDevice(x.t, 'alice');
    const session = remember(x, await createSession(x.t, { 'x-forwarded-for': '198.51.100.7' }));
    x.take();
    expect((await scan(x, phone, session.sessionId, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    expect(x.log).toEqual([
      [
        'rejected',
        {
          sessionId: session.sessionId,
          deviceId: phone.deviceId,
          userId: 'alice',
          reason: 'proximity',
          ip: '203.0.113.9',
          at: T0,
        },
      ],
      [
        'refused',
        {
          action: 'POST sessions/scan',
          code: 'PROXIMITY_DENIED',
          ip: '203.0.113.9',
          at: T0,
          sessionId: session.sessionId,
        },
      ],
    ]);
  });

  it('a wrong number-matching code: rejected (reason code-mismatch) then refused CODE_MISMATCH', async () => {
    const x = await harness({ numberMatching: true });
    const phone = await newDevice(x.t, 'alice');
    const session = remember(x, await createSession(x.t));
    const socket = await subscribe(x.t, session);
    const request = (await scan(x, phone, session.sessionId)).body as LoginRequest;
    const code = ((await socket.waitFor('scanned')) as { code: string }).code;
    x.take();
    expect((await decide(x, phone, request, 'confirm', { code: code === '00' ? '01' : '00' })).status).toBe(403);
    expect(x.log).toEqual([
      [
        'rejected',
        {
          sessionId: session.sessionId,
          deviceId: phone.deviceId,
          userId: 'alice',
          reason: 'code-mismatch',
          ip: LOCAL,
          at: T0,
        },
      ],
      [
        'refused',
        { action: 'POST sessions/confirm', code: 'CODE_MISMATCH', ip: LOCAL, at: T0, sessionId: session.sessionId },
      ],
    ]);
  });

  it('a confirm after expiry: the late call writes and audits the expiry, then refused SESSION_EXPIRED', async () => {
    const x = await harness({ sessionTtlSeconds: 30 });
    const phone = await newDevice(x.t, 'alice');
    const session = remember(x, await createSession(x.t));
    const request = (await scan(x, phone, session.sessionId)).body as LoginRequest;
    x.take();
    x.now.value = T0 + 31_000;
    expect((await decide(x, phone, request, 'confirm')).status).toBe(410);
    expect(x.log).toEqual([
      ['expired', { sessionId: session.sessionId, at: T0 + 31_000 }],
      [
        'refused',
        {
          action: 'POST sessions/confirm',
          code: 'SESSION_EXPIRED',
          ip: LOCAL,
          at: T0 + 31_000,
          sessionId: session.sessionId,
        },
      ],
    ]);
  });

  it('a spoofed X-Forwarded-For without trusted proxies is logged as the real peer', async () => {
    const x = await harness();
    remember(x, await createSession(x.t, { 'x-forwarded-for': '198.51.100.7' }));
    expect(x.log).toEqual([['created', expect.objectContaining({ ip: LOCAL })]]);
  });

  it('a silent socket: refused AUTH_TIMEOUT; a garbage frame and a frame after auth: refused INVALID_REQUEST', async () => {
    const x = await harness({ socket: { authTimeoutSeconds: 1 } });
    const url = `${x.t.base.replace(/^http/, 'ws')}/ws`;
    const silent = new WebSocket(url, { origin: x.t.origin });
    const silentClosed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    x.now.value = T0 + 1500; // the deadline passes on the server's clock; the next sweep closes it
    expect(await silentClosed).toBe(4408);

    const garbage = new WebSocket(url, { origin: x.t.origin });
    await new Promise((resolve) => garbage.once('open', resolve));
    garbage.send('{"type":"hello"}');
    await new Promise((resolve) => garbage.once('close', resolve));

    const session = remember(x, await createSession(x.t));
    const socket = await subscribe(x.t, session);
    socket.ws.send('again');
    await socket.closed;

    const refused = x.log.filter(([name]) => name === 'refused').map(([, p]) => p);
    expect(refused).toEqual([
      { action: 'ws auth', code: 'AUTH_TIMEOUT', ip: LOCAL, at: T0 + 1500 },
      { action: 'ws auth', code: 'INVALID_REQUEST', ip: LOCAL, at: T0 + 1500 },
      { action: 'ws frame', code: 'INVALID_REQUEST', ip: LOCAL, at: T0 + 1500 },
    ]);
  });

  it('an oversized frame is refused as PAYLOAD_TOO_LARGE on the audit trail, not only closed 1009', async () => {
    const x = await harness({ socket: { maxPayloadBytes: 1024 } });
    const ws = new WebSocket(`${x.t.base.replace(/^http/, 'ws')}/ws`, { origin: x.t.origin });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(4096));
    expect(await closed).toBe(1009);
    await until(() => x.t.qr.socketCount === 0, 'the socket to be dropped');
    expect(x.log).toEqual([['refused', { action: 'ws frame', code: 'PAYLOAD_TOO_LARGE', ip: LOCAL, at: T0 }]]);
  });

  it('device revocation by the host and by the device itself', async () => {
    const x = await harness();
    const byHost = await newDevice(x.t, 'alice');
    const byDevice = await newDevice(x.t, 'alice');
    x.take();
    expect(await x.t.qr.revokeDevice(byHost.deviceId)).toBe(true);
    const signature = byDevice.sign({ action: 'revoke', deviceId: byDevice.deviceId, timestamp: T0 });
    x.secrets.add(signature);
    const res = await post(`${x.t.base}/devices/${byDevice.deviceId}/revoke`, { timestamp: T0, signature });
    expect(res.status).toBe(204);
    expect(x.log).toEqual([
      ['device-revoked', { deviceId: byHost.deviceId, userId: 'alice', by: 'host', at: T0 }],
      ['device-revoked', { deviceId: byDevice.deviceId, userId: 'alice', by: 'device', at: T0 }],
    ]);
  });
});
