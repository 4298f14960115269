import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expoSecureStoreKeyStore } from './adapters/expo-secure-store.js';
import { keychainKeyStore } from './adapters/react-native-keychain.js';
import { deviceKeysFromSeed } from './device-keys.js';
import {
  decodeSeed,
  encodeSeed,
  type KeyStore,
  loadDeviceKeys,
  loadOrCreateDeviceKeys,
  memoryKeyStore,
} from './key-store.js';

const random = (n: number) => new Uint8Array(randomBytes(n));

/** An in-memory stand-in with the exact call shape of expo-secure-store. */
function fakeSecureStore() {
  const items = new Map<string, string>();
  const calls: unknown[][] = [];
  return {
    items,
    calls,
    async getItemAsync(key: string, options?: { keychainAccessible?: number }) {
      calls.push(['get', key, options]);
      return items.get(key) ?? null;
    },
    async setItemAsync(key: string, value: string, options?: { keychainAccessible?: number }) {
      calls.push(['set', key, value.length, options]);
      items.set(key, value);
    },
    async deleteItemAsync(key: string, options?: { keychainAccessible?: number }) {
      calls.push(['delete', key, options]);
      items.delete(key);
    },
  };
}

/** An in-memory stand-in with the call shape of react-native-keychain's generic password API. */
function fakeKeychain() {
  const entries = new Map<string, { username: string; password: string }>();
  const calls: unknown[][] = [];
  return {
    entries,
    calls,
    async getGenericPassword(options?: { service?: string }) {
      calls.push(['get', options]);
      const entry = entries.get(options?.service ?? 'default');
      return entry ? { ...entry, service: options?.service ?? 'default', storage: 'KC' } : (false as const);
    },
    async setGenericPassword(username: string, password: string, options?: { service?: string }) {
      calls.push(['set', username, options]);
      entries.set(options?.service ?? 'default', { username, password });
      return { service: options?.service ?? 'default', storage: 'KC' };
    },
    async resetGenericPassword(options?: { service?: string }) {
      calls.push(['reset', options]);
      return entries.delete(options?.service ?? 'default');
    },
  };
}

/** One behaviour every KeyStore must have, run against each implementation. */
function keyStoreContract(name: string, make: () => KeyStore) {
  it(`${name}: stores, re-derives and forgets the seed`, async () => {
    const store = make();
    expect(await store.getSeed()).toBeNull();
    expect(await loadDeviceKeys(store)).toBeNull();
    const first = await loadOrCreateDeviceKeys(store, { randomBytes: random });
    expect(first.created).toBe(true);
    const again = await loadOrCreateDeviceKeys(store, {
      randomBytes: () => {
        throw new Error('must not generate a second key');
      },
    });
    expect(again.created).toBe(false);
    expect(again.keys.publicKey).toBe(first.keys.publicKey);
    await store.deleteSeed();
    expect(await store.getSeed()).toBeNull();
    await store.deleteSeed(); // idempotent
  });
}

describe('key stores', () => {
  keyStoreContract('memoryKeyStore', () => memoryKeyStore());
  keyStoreContract('expoSecureStoreKeyStore', () => expoSecureStoreKeyStore(fakeSecureStore()));
  keyStoreContract('keychainKeyStore', () => keychainKeyStore(fakeKeychain()));

  it('memoryKeyStore hands out copies, so wiping one cannot corrupt the store', async () => {
    const seed = random(32);
    const store = memoryKeyStore(seed);
    seed.fill(0);
    const read = (await store.getSeed())!;
    expect(read.some((b) => b !== 0)).toBe(true);
    read.fill(0);
    expect((await store.getSeed())!.some((b) => b !== 0)).toBe(true);
  });

  it('expo adapter uses one key and passes the SecureStore options through', async () => {
    const secureStore = fakeSecureStore();
    const options = { keychainAccessible: 3 };
    const store = expoSecureStoreKeyStore(secureStore, { key: 'acme.qr-seed', options });
    const seed = random(32);
    await store.setSeed(seed);
    expect([...secureStore.items.keys()]).toEqual(['acme.qr-seed']);
    expect(secureStore.items.get('acme.qr-seed')).toBe(encodeSeed(seed));
    expect(await store.getSeed()).toEqual(seed);
    expect(secureStore.calls.every((call) => call.at(-1) === options)).toBe(true);
    expect(() => expoSecureStoreKeyStore(secureStore, { key: 'bad key!' })).toThrow(TypeError);
  });

  it('keychain adapter files the seed under its own service with the caller options', async () => {
    const keychain = fakeKeychain();
    const store = keychainKeyStore(keychain, { service: 'acme.qr', options: { accessible: 'AfterFirstUnlock' } });
    await store.setSeed(random(32));
    expect([...keychain.entries.keys()]).toEqual(['acme.qr']);
    expect(keychain.calls[0]).toEqual(['set', 'qrlogin', { accessible: 'AfterFirstUnlock', service: 'acme.qr' }]);
  });

  it('a corrupted entry is an error, not a different key', async () => {
    const secureStore = fakeSecureStore();
    secureStore.items.set('qrlogin.device-seed', 'not-a-seed');
    await expect(expoSecureStoreKeyStore(secureStore).getSeed()).rejects.toThrow(TypeError);
    expect(() => decodeSeed(encodeSeed(random(32)).slice(1))).toThrow(TypeError);
    expect(() => encodeSeed(random(16))).toThrow(TypeError);
  });

  it('seed encoding round-trips and the derived key is stable', () => {
    const seed = random(32);
    expect(deviceKeysFromSeed(decodeSeed(encodeSeed(seed))).publicKey).toBe(deviceKeysFromSeed(seed).publicKey);
  });
});
