import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeviceKeys, deviceKeysFromSeed, generateDeviceKeys, registerDevice } from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import { AUTH, startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const newKeys = () => generateDeviceKeys({ randomBytes: (n) => new Uint8Array(randomBytes(n)) });

describe('registerDevice against the real server', () => {
  it('registers the key for the user the host authenticates', async () => {
    const keys = newKeys();
    const { deviceId } = await registerDevice({
      baseUrl: server.baseUrl,
      keys,
      label: 'Ana’s phone',
      userId: 'alice',
      headers: AUTH.alice,
    });
    const record = await server.devices.get(deviceId);
    expect(record).toMatchObject({ id: deviceId, userId: 'alice', publicKey: keys.publicKey, label: 'Ana’s phone' });
    expect(record?.revokedAt).toBeUndefined();
  });

  it('is refused without the host’s credentials, storing nothing', async () => {
    const keys = newKeys();
    expect(await codeOf(registerDevice({ baseUrl: server.baseUrl, keys, label: 'x', userId: 'alice' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await codeOf(
        registerDevice({
          baseUrl: server.baseUrl,
          keys,
          label: 'x',
          userId: 'alice',
          headers: { authorization: 'Bearer forged' },
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('refuses the same key twice (DEVICE_EXISTS), keeping the first registration', async () => {
    const keys = newKeys();
    await registerDevice({ baseUrl: server.baseUrl, keys, label: 'first', userId: 'alice', headers: AUTH.alice });
    expect(
      await codeOf(registerDevice({ baseUrl: server.baseUrl, keys, label: 'again', userId: 'bob', headers: AUTH.bob })),
    ).toBe('DEVICE_EXISTS');
    expect(await server.devices.listByUser('bob')).toEqual([]);
    expect((await server.devices.listByUser('alice')).map((d) => d.label)).toEqual(['first']);
  });

  it('is safe to retry: the same key for the same user returns the same deviceId (a lost response orphans nothing)', async () => {
    const keys = newKeys();
    const first = await registerDevice({
      baseUrl: server.baseUrl,
      keys,
      label: 'p',
      userId: 'alice',
      headers: AUTH.alice,
    });
    const again = await registerDevice({
      baseUrl: server.baseUrl,
      keys,
      label: 'p',
      userId: 'alice',
      headers: AUTH.alice,
    });
    expect(again).toEqual(first);
    expect(await server.devices.listByUser('alice')).toHaveLength(1);
  });

  it('signs the account: a userId other than the one the host authenticates is refused (SIGNATURE_INVALID)', async () => {
    const keys = newKeys();
    expect(
      await codeOf(registerDevice({ baseUrl: server.baseUrl, keys, label: 'x', userId: 'bob', headers: AUTH.alice })),
    ).toBe('SIGNATURE_INVALID');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('needs proof of possession: a public key signed by another key is refused', async () => {
    const mine = newKeys();
    const victim = newKeys();
    const forged: DeviceKeys = { ...mine, publicKey: victim.publicKey };
    expect(
      await codeOf(
        registerDevice({ baseUrl: server.baseUrl, keys: forged, label: 'x', userId: 'alice', headers: AUTH.alice }),
      ),
    ).toBe('SIGNATURE_INVALID');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('refuses a signature made for another server (audience binding)', async () => {
    const keys = newKeys();
    const other = await startServer();
    try {
      // Signed for `other`'s origin, sent to `server`: the bytes differ, so the signature fails.
      const redirect = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
        fetch(url.replace(other.origin, server.origin), init);
      expect(
        await codeOf(
          registerDevice({
            baseUrl: other.baseUrl,
            keys,
            label: 'x',
            userId: 'alice',
            headers: AUTH.alice,
            fetch: redirect,
          }),
        ),
      ).toBe('SIGNATURE_INVALID');
      expect(await server.devices.listByUser('alice')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses a stale proof (TIMESTAMP_SKEW)', async () => {
    const keys = newKeys();
    const now = () => Date.now() - 10 * 60_000;
    expect(
      await codeOf(
        registerDevice({ baseUrl: server.baseUrl, keys, label: 'x', userId: 'alice', headers: AUTH.alice, now }),
      ),
    ).toBe('TIMESTAMP_SKEW');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('refuses a small-order public key (KEY_INVALID) even with a valid-looking body', async () => {
    // The identity point: a "public key" any signature verifies against with naive verifiers.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const keys: DeviceKeys = {
      ...deviceKeysFromSeed(new Uint8Array(randomBytes(32))),
      publicKey: Buffer.from(identity).toString('base64url'),
    };
    expect(
      await codeOf(registerDevice({ baseUrl: server.baseUrl, keys, label: 'x', userId: 'alice', headers: AUTH.alice })),
    ).toBe('KEY_INVALID');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const closed = await startServer();
    const baseUrl = closed.baseUrl;
    await closed.close();
    expect(
      await codeOf(registerDevice({ baseUrl, keys: newKeys(), label: 'x', userId: 'alice', headers: AUTH.alice })),
    ).toBe('NETWORK_ERROR');
  });
});
