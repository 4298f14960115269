/**
 * Device management through the better-auth plugin, over real HTTP on the databases better-auth's
 * migrations made: the app's signed list / rename / revoke, and the web side authenticated by the
 * better-auth session cookie (same-origin state changes only), with another user's device out of
 * reach.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeOf } from '../../app/test/helpers/code-of.js';
import { betterAuthDeviceStore } from '../src/index.js';
import { DATABASES, type TestDatabase } from './helpers/databases.js';
import { type Host, startHost } from './helpers/host.js';
import { signedInPhone } from './helpers/phone.js';

const SESSION_COOKIE = 'better-auth.session_token';

describe.each(DATABASES)('device management through qrLogin() on $kind', ({ open, skip }) => {
  let db: TestDatabase;
  let host: Host;

  beforeEach(async (t) => {
    if (skip) return t.skip();
    db = await open();
    host = await startHost(db.database);
  });
  afterEach(async () => {
    await host?.close();
    await db?.close();
  });

  it('the app lists and renames its devices; another user’s device is DEVICE_NOT_FOUND', async () => {
    const ana = await signedInPhone(host.url, 'ana@example.com');
    const bob = await signedInPhone(host.url, 'bob@example.com');
    expect(await ana.app.listDevices()).toEqual([
      { id: ana.deviceId, label: 'Test phone', createdAt: expect.any(Number), thisDevice: true },
    ]);
    expect(await ana.app.renameDevice(ana.deviceId, 'Ana’s phone')).toMatchObject({ label: 'Ana’s phone' });
    const devices = betterAuthDeviceStore((await host.auth.$context).adapter);
    expect((await devices.get(ana.deviceId))?.label).toBe('Ana’s phone');
    expect(await codeOf(bob.app.revokeDevice(ana.deviceId))).toBe('DEVICE_NOT_FOUND');
    expect(await codeOf(bob.app.renameDevice(ana.deviceId, 'mine'))).toBe('DEVICE_NOT_FOUND');
    expect((await devices.get(ana.deviceId))?.revokedAt).toBeUndefined();
  });

  it('the web side lists, renames and revokes with the session cookie, same-origin only', async () => {
    const ana = await signedInPhone(host.url, 'ana@example.com');
    const cookie = `${SESSION_COOKIE}=${ana.cookies.get(SESSION_COOKIE)}`;
    const base = `${host.url}/api/auth/qr-login/devices`;
    const listed = await fetch(base, { headers: { cookie } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { devices: { id: string }[] }).devices.map((d) => d.id)).toEqual([ana.deviceId]);
    expect((await fetch(base)).status).toBe(401);

    const patch = (origin: string | null) =>
      fetch(`${base}/${ana.deviceId}`, {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify({ label: 'Renamed on the web' }),
      });
    expect((await patch('https://evil.example')).status).toBe(403);
    const devices = betterAuthDeviceStore((await host.auth.$context).adapter);
    expect((await devices.get(ana.deviceId))?.label).toBe('Test phone');
    const renamed = await patch(host.url);
    expect(renamed.status).toBe(200);
    expect((await devices.get(ana.deviceId))?.label).toBe('Renamed on the web');

    const revoked = await fetch(`${base}/${ana.deviceId}`, { method: 'DELETE', headers: { cookie, origin: host.url } });
    expect(revoked.status).toBe(204);
    expect((await devices.get(ana.deviceId))?.revokedAt).toEqual(expect.any(Number));
    expect(await codeOf(ana.app.listDevices())).toBe('DEVICE_REVOKED');
  });
});
