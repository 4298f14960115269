import type { LoginRequest } from '@qrlogin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSession, newDevice, post, startServer, subscribe, type TestServer } from './helpers.js';

let t: TestServer;
afterEach(() => t?.close());

describe('the whole flow on real sockets', () => {
  beforeEach(async () => {
    t = await startServer();
  });

  it('create → subscribe → scan → confirm → pushed confirmed → redeem once', async () => {
    const events: string[] = [];
    for (const name of ['created', 'scanned', 'confirmed', 'redeemed'] as const) {
      t.qr.events.on(name, () => events.push(name));
    }
    const session = await createSession(t);
    expect(session.qrPayload).toBe(`${t.origin}/qrlogin/q/1/${session.sessionId}`);
    const socket = await subscribe(t, session);
    const phone = await newDevice(t, 'alice');

    const scan = await phone.scan(session.sessionId);
    expect(scan.status).toBe(200);
    const request = scan.body as LoginRequest;
    expect(request.origin).toBe(t.origin);
    expect(request.requester.ip).toBe('127.0.0.1');
    expect(request.codeRequired).toBe(false);
    expect(request.proximity.sameNetwork).toBe(true);
    await socket.waitFor('scanned');

    const confirm = await phone.confirm(request);
    expect(confirm.status).toBe(200);
    expect(confirm.body.state).toBe('confirmed');
    const pushed = await socket.waitFor('confirmed');
    expect(pushed).toMatchObject({ type: 'state', sessionId: session.sessionId, state: 'confirmed', version: 3 });
    expect(JSON.stringify(socket.frames)).not.toContain(session.browserSecret);
    expect(JSON.stringify(socket.frames)).not.toContain('alice');

    const login = await t.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect(login).toMatchObject({ sessionId: session.sessionId, userId: 'alice', deviceId: phone.deviceId });
    await expect(
      t.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret }),
    ).rejects.toMatchObject({
      code: 'ALREADY_REDEEMED',
    });
    await socket.waitFor('redeemed');
    expect((await socket.closed).code).toBe(1000);
    expect(socket.frames.map((f) => (f.type === 'state' ? f.state : f.type))).toEqual([
      'pending',
      'scanned',
      'confirmed',
      'redeemed',
    ]);
    expect(events).toEqual(['created', 'scanned', 'confirmed', 'redeemed']);
  });

  it('reject is pushed and the session cannot be redeemed', async () => {
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const phone = await newDevice(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    const res = await phone.reject(request);
    expect(res.body.state).toBe('rejected');
    expect(await socket.waitFor('rejected')).toMatchObject({ reason: 'user' });
    await expect(t.qr.redeem(session)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('cancel by the browser, with its secret only', async () => {
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const wrong = await fetch(`${t.base}/sessions/${session.sessionId}`, { method: 'DELETE' });
    expect(wrong.status).toBe(401);
    const res = await fetch(`${t.base}/sessions/${session.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.browserSecret}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { state: string }).state).toBe('cancelled');
    await socket.waitFor('cancelled');
    const phone = await newDevice(t);
    expect((await phone.scan(session.sessionId)).body.error.code).toBe('INVALID_STATE');
  });

  it('a reconnecting browser gets the current snapshot first', async () => {
    const session = await createSession(t);
    const first = await subscribe(t, session);
    const phone = await newDevice(t);
    await phone.scan(session.sessionId);
    await first.waitFor('scanned');
    first.ws.terminate();
    const { openSocket } = await import('./helpers.js');
    const again = await openSocket(t);
    again.ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
    const snapshot = await again.waitFor('scanned');
    expect(again.frames[0]).toBe(snapshot);
    expect(snapshot).toMatchObject({ state: 'scanned', version: 2 });
  });

  it('long-poll: waits for a change, same authentication', async () => {
    const session = await createSession(t);
    const url = `${t.base}/sessions/${session.sessionId}`;
    const auth = { authorization: `Bearer ${session.browserSecret}` };
    const now = await (await fetch(url, { headers: auth })).json();
    expect(now).toMatchObject({ state: 'pending', version: 1 });
    const held = fetch(`${url}?after=1`, { headers: auth }).then((r) => r.json());
    const phone = await newDevice(t);
    await phone.scan(session.sessionId);
    expect(await held).toMatchObject({ state: 'scanned', version: 2 });
    const noSecret = await fetch(`${url}?after=1`);
    expect(noSecret.status).toBe(401);
  });

  it('the QR URL opens a static help page', async () => {
    const session = await createSession(t);
    const res = await fetch(session.qrPayload);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await res.text()).toContain('Open this code in the app');
  });
});

describe('number matching', () => {
  beforeEach(async () => {
    t = await startServer({ numberMatching: true });
  });

  it('shows the code in the browser and requires it in the confirm', async () => {
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const phone = await newDevice(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect(request.codeRequired).toBe(true);
    expect(JSON.stringify(request)).not.toMatch(/"code"/);
    const scanned = await socket.waitFor('scanned');
    const code = (scanned as { code?: string }).code as string;
    expect(code).toMatch(/^[0-9]{2}$/);
    expect((await phone.confirm(request)).body.error.code).toBe('CODE_REQUIRED');
    const ok = await phone.confirm(request, { code });
    expect(ok.body.state).toBe('confirmed');
  });

  it('a wrong code rejects the session outright', async () => {
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const phone = await newDevice(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    const code = ((await socket.waitFor('scanned')) as { code: string }).code;
    const wrong = String((Number(code) + 1) % 100).padStart(2, '0');
    const res = await phone.confirm(request, { code: wrong });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CODE_MISMATCH');
    expect(await socket.waitFor('rejected')).toMatchObject({ reason: 'code-mismatch' });
    expect((await phone.confirm(request, { code })).body.error.code).toBe('INVALID_STATE');
  });
});

describe('expiry', () => {
  it('is pushed to waiting browsers by the sweep, without per-session timers', async () => {
    let now = Date.now();
    t = await startServer({ sessionTtlSeconds: 30, now: () => now });
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    now += 31_000;
    const expired = await socket.waitFor('expired');
    expect(expired).toMatchObject({ state: 'expired', version: 2 });
    expect((await socket.closed).code).toBe(1000);
    const phone = await newDevice(t);
    expect((await phone.scan(session.sessionId)).body.error.code).toBe('SESSION_EXPIRED');
    await expect(t.qr.redeem(session)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('a confirmed session that is not redeemed in time expires', async () => {
    let now = Date.now();
    t = await startServer({ sessionTtlSeconds: 30, now: () => now });
    const session = await createSession(t);
    const phone = await newDevice(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    await phone.confirm(request);
    now += 31_000;
    await expect(t.qr.redeem(session)).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect((await t.qr.inspect(session.sessionId))?.state).toBe('expired');
  });
});

describe('device registration over HTTP', () => {
  const users: Record<string, string> = { 'Bearer bob-token': 'bob', 'Bearer mallory-token': 'mallory' };
  const as = (user: 'bob' | 'mallory') => ({ authorization: `Bearer ${user}-token` });
  async function start() {
    t = await startServer({
      authenticate: (request) => {
        const userId = users[request.headers.get('authorization') ?? ''];
        return userId ? { userId } : null;
      },
    });
  }
  async function registration(userId: string) {
    const { newKeyPair, signWith } = await import('./helpers.js');
    const { publicKey, privateKey } = newKeyPair();
    const timestamp = Date.now();
    const signature = signWith(privateKey, { action: 'register', audience: t.origin, publicKey, userId, timestamp });
    return { publicKey, privateKey, body: { publicKey, label: `${userId} phone`, timestamp, signature } };
  }

  it('needs the host auth hook and a proof of possession', async () => {
    await start();
    const { body } = await registration('bob');
    expect((await post(`${t.base}/devices`, body)).body.error.code).toBe('UNAUTHENTICATED');
    const { newKeyPair } = await import('./helpers.js');
    const stolen = { ...body, publicKey: newKeyPair().publicKey };
    expect((await post(`${t.base}/devices`, stolen, as('bob'))).body.error.code).toBe('SIGNATURE_INVALID');
    const ok = await post(`${t.base}/devices`, body, as('bob'));
    expect(ok.status).toBe(201);
    expect(ok.body.deviceId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('binds the account: a captured body replayed first by another user is refused, and the owner still registers', async () => {
    await start();
    const { body } = await registration('bob');
    let registered = 0;
    t.qr.events.on('device-registered', () => registered++);
    const replay = await post(`${t.base}/devices`, body, as('mallory'));
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('SIGNATURE_INVALID');
    expect(registered).toBe(0);
    const owner = await post(`${t.base}/devices`, body, as('bob'));
    expect(owner.status).toBe(201);
    expect(registered).toBe(1);
  });

  it('recovers a lost response: the same key for the same user answers the same device, once registered', async () => {
    await start();
    const first = await registration('bob');
    let registered = 0;
    t.qr.events.on('device-registered', () => registered++);
    const ok = await post(`${t.base}/devices`, first.body, as('bob'));
    const again = await post(`${t.base}/devices`, first.body, as('bob'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ deviceId: ok.body.deviceId });
    expect(registered).toBe(1);
  });

  it('refuses the same key under a different user with DEVICE_EXISTS, changing nothing', async () => {
    await start();
    const { publicKey } = await registration('bob');
    await t.qr.registerDevice({ userId: 'mallory', publicKey, label: 'x' });
    await expect(t.qr.registerDevice({ userId: 'bob', publicKey, label: 'y' })).rejects.toMatchObject({
      code: 'DEVICE_EXISTS',
      message: expect.stringContaining('another account'),
    });
  });

  it('a revoked key is not revived by registering it again', async () => {
    await start();
    const { publicKey } = await registration('bob');
    const device = await t.qr.registerDevice({ userId: 'bob', publicKey, label: 'x' });
    await t.qr.revokeDevice(device.id);
    await expect(t.qr.registerDevice({ userId: 'bob', publicKey, label: 'x' })).rejects.toMatchObject({
      code: 'DEVICE_REVOKED',
    });
  });

  it('an app that signs version 1 of the registration (no account) gets 400 UNSUPPORTED_VERSION', async () => {
    await start();
    const { newKeyPair, signWith } = await import('./helpers.js');
    const { publicKey, privateKey } = newKeyPair();
    const timestamp = Date.now();
    const signature = signWith(privateKey, { action: 'register', audience: t.origin, publicKey, timestamp }, 1);
    const res = await post(`${t.base}/devices`, { publicKey, label: 'old app', timestamp, signature }, as('bob'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('UNSUPPORTED_VERSION');
    await expect(t.qr.registerDevice({ userId: 'bob', publicKey, label: 'new app' })).resolves.toMatchObject({
      label: 'new app',
    });
  });
});
