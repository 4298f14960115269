/**
 * `app.listDevices()`, `app.renameDevice()`, `app.revokeDevice()` against a real server: what the
 * server stores afterwards, the errors it answers, and the gate awaited before each signature.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createQrLoginApp, memoryKeyStore } from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import { registeredDevice } from './helpers/registered-device.js';
import { startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('device management from the app', () => {
  it('lists the user’s devices with this one marked, renames one and revokes another', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const tablet = await registeredDevice(server, 'alice');
    await registeredDevice(server, 'bob');
    const listed = await phone.app.listDevices();
    expect(listed.map((d) => [d.id, d.thisDevice])).toEqual([
      [phone.deviceId, true],
      [tablet.deviceId, false],
    ]);
    expect(await phone.app.renameDevice(tablet.deviceId, 'Kitchen tablet')).toMatchObject({
      id: tablet.deviceId,
      label: 'Kitchen tablet',
      thisDevice: false,
    });
    expect((await server.devices.get(tablet.deviceId))?.label).toBe('Kitchen tablet');
    await phone.app.revokeDevice(tablet.deviceId);
    expect((await server.devices.get(tablet.deviceId))?.revokedAt).toEqual(expect.any(Number));
    expect(await codeOf(tablet.app.listDevices())).toBe('DEVICE_REVOKED');
    expect((await phone.app.listDevices())[1]?.revokedAt).toEqual(expect.any(Number));
  });

  it('gets DEVICE_NOT_FOUND for another user’s device, changing nothing', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const bobs = await registeredDevice(server, 'bob');
    expect(await codeOf(phone.app.renameDevice(bobs.deviceId, 'mine now'))).toBe('DEVICE_NOT_FOUND');
    expect(await codeOf(phone.app.revokeDevice(bobs.deviceId))).toBe('DEVICE_NOT_FOUND');
    expect(await server.devices.get(bobs.deviceId)).toMatchObject({ label: "bob's phone" });
    expect((await server.devices.get(bobs.deviceId))?.revokedAt).toBeUndefined();
  });

  it('refuses a bad label or id before any network call', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice', {
      fetch: () => Promise.reject(new Error('no call expected')),
    });
    for (const label of ['', '   ', 'a\nb', 'x'.repeat(65)]) {
      await expect(phone.app.renameDevice(phone.deviceId, label)).rejects.toThrow(TypeError);
    }
    await expect(phone.app.revokeDevice('not-an-id')).rejects.toThrow(TypeError);
  });

  it('revokeDevice(own id) is revoke(): the server revokes it and the seed is deleted', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const keyStore = memoryKeyStore(phone.keys.seed);
    const app = createQrLoginApp({ baseUrl: server.baseUrl, deviceId: phone.deviceId, keyStore });
    await app.revokeDevice(phone.deviceId);
    expect((await server.devices.get(phone.deviceId))?.revokedAt).toEqual(expect.any(Number));
    expect(await keyStore.getSeed()).toBeNull();
  });

  it('awaits beforeSign with the action, and a refusal sends nothing', async () => {
    server = await startServer();
    const actions: string[] = [];
    const phone = await registeredDevice(server, 'alice', {
      beforeSign: ({ action }) => {
        actions.push(action);
        if (action === 'revoke-device') throw new Error('cancelled');
      },
    });
    const other = await registeredDevice(server, 'alice');
    await phone.app.listDevices();
    await phone.app.renameDevice(other.deviceId, 'Other');
    await expect(phone.app.revokeDevice(other.deviceId)).rejects.toThrow('cancelled');
    expect(actions).toEqual(['list-devices', 'rename-device', 'revoke-device']);
    expect((await server.devices.get(other.deviceId))?.revokedAt).toBeUndefined();
  });
});
