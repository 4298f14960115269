import { afterEach, describe, expect, it, vi } from 'vitest';
import { QrLoginError } from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import { registeredDevice } from './helpers/registered-device.js';
import { startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('scan → confirm / reject against the real server', () => {
  it('confirm: the page hears scanned then confirmed, and the host redeems for the device’s user', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const session = await server.createSession();
    const page = await server.watch(session);

    const request = await phone.app.scan(session.qrPayload);
    expect(request).toMatchObject({
      sessionId: session.sessionId,
      origin: server.origin,
      codeRequired: false,
      expiresAt: session.expiresAt,
    });
    expect(request.requester).toMatchObject({ ip: '127.0.0.1', origin: server.origin });
    expect(request.requester.browser).toMatch(/Firefox/);
    expect(request.requester.os).toMatch(/Linux/);
    expect(request.localExpiresAt).toBeGreaterThan(Date.now());
    // Phone and browser both on 127.0.0.1: the same network, as the server's default policy sees it.
    expect(request.proximity).toMatchObject({ sameNetwork: true, distance: 'near', policy: 'warn' });
    expect((await page.next('scanned')).version).toBe(request.version);

    const decision = await request.confirm();
    expect(decision).toMatchObject({ sessionId: session.sessionId, state: 'confirmed' });
    expect((await page.next('confirmed')).version).toBe(decision.version);
    const login = await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect(login).toMatchObject({ userId: 'alice', deviceId: phone.deviceId });
    page.close();
  });

  it('signs with WebCrypto’s Ed25519 in Node: scan and confirm go through crypto.subtle and the server accepts them', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const session = await server.createSession();
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      const request = await phone.app.scan(session.qrPayload);
      expect(await request.confirm()).toMatchObject({ state: 'confirmed' });
      const signed = sign.mock.calls.map(([, , data]) => new TextDecoder().decode(data as Uint8Array));
      for (const action of ['scan', 'confirm']) {
        expect(
          signed.filter((text) => text.includes(`\naction:${action}\n`) && text.includes(session.sessionId)),
        ).toHaveLength(1);
      }
    } finally {
      sign.mockRestore();
    }
    const login = await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect(login).toMatchObject({ userId: 'alice', deviceId: phone.deviceId });
  });

  it('reject: the long-poll answers rejected (reason user) and nothing can be redeemed', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const request = await phone.app.scan(session.qrPayload);
    const waiting = server.poll(session, request.version);
    expect(await request.reject()).toMatchObject({ state: 'rejected' });
    expect(await waiting).toMatchObject({ state: 'rejected', reason: 'user' });
    await expect(
      server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret }),
    ).rejects.toThrow(QrLoginError);
    // An answered request cannot be answered again.
    expect(await codeOf(request.confirm())).toBe('INVALID_STATE');
    expect((await server.poll(session)).state).toBe('rejected');
  });

  it('number matching: a wrong code rejects the session outright; the right one confirms', async () => {
    server = await startServer({ numberMatching: true });
    const phone = await registeredDevice(server);

    const wrong = await server.createSession();
    const wrongRequest = await phone.app.scan(wrong.qrPayload);
    expect(wrongRequest.codeRequired).toBe(true);
    const shown = (await server.poll(wrong)).code;
    expect(shown).toMatch(/^[0-9]{2}$/);
    expect(await codeOf(wrongRequest.confirm())).toBe('CODE_REQUIRED'); // caught on the phone, nothing sent
    expect((await server.poll(wrong)).state).toBe('scanned');
    const typo = shown === '00' ? '01' : '00';
    expect(await codeOf(wrongRequest.confirm({ code: typo }))).toBe('CODE_MISMATCH');
    expect(await server.poll(wrong)).toMatchObject({ state: 'rejected', reason: 'code-mismatch' });

    const right = await server.createSession();
    const rightRequest = await phone.app.scan(right.qrPayload);
    const code = (await server.poll(right)).code as string;
    expect(await rightRequest.confirm({ code })).toMatchObject({ state: 'confirmed' });
    expect(await server.qr.redeem({ sessionId: right.sessionId, browserSecret: right.browserSecret })).toMatchObject({
      userId: 'alice',
    });
  });

  it('confirming twice answers INVALID_STATE the second time and the login stays redeemable once', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const request = await phone.app.scan(session.qrPayload);
    await request.confirm();
    expect(await codeOf(request.confirm())).toBe('INVALID_STATE');
    expect(await codeOf(request.reject())).toBe('INVALID_STATE');
    await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect((await server.poll(session)).state).toBe('redeemed');
  });
});

