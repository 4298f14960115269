import { loadOrCreateDeviceKeys } from '@qrlogin/app';
import { describe, expect, it } from 'vitest';
import { localStorageKeyStore, type StorageLike } from './local-storage-key-store.js';

/** `localStorage`'s contract on a Map, for Node. */
function mapStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
    removeItem: (key) => void data.delete(key),
  };
}

describe('localStorageKeyStore', () => {
  it('keeps the seed across page loads, so the same device key comes back', async () => {
    const storage = mapStorage();
    const first = await loadOrCreateDeviceKeys(localStorageKeyStore(storage));
    expect(first.created).toBe(true);
    expect(storage.data.get('qrlogin-demo.seed')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = await loadOrCreateDeviceKeys(localStorageKeyStore(storage));
    expect(second.created).toBe(false);
    expect(second.keys.publicKey).toBe(first.keys.publicKey);
  });

  it('forgets the seed on delete, and refuses a corrupted entry instead of using another key', async () => {
    const storage = mapStorage();
    const store = localStorageKeyStore(storage, 'seed');
    await loadOrCreateDeviceKeys(store);
    await store.deleteSeed();
    expect(await store.getSeed()).toBeNull();
    storage.setItem('seed', 'not-a-seed');
    expect(() => store.getSeed()).toThrow(TypeError);
  });
});
