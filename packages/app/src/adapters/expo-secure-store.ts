/**
 * A {@link KeyStore} on `expo-secure-store` (iOS Keychain / Android Keystore). The module is passed
 * in rather than imported, so this package does not depend on Expo.
 */
import { decodeSeed, encodeSeed, type KeyStore } from '../key-store.js';

/**
 * The three functions of `expo-secure-store` the adapter calls, typed structurally so the real
 * module fits without this package depending on it.
 */
export interface ExpoSecureStoreLike<Options = unknown> {
  getItemAsync(key: string, options?: Options): Promise<string | null>;
  setItemAsync(key: string, value: string, options?: Options): Promise<void>;
  deleteItemAsync(key: string, options?: Options): Promise<void>;
}

/** Options of {@link expoSecureStoreKeyStore}. */
export interface ExpoSecureStoreKeyStoreOptions<Options = unknown> {
  /**
   * Entry name (letters, digits, `.`, `-`, `_` — the characters SecureStore accepts).
   * @default 'qrlogin.device-seed'
   */
  key?: string;
  /**
   * Passed to every SecureStore call, e.g. `{ keychainAccessible: SecureStore.WHEN_UNLOCKED_THIS_DEVICE_ONLY }`
   * so the seed never leaves the device in a backup. Not `requireAuthentication`: the seed is read
   * at scan, which must not prompt; prompt at the decision instead (docs/app.md, "The biometric gate").
   * @default undefined
   */
  options?: Options;
}

/**
 * Stores the device seed with `expo-secure-store`, base64url-encoded under one key.
 *
 * @example
 * import * as SecureStore from 'expo-secure-store';
 * const keyStore = expoSecureStoreKeyStore(SecureStore, {
 *   options: { keychainAccessible: SecureStore.WHEN_UNLOCKED_THIS_DEVICE_ONLY },
 * });
 */
export function expoSecureStoreKeyStore<Options = unknown>(
  secureStore: ExpoSecureStoreLike<Options>,
  options: ExpoSecureStoreKeyStoreOptions<Options> = {},
): KeyStore {
  const key = options.key ?? 'qrlogin.device-seed';
  if (!/^[\w.-]+$/.test(key)) throw new TypeError('key must contain only letters, digits, ".", "-" and "_"');
  const storeOptions = options.options;
  return {
    async getSeed() {
      const text = await secureStore.getItemAsync(key, storeOptions);
      return text === null ? null : decodeSeed(text);
    },
    setSeed: (seed) => secureStore.setItemAsync(key, encodeSeed(seed), storeOptions),
    deleteSeed: () => secureStore.deleteItemAsync(key, storeOptions),
  };
}