describe('error paths against the real server', () => {
  it('ALREADY_SCANNED: a second phone cannot take a session another phone locked', async () => {
    server = await startServer();
    const first = await registeredDevice(server, 'alice');
    const second = await registeredDevice(server, 'bob');
    const session = await server.createSession();
    const request = await first.app.scan(session.qrPayload);
    expect(await codeOf(second.app.scan(session.qrPayload))).toBe('ALREADY_SCANNED');
    expect(await server.qr.inspect(session.sessionId)).toMatchObject({ state: 'scanned', deviceId: first.deviceId });
    await request.confirm();
    expect(
      await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret }),
    ).toMatchObject({
      userId: 'alice',
      deviceId: first.deviceId,
    });
  });

  it('SESSION_EXPIRED: a code scanned after its TTL, and a decision made after it', async () => {
    server = await startServer({ clock: true, sessionTtlSeconds: 60 });
    const phone = await registeredDevice(server);

    const late = await server.createSession();
    server.clock.now += 61_000;
    expect(await codeOf(phone.app.scan(late.qrPayload))).toBe('SESSION_EXPIRED');
    expect((await server.poll(late)).state).toBe('expired');

    const slow = await server.createSession();
    const request = await phone.app.scan(slow.qrPayload);
    server.clock.now += 61_000;
    expect(await codeOf(request.confirm())).toBe('SESSION_EXPIRED');
    expect((await server.poll(slow)).state).toBe('expired');
  });

  it('DEVICE_REVOKED: a device revoked by the host can neither scan nor decide', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const scanned = await server.createSession();
    const request = await phone.app.scan(scanned.qrPayload);
    await server.qr.revokeDevice(phone.deviceId);

    expect(await codeOf(request.confirm())).toBe('DEVICE_REVOKED');
    expect((await server.poll(scanned)).state).toBe('scanned');
    const fresh = await server.createSession();
    expect(await codeOf(phone.app.scan(fresh.qrPayload))).toBe('DEVICE_REVOKED');
    expect((await server.poll(fresh)).state).toBe('pending');
  });

  it('revoke(): the device revokes itself, forgets its seed, and is refused from then on', async () => {
    server = await startServer();
    const { memoryKeyStore, createQrLoginApp } = await import('../src/index.js');
    const phone = await registeredDevice(server);
    const keyStore = memoryKeyStore(phone.keys.seed);
    const app = createQrLoginApp({ baseUrl: server.baseUrl, deviceId: phone.deviceId, keyStore });
    await app.revoke();
    expect((await server.devices.get(phone.deviceId))?.revokedAt).toEqual(expect.any(Number));
    expect(await keyStore.getSeed()).toBeNull();
    const session = await server.createSession();
    expect(await codeOf(phone.app.scan(session.qrPayload))).toBe('DEVICE_REVOKED');
    expect(await codeOf(phone.app.revoke())).toBe('DEVICE_REVOKED');
    expect((await server.poll(session)).state).toBe('pending');
  });

  it('PROXIMITY_DENIED: with policy deny, a phone on another network is refused and the login rejected', async () => {
    server = await startServer({ proximity: 'deny', trustProxy: 1 });
    const phone = await registeredDevice(server, 'alice', {
      // The phone's requests arrive through the (trusted) proxy from another network.
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, 'x-forwarded-for': '198.51.100.7' } }),
    });
    const session = await server.createSession({ 'x-forwarded-for': '203.0.113.5' });
    expect(await codeOf(phone.app.scan(session.qrPayload))).toBe('PROXIMITY_DENIED');
    expect(await server.poll(session)).toMatchObject({ state: 'rejected', reason: 'proximity' });
  });

  it('proximity warn: the confirm screen learns the two ends are far apart, with both places', async () => {
    server = await startServer({
      proximity: 'warn',
      trustProxy: 1,
      describeRequester: (ip) => ({ place: ip === '203.0.113.5' ? 'Berlin, DE' : 'Lagos, NG' }),
    });
    const phone = await registeredDevice(server, 'alice', {
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, 'x-forwarded-for': '198.51.100.7' } }),
    });
    const session = await server.createSession({ 'x-forwarded-for': '203.0.113.5' });
    const request = await phone.app.scan(session.qrPayload);
    expect(request.requester).toMatchObject({ ip: '203.0.113.5', place: 'Berlin, DE' });
    expect(request.proximity).toEqual({ sameNetwork: false, samePlace: false, distance: 'far', policy: 'warn' });
    expect((await server.poll(session)).state).toBe('scanned');
  });

  it('SIGNATURE_INVALID: a deviceId used with another key changes nothing', async () => {
    server = await startServer();
    const victim = await registeredDevice(server, 'alice');
    const attacker = await registeredDevice(server, 'bob', {});
    const { createQrLoginApp } = await import('../src/index.js');
    const impostor = createQrLoginApp({ baseUrl: server.baseUrl, deviceId: victim.deviceId, keys: attacker.keys });
    const session = await server.createSession();
    expect(await codeOf(impostor.scan(session.qrPayload))).toBe('SIGNATURE_INVALID');
    expect((await server.poll(session)).state).toBe('pending');
  });

  it('TIMESTAMP_SKEW: a phone whose clock is far off is refused', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice', { now: () => Date.now() + 5 * 60_000 });
    const session = await server.createSession();
    expect(await codeOf(phone.app.scan(session.qrPayload))).toBe('TIMESTAMP_SKEW');
    expect((await server.poll(session)).state).toBe('pending');
  });

  it('SESSION_NOT_FOUND / DEVICE_NOT_FOUND: well-formed but unknown ids', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const unknown = `${server.baseUrl}/q/1/AAAAAAAAAAAAAAAAAAAAAA`;
    expect(await codeOf(phone.app.scan(unknown))).toBe('SESSION_NOT_FOUND');
    const { createQrLoginApp } = await import('../src/index.js');
    const ghost = createQrLoginApp({ baseUrl: server.baseUrl, deviceId: 'AAAAAAAAAAAAAAAAAAAAAA', keys: phone.keys });
    const session = await server.createSession();
    expect(await codeOf(ghost.scan(session.qrPayload))).toBe('DEVICE_NOT_FOUND');
    expect((await server.poll(session)).state).toBe('pending');
  });

  it('FOREIGN_QR: a code from another qrlogin server is refused before any request reaches it', async () => {
    server = await startServer();
    const other = await startServer();
    try {
      const phone = await registeredDevice(server);
      const foreign = await other.createSession();
      expect(await codeOf(phone.app.scan(foreign.qrPayload))).toBe('FOREIGN_QR');
      expect((await other.poll(foreign)).state).toBe('pending');
      expect(await other.qr.inspect(foreign.sessionId)).toMatchObject({ state: 'pending', version: 1 });
    } finally {
      await other.close();
    }
  });

  it('NETWORK_ERROR: the server went away between scan and confirm', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const request = await phone.app.scan(session.qrPayload);
    await server.close();
    server = undefined;
    expect(await codeOf(request.confirm())).toBe('NETWORK_ERROR');
  });
});
