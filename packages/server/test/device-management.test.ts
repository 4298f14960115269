/**
 * Device management over real HTTP: the signed app routes (list, rename, revoke another device of
 * the same user), the host's web routes (its own session, same-origin state changes), the
 * last-used time, and fuzzing of every new route.
 */
import { isErrorCode, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryDeviceStore, TOUCH_INTERVAL_MS } from '../src/index.js';
import {
  type Body,
  createSession,
  newDevice,
  post,
  serversPerTest,
  type TestDevice,
  type TestServer,
} from './helpers.js';

const start = serversPerTest();

/** The host's session in these tests: the `x-user` header names the signed-in user. */
const authenticate = (request: Request) => {
  const userId = request.headers.get('x-user');
  return userId ? { userId } : null;
};

function signedList(t: TestServer, signer: TestDevice, timestamp = Date.now()) {
  const signature = signer.sign({ action: 'list-devices', deviceId: signer.deviceId, timestamp });
  return post(`${t.base}/devices/list`, { deviceId: signer.deviceId, timestamp, signature });
}

function signedRename(t: TestServer, signer: TestDevice, target: string, label: string, signedLabel = label) {
  const timestamp = Date.now();
  const signature = signer.sign({
    action: 'rename-device',
    deviceId: signer.deviceId,
    ref: target,
    text: signedLabel,
    timestamp,
  });
  return post(`${t.base}/devices/${target}/rename`, { deviceId: signer.deviceId, label, timestamp, signature });
}

function signedRevoke(t: TestServer, signer: TestDevice, target: string, signedRef = target) {
  const timestamp = Date.now();
  const signature = signer.sign({ action: 'revoke-device', deviceId: signer.deviceId, ref: signedRef, timestamp });
  return post(`${t.base}/devices/${target}/revoke-device`, { deviceId: signer.deviceId, timestamp, signature });
}

