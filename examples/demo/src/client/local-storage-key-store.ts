/**
 * A {@link KeyStore} on `localStorage`, for the phone simulator only. A real app keeps the seed in
 * the platform keychain (`expoSecureStoreKeyStore`, `keychainKeyStore`): `localStorage` is
 * readable by any script on the origin and is not encrypted at rest.
 */
import { decodeSeed, encodeSeed, type KeyStore } from '@qrlogin/app';

/** The part of the Web Storage API the key store uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Keeps the device key seed under `key` in `storage`, as base64url text.
 *
 * @example
 * const keyStore = localStorageKeyStore(window.localStorage);
 * const { keys, created } = await loadOrCreateDeviceKeys(keyStore);
 */
export function localStorageKeyStore(storage: StorageLike, key = 'qrlogin-demo.seed'): KeyStore {
  return {
    getSeed: () => {
      const text = storage.getItem(key);
      return text === null ? null : decodeSeed(text);
    },
    setSeed: (seed) => storage.setItem(key, encodeSeed(seed)),
    deleteSeed: () => storage.removeItem(key),
  };
}
