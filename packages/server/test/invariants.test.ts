/**
 * One test per invariant of the secrets model (DESIGN.md §2). Each would fail if the invariant
 * broke; each also checks that the refused request changed nothing.
 */
import { createHash } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url, type LoginRequest, type SignedFields } from '@qrlogin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextDigestOf } from '../src/context-digest.js';
import { memoryStore } from '../src/index.js';
import {
  createSession,
  malleate,
  newDevice,
  newKeyPair,
  openSocket,
  post,
  signWith,
  startServer,
  subscribe,
  type TestDevice,
  type TestServer,
} from './helpers.js';

let t: TestServer;
const store = memoryStore();
beforeEach(async () => {
  t = await startServer({ store });
});
afterEach(() => t.close());

async function scanned(device?: TestDevice) {
  const session = await createSession(t);
  const phone = device ?? (await newDevice(t));
  const request = (await phone.scan(session.sessionId)).body as LoginRequest;
  return { session, phone, request };
}

async function stateOf(sessionId: string) {
  return (await t.qr.inspect(sessionId))?.state;
}

describe('1. the QR alone is useless', () => {
  it('the session id cannot subscribe, poll, cancel or redeem', async () => {
    const session = await createSession(t);
    const socket = await openSocket(t);
    socket.ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: '' }));
    expect((await socket.closed).code).toBe(4401);
    const poll = await fetch(`${t.base}/sessions/${session.sessionId}`);
    expect(poll.status).toBe(401);
    const cancel = await fetch(`${t.base}/sessions/${session.sessionId}`, { method: 'DELETE' });
    expect(cancel.status).toBe(401);
    await expect(t.qr.redeem({ sessionId: session.sessionId, browserSecret: '' })).rejects.toMatchObject({
      code: 'INVALID_SECRET',
    });
    expect(await stateOf(session.sessionId)).toBe('pending');
  });

  it('the server makes every id: a client-chosen one is refused', async () => {
    const chosen = 'AAAAAAAAAAAAAAAAAAAAAA';
    const res = await post(`${t.base}/sessions`, { sessionId: chosen });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(await t.qr.inspect(chosen)).toBeNull();
    const session = await createSession(t);
    expect(session.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('2. the browser secret', () => {
  it('is stored only as its SHA-256 hash', async () => {
    const session = await createSession(t);
    const record = await store.get(session.sessionId);
    expect(JSON.stringify(record)).not.toContain(session.browserSecret);
    expect(record?.secretHash).toBe(createHash('sha256').update(session.browserSecret).digest('hex'));
  });

  it.each([
    ['right length, wrong value', (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`],
    ['wrong length', (s: string) => s.slice(0, 20)],
    ['another session’s secret', () => ''],
  ])('a wrong secret (%s) is refused everywhere', async (_, mutate) => {
    const session = await createSession(t);
    const other = await createSession(t);
    const secret = mutate(session.browserSecret) || other.browserSecret;
    const socket = await openSocket(t);
    socket.ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: secret }));
    expect((await socket.closed).code).toBe(4401);
    const poll = await fetch(`${t.base}/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(poll.status).toBe(401);
    await expect(t.qr.redeem({ sessionId: session.sessionId, browserSecret: secret })).rejects.toMatchObject({
      code: 'INVALID_SECRET',
    });
  });
});

describe('3. only a registered device scans, and the first one locks the session', () => {
  it('a second scanner is refused and reported', async () => {
    const conflicts: unknown[] = [];
    t.qr.events.on('scan-conflict', (e) => conflicts.push(e));
    const { session, phone } = await scanned();
    const intruder = await newDevice(t, 'mallory');
    const res = await intruder.scan(session.sessionId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ALREADY_SCANNED');
    expect(conflicts).toEqual([
      expect.objectContaining({ sessionId: session.sessionId, deviceId: intruder.deviceId, lockedBy: phone.deviceId }),
    ]);
    expect(await t.qr.inspect(session.sessionId)).toMatchObject({ state: 'scanned', deviceId: phone.deviceId });
  });

  it('an unregistered key cannot scan', async () => {
    const session = await createSession(t);
    const { privateKey } = newKeyPair();
    const deviceId = 'AAAAAAAAAAAAAAAAAAAAAA';
    const timestamp = Date.now();
    const signature = signWith(privateKey, {
      action: 'scan',
      audience: t.origin,
      sessionId: session.sessionId,
      deviceId,
      timestamp,
    });
    const res = await post(`${t.base}/sessions/${session.sessionId}/scan`, { deviceId, timestamp, signature });
    expect(res.body.error.code).toBe('DEVICE_NOT_FOUND');
    expect(await stateOf(session.sessionId)).toBe('pending');
  });
});

describe('4. the approval signature binds every field', () => {
  const changes: [string, Partial<SignedFields>][] = [
    ['action', { action: 'reject', contextDigest: undefined }],
    ['contextDigest', { contextDigest: 'fL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE' }],
    ['audience', { audience: 'https://evil.example' }],
    ['sessionId', { sessionId: 'BBBBBBBBBBBBBBBBBBBBBB' }],
    ['challenge', { challenge: 'C'.repeat(43) }],
    ['deviceId', { deviceId: 'DDDDDDDDDDDDDDDDDDDDDD' }],
    ['timestamp', { timestamp: 1 }],
  ];

  it.each(changes)('a confirm signed over a changed %s is refused and changes nothing', async (_, change) => {
    const { session, phone, request } = await scanned();
    const timestamp = Date.now();
    const fields = {
      action: 'confirm' as const,
      audience: t.origin,
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      contextDigest: contextDigestOf(request),
      timestamp,
      ...change,
    };
    const signature = signWith(phone.privateKey, fields as SignedFields);
    const res = await post(`${t.base}/sessions/${session.sessionId}/confirm`, {
      deviceId: phone.deviceId,
      timestamp,
      contextDigest: contextDigestOf(request),
      signature,
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(await stateOf(session.sessionId)).toBe('scanned');
  });

  it('a signature over another number-matching code is refused', async () => {
    await t.close();
    t = await startServer({ store, numberMatching: true });
    const { session, phone, request } = await scanned();
    const timestamp = Date.now();
    const signature = signWith(phone.privateKey, {
      action: 'confirm',
      audience: t.origin,
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      contextDigest: contextDigestOf(request),
      timestamp,
      code: '00',
    });
    const res = await post(`${t.base}/sessions/${session.sessionId}/confirm`, {
      deviceId: phone.deviceId,
      timestamp,
      contextDigest: contextDigestOf(request),
      signature,
      code: '01',
    });
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(await stateOf(session.sessionId)).toBe('scanned');
  });

  it('a replayed confirm body is refused (the challenge is single-use)', async () => {
    const { session, phone, request } = await scanned();
    const body = phone.confirmBody(request);
    expect((await post(`${t.base}/sessions/${session.sessionId}/confirm`, body)).status).toBe(200);
    const replay = await post(`${t.base}/sessions/${session.sessionId}/confirm`, body);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('INVALID_STATE');
    await t.qr.redeem(session);
    const late = await post(`${t.base}/sessions/${session.sessionId}/confirm`, body);
    expect(late.body.error.code).toBe('INVALID_STATE');
    expect(await stateOf(session.sessionId)).toBe('redeemed');
  });

  it('a malleated signature (S + L) is refused by the strict verifier', async () => {
    const { session, phone, request } = await scanned();
    const { timestamp, contextDigest, signature: good } = phone.confirmBody(request);
    const bytes = malleate(decodeBase64Url(good) as Uint8Array);
    const res = await post(`${t.base}/sessions/${session.sessionId}/confirm`, {
      deviceId: phone.deviceId,
      timestamp,
      contextDigest,
      signature: encodeBase64Url(bytes),
    });
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(await stateOf(session.sessionId)).toBe('scanned');
  });

  it.each([
    ['the identity (order 1)', `01${'00'.repeat(31)}`],
    ['order 2 (0, -1)', `ec${'ff'.repeat(30)}7f`],
    ['order 4 (y = 0)', '00'.repeat(32)],
    ['order 4 (y = 0, sign bit)', `${'00'.repeat(31)}80`],
    ['order 8', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    ['not on the curve', `02${'00'.repeat(31)}`],
    ['non-canonical y ≥ p', `ed${'ff'.repeat(30)}7f`],
  ])('a small-order or invalid public key is refused at registration: %s', async (_, hex) => {
    const publicKey = encodeBase64Url(Buffer.from(hex, 'hex'));
    await expect(t.qr.registerDevice({ userId: 'alice', publicKey, label: 'x' })).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
  });

  it('a device timestamp outside the skew window is refused', async () => {
    const { session, phone, request } = await scanned();
    // Twice the ±60 s window, so a slow request cannot carry the timestamp back inside it.
    for (const skew of [-120_000, 120_000]) {
      const body = phone.confirmBody(request, { timestamp: Date.now() + skew });
      const res = await post(`${t.base}/sessions/${session.sessionId}/confirm`, body);
      expect(res.body.error.code).toBe('TIMESTAMP_SKEW');
    }
    expect(await stateOf(session.sessionId)).toBe('scanned');
  });
});

describe('5. the device must belong to the approving user and be active', () => {
  it('a device of another user cannot confirm', async () => {
    const { session, request } = await scanned(await newDevice(t, 'alice'));
    const bob = await newDevice(t, 'bob');
    const res = await bob.confirm(request);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('DEVICE_FORBIDDEN');
    expect(await stateOf(session.sessionId)).toBe('scanned');
  });

  it('a revoked device can do nothing', async () => {
    const { session, phone, request } = await scanned();
    expect(await t.qr.revokeDevice(phone.deviceId)).toBe(true);
    expect((await phone.confirm(request)).body.error.code).toBe('DEVICE_REVOKED');
    expect((await phone.reject(request)).body.error.code).toBe('DEVICE_REVOKED');
    const fresh = await createSession(t);
    expect((await phone.scan(fresh.sessionId)).body.error.code).toBe('DEVICE_REVOKED');
    expect(await stateOf(session.sessionId)).toBe('scanned');
    expect(await stateOf(fresh.sessionId)).toBe('pending');
  });
});

describe('6. redemption happens once', () => {
  it('redeem before confirm is refused; redeem twice is refused', async () => {
    const { session, phone, request } = await scanned();
    await expect(t.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await phone.confirm(request);
    await expect(t.qr.redeem(session)).resolves.toMatchObject({ userId: 'alice' });
    await expect(t.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
  });
});

describe('cross-site WebSocket hijacking', () => {
  it.each([
    ['a foreign Origin', 'https://evil.example'],
    ['a lookalike Origin', 'http://127.0.0.1.evil.example'],
    ['a missing Origin', null],
  ])('%s is refused with 403 before the upgrade', async (_, origin) => {
    await expect(openSocket(t, origin)).rejects.toMatchObject({ status: 403 });
  });

  it('the allowed Origin upgrades', async () => {
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    expect(socket.frames).toHaveLength(1);
    socket.ws.close();
  });
});
