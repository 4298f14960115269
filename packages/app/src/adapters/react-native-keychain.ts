/**
 * A {@link KeyStore} on `react-native-keychain` (iOS Keychain / Android Keystore-backed storage).
 * The module is passed in rather than imported, so this package does not depend on it.
 */
import { decodeSeed, encodeSeed, type KeyStore } from '../key-store.js';

/**
 * The three functions of `react-native-keychain` the adapter calls, typed structurally so the
 * real module fits without this package depending on it.
 */
export interface KeychainLike {
  getGenericPassword(options?: KeychainCallOptions): Promise<false | { password: string }>;
  setGenericPassword(username: string, password: string, options?: KeychainCallOptions): Promise<unknown>;
  resetGenericPassword(options?: KeychainCallOptions): Promise<unknown>;
}

/** Options handed to every keychain call: `service` plus whatever the app adds. */
export interface KeychainCallOptions {
  service?: string;
  [option: string]: unknown;
}

/** Options of {@link keychainKeyStore}. */
export interface KeychainKeyStoreOptions {
  /**
   * Keychain service the seed is filed under; keeps it apart from the app's other credentials.
   * @default 'qrlogin.device-seed'
   */
  service?: string;
  /**
   * Extra options for every call, e.g. `{ accessible: Keychain.ACCESSIBLE.WHEN_UNLOCKED_THIS_DEVICE_ONLY }`.
   * Not `accessControl`: the seed is read at scan, which must not prompt; prompt at the decision
   * instead (docs/app.md, "The biometric gate"). `service` is always set from the option above.
   * @default {}
   */
  options?: KeychainCallOptions;
}

/**
 * Stores the device seed with `react-native-keychain` as a generic password (username `qrlogin`).
 *
 * @example
 * import * as Keychain from 'react-native-keychain';
 * const keyStore = keychainKeyStore(Keychain, {
 *   options: { accessible: Keychain.ACCESSIBLE.WHEN_UNLOCKED_THIS_DEVICE_ONLY },
 * });
 */
export function keychainKeyStore(keychain: KeychainLike, options: KeychainKeyStoreOptions = {}): KeyStore {
  // Copied once, so later changes to the caller's object cannot move the seed to another entry.
  const callOptions: KeychainCallOptions = { ...options.options, service: options.service ?? 'qrlogin.device-seed' };
  return {
    async getSeed() {
      const entry = await keychain.getGenericPassword(callOptions);
      return entry === false ? null : decodeSeed(entry.password);
    },
    async setSeed(seed) {
      await keychain.setGenericPassword('qrlogin', encodeSeed(seed), callOptions);
    },
    async deleteSeed() {
      await keychain.resetGenericPassword(callOptions);
    },
  };
}
