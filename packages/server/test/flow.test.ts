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
  it('needs the host auth hook and a proof of possession', async () => {
    t = await startServer({
      authenticate: (request) =>
        request.headers.get('authorization') === 'Bearer host-token' ? { userId: 'bob' } : null,
    });
    const { newKeyPair, signWith } = await import('./helpers.js');
    const { publicKey, privateKey } = newKeyPair();
    const timestamp = Date.now();
    const signature = signWith(privateKey, { action: 'register', audience: t.origin, publicKey, timestamp });
    const body = { publicKey, label: 'Bob phone', timestamp, signature };
    expect((await post(`${t.base}/devices`, body)).body.error.code).toBe('UNAUTHENTICATED');
    const other = newKeyPair();
    const stolen = { ...body, publicKey: other.publicKey };
    expect((await post(`${t.base}/devices`, stolen, { authorization: 'Bearer host-token' })).body.error.code).toBe(
      'SIGNATURE_INVALID',
    );
    const ok = await post(`${t.base}/devices`, body, { authorization: 'Bearer host-token' });
    expect(ok.status).toBe(201);
    expect(ok.body.deviceId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = await post(`${t.base}/devices`, body, { authorization: 'Bearer host-token' });
    expect(again.body.error.code).toBe('DEVICE_EXISTS');
  });
});