async function web(
  t: TestServer,
  method: 'GET' | 'PATCH' | 'DELETE',
  path: string,
  options: { user?: string; origin?: string | null; body?: unknown } = {},
): Promise<{ status: number; body: Body }> {
  const headers: Record<string, string> = {};
  if (options.user) headers['x-user'] = options.user;
  const origin = options.origin === undefined ? t.origin : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function setup() {
  const t = await start({ authenticate });
  const phone = await newDevice(t, 'alice');
  const tablet = await newDevice(t, 'alice');
  const mallory = await newDevice(t, 'mallory');
  return { t, phone, tablet, mallory };
}

describe('signed device management (app)', () => {
  it('lists the signer’s user’s devices, oldest first, marking the signer, and no one else’s', async () => {
    const { t, phone, tablet } = await setup();
    const res = await signedList(t, tablet);
    expect(res.status).toBe(200);
    expect(res.body.devices.map((d: Body) => [d.id, d.thisDevice])).toEqual([
      [phone.deviceId, false],
      [tablet.deviceId, true],
    ]);
    expect(Object.keys(res.body.devices[0]).sort()).toEqual(['createdAt', 'id', 'label', 'thisDevice']);
  });

  it('renames a device of the same user, and the list shows it', async () => {
    const { t, phone, tablet } = await setup();
    const res = await signedRename(t, tablet, phone.deviceId, 'Ana’s old phone 📱');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: phone.deviceId, label: 'Ana’s old phone 📱', thisDevice: false });
    expect((await t.qr.listDevices('alice')).map((d) => d.label)).toEqual(['Ana’s old phone 📱', "alice's phone"]);
  });

  it('refuses a bad label with 400 and renames nothing', async () => {
    const { t, phone } = await setup();
    for (const label of ['', 'x'.repeat(65), 'evil\u202Eenohp', 'two\nlines', '\uD800']) {
      const timestamp = Date.now();
      const res = await post(`${t.base}/devices/${phone.deviceId}/rename`, {
        deviceId: phone.deviceId,
        label,
        timestamp,
        signature: 'A'.repeat(86),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect((await t.qr.listDevices('alice'))[0]?.label).toBe("alice's phone");
  });

  it('refuses a signature over another label or another device', async () => {
    const { t, phone, tablet } = await setup();
    expect((await signedRename(t, phone, phone.deviceId, 'Mine', 'Yours')).body.error.code).toBe('SIGNATURE_INVALID');
    expect((await signedRevoke(t, phone, tablet.deviceId, phone.deviceId)).body.error.code).toBe('SIGNATURE_INVALID');
    expect(
      (await t.qr.listDevices('alice')).every((d) => d.revokedAt === undefined && d.label === "alice's phone"),
    ).toBe(true);
  });

  it('answers another user’s device as 404 DEVICE_NOT_FOUND and changes nothing', async () => {
    const { t, phone, mallory } = await setup();
    const rename = await signedRename(t, mallory, phone.deviceId, 'pwned');
    const revoke = await signedRevoke(t, mallory, phone.deviceId);
    for (const res of [rename, revoke]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('DEVICE_NOT_FOUND');
    }
    expect(await t.qr.listDevices('alice').then((d) => d[0])).toMatchObject({ label: "alice's phone" });
    expect((await t.qr.listDevices('alice'))[0]?.revokedAt).toBeUndefined();
  });

  it('revokes another device of the same user, which can do nothing afterwards', async () => {
    const { t, phone, tablet } = await setup();
    const res = await signedRevoke(t, tablet, phone.deviceId);
    expect(res.status).toBe(204);
    const session = await createSession(t);
    const scan = await phone.scan(session.sessionId);
    expect(scan.status).toBe(403);
    expect(scan.body.error.code).toBe('DEVICE_REVOKED');
    // Idempotent: revoking it again is fine and keeps the first instant.
    const before = (await t.qr.listDevices('alice'))[0]?.revokedAt;
    expect((await signedRevoke(t, tablet, phone.deviceId)).status).toBe(204);
    expect((await t.qr.listDevices('alice'))[0]?.revokedAt).toBe(before);
  });

  it('refuses every call from a revoked device with 403 DEVICE_REVOKED', async () => {
    const { t, phone, tablet } = await setup();
    await t.qr.revokeDevice(phone.deviceId);
    for (const res of [
      await signedList(t, phone),
      await signedRename(t, phone, tablet.deviceId, 'nope'),
      await signedRevoke(t, phone, tablet.deviceId),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('DEVICE_REVOKED');
    }
    expect((await t.qr.listDevices('alice'))[1]).toMatchObject({ label: "alice's phone" });
    expect((await t.qr.listDevices('alice'))[1]?.revokedAt).toBeUndefined();
  });

  it('refuses renaming a revoked device with 403 DEVICE_REVOKED', async () => {
    const { t, phone, tablet } = await setup();
    await t.qr.revokeDevice(phone.deviceId);
    const res = await signedRename(t, tablet, phone.deviceId, 'zombie');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('DEVICE_REVOKED');
  });

  it('refuses a stale timestamp', async () => {
    const { t, phone } = await setup();
    const res = await signedList(t, phone, Date.now() - 10 * 60_000);
    expect(res.body.error.code).toBe('TIMESTAMP_SKEW');
  });

  it('emits device-renamed and device-revoked with who did it', async () => {
    const { t, phone, tablet } = await setup();
    const seen: unknown[] = [];
    t.qr.events.on('device-renamed', (e) => seen.push(e));
    t.qr.events.on('device-revoked', (e) => seen.push(e));
    await signedRename(t, tablet, phone.deviceId, 'Old');
    await signedRevoke(t, tablet, phone.deviceId);
    expect(seen).toEqual([
      expect.objectContaining({ deviceId: phone.deviceId, label: 'Old', by: 'device', byDeviceId: tablet.deviceId }),
      expect.objectContaining({ deviceId: phone.deviceId, userId: 'alice', by: 'device' }),
    ]);
  });
});

describe('web device management (host session)', () => {
  it('lists the signed-in user’s devices; 401 without a session', async () => {
    const { t, phone, tablet } = await setup();
    const res = await web(t, 'GET', '/devices', { user: 'alice' });
    expect(res.status).toBe(200);
    expect(res.body.devices.map((d: Body) => d.id)).toEqual([phone.deviceId, tablet.deviceId]);
    expect(res.body.devices.every((d: Body) => d.thisDevice === false)).toBe(true);
    const anonymous = await web(t, 'GET', '/devices');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('renames and revokes with an allowed Origin', async () => {
    const { t, phone } = await setup();
    const renamed = await web(t, 'PATCH', `/devices/${phone.deviceId}`, { user: 'alice', body: { label: 'Kitchen' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: phone.deviceId, label: 'Kitchen' });
    const revoked = await web(t, 'DELETE', `/devices/${phone.deviceId}`, { user: 'alice' });
    expect(revoked.status).toBe(204);
    expect((await t.qr.listDevices('alice'))[0]).toMatchObject({ label: 'Kitchen', revokedAt: expect.any(Number) });
  });

  it('refuses a state change without an allowed Origin (CSRF) with 403 and changes nothing', async () => {
    const { t, phone } = await setup();
    for (const origin of [null, 'https://evil.example', '', 'null']) {
      const rename = await web(t, 'PATCH', `/devices/${phone.deviceId}`, {
        user: 'alice',
        origin,
        body: { label: 'x' },
      });
      const revoke = await web(t, 'DELETE', `/devices/${phone.deviceId}`, { user: 'alice', origin });
      for (const res of [rename, revoke]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN_ORIGIN');
      }
    }
    expect((await t.qr.listDevices('alice'))[0]).toMatchObject({ label: "alice's phone" });
    expect((await t.qr.listDevices('alice'))[0]?.revokedAt).toBeUndefined();
  });

  it('answers another user’s device as 404, a bad label as 400, no session as 401', async () => {
    const { t, mallory } = await setup();
    const path = `/devices/${mallory.deviceId}`;
    expect((await web(t, 'PATCH', path, { user: 'alice', body: { label: 'x' } })).body.error.code).toBe(
      'DEVICE_NOT_FOUND',
    );
    expect((await web(t, 'DELETE', path, { user: 'alice' })).status).toBe(404);
    const bad = await web(t, 'PATCH', path, { user: 'mallory', body: { label: 'a\u0000b' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await web(t, 'PATCH', path, { user: 'mallory', body: { label: 'ok', extra: 1 } })).status).toBe(400);
    expect((await web(t, 'DELETE', path)).status).toBe(401);
    expect(await t.qr.listDevices('mallory')).toEqual([expect.objectContaining({ label: "mallory's phone" })]);
    expect((await t.qr.listDevices('mallory'))[0]?.revokedAt).toBeUndefined();
  });

  it('answers 401 when the host has no authenticate hook', async () => {
    const t = await start();
    expect((await web(t, 'GET', '/devices')).status).toBe(401);
  });
});

describe('host API', () => {
  it('listDevices, renameDevice (false for none, errors for bad labels and revoked devices)', async () => {
    const { t, phone } = await setup();
    expect(await t.qr.renameDevice(phone.deviceId, 'Renamed')).toBe(true);
    expect(await t.qr.renameDevice('A'.repeat(22), 'Nobody')).toBe(false);
    await expect(t.qr.renameDevice(phone.deviceId, '')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await t.qr.revokeDevice(phone.deviceId);
    await expect(t.qr.renameDevice(phone.deviceId, 'Again')).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    expect((await t.qr.listDevices('alice'))[0]?.label).toBe('Renamed');
  });
});

describe('lastUsedAt', () => {
  it('is written at scan and confirm, at most once a minute per device', async () => {
    let clock = Date.now();
    const t = await start({ authenticate, now: () => clock, clockSkewSeconds: 3600 });
    const phone = await newDevice(t, 'alice');
    const lastUsed = async () => (await t.qr.listDevices('alice'))[0]?.lastUsedAt;
    expect(await lastUsed()).toBeUndefined();
    const first = await createSession(t);
    const request = (await phone.scan(first.sessionId)).body as LoginRequest;
    await expect.poll(lastUsed).toBe(clock);
    const scannedAt = clock;
    clock += 1_000;
    expect((await phone.confirm(request)).status).toBe(200);
    // Within the interval: not written again.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lastUsed()).toBe(scannedAt);
    clock += TOUCH_INTERVAL_MS;
    const second = await createSession(t);
    expect((await phone.scan(second.sessionId)).status).toBe(200);
    await expect.poll(lastUsed).toBe(clock);
    const listed = await web(t, 'GET', '/devices', { user: 'alice' });
    expect(listed.body.devices[0].lastUsedAt).toBe(clock);
  });

  it('does not fail the scan when the device store cannot write', async () => {
    const working = memoryDeviceStore();
    const t = await start({
      authenticate,
      devices: { ...working, update: () => Promise.reject(new Error('disk full')) },
    });
    const errors: string[] = [];
    t.qr.events.on('internal-error', (e) => errors.push(e.action));
    const phone = await newDevice(t, 'alice');
    const session = await createSession(t);
    expect((await phone.scan(session.sessionId)).status).toBe(200);
    await expect.poll(() => errors).toContain('touch a device');
  });
});

describe('fuzzing the device-management routes', () => {
  it('answers arbitrary input with a stable 4xx code and changes no device', async () => {
    const { t, phone, mallory } = await setup();
    const aliceBefore = JSON.stringify(await t.qr.listDevices('alice'));
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      fc.constant(phone.deviceId),
      fc.constant(Date.now()),
    );
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .dictionary(fc.constantFrom('deviceId', 'timestamp', 'signature', 'label', 'x'), value)
        .map((o) => JSON.stringify(o)),
      fc.constant('x'.repeat(5000)),
    );
    const path = fc.oneof(
      fc.constantFrom('/devices', '/devices/list', '/devices/list/x'),
      fc
        .constantFrom('rename', 'revoke-device', '')
        .chain((verb) =>
          fc
            .oneof(fc.constant(phone.deviceId), fc.constant(mallory.deviceId), fc.string({ maxLength: 30 }))
            .map((id) => `/devices/${encodeURIComponent(id)}${verb ? `/${verb}` : ''}`),
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'),
        path,
        body,
        fc.constantFrom(t.origin, 'https://evil.example', undefined),
        fc.constantFrom('mallory', undefined),
        async (method, p, text, origin, user) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (origin) headers.origin = origin;
          if (user) headers['x-user'] = user;
          const res = await t.qr.fetch(
            new Request(`${t.base}${p}`, { method, headers, ...(method === 'GET' ? {} : { body: text }) }),
            { remoteAddress: '127.0.0.1' },
          );
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            const json = (await res.json()) as { error: { code: unknown } };
            expect(isErrorCode(json.error.code)).toBe(true);
          }
          // Mallory's own device is fair game for her session; Alice's never is.
          expect(JSON.stringify(await t.qr.listDevices('alice'))).toBe(aliceBefore);
        },
      ),
      { numRuns: 300 },
    );
  });
});
