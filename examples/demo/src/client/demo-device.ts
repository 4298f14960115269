/**
 * The simulated phone's device: its key (kept in a {@link KeyStore}), its registration with the
 * site (once, on first visit), and the `@qrlogin/app` client built on both.
 */
import {
  createQrLoginApp,
  isQrLoginError,
  type KeyStore,
  loadOrCreateDeviceKeys,
  type QrLoginApp,
  registerDevice,
} from '@qrlogin/app';
import type { StorageLike } from './local-storage-key-store.js';

/** Options of {@link setUpDevice}. */
export interface SetUpDeviceOptions {
  /** e.g. `http://localhost:3000/qrlogin`. */
  baseUrl: string;
  keyStore: KeyStore;
  /** Where the (public) device id is remembered next to the key. */
  storage: StorageLike;
  /** Shown in the user's device list. */
  label: string;
  /** Who the phone is signed in to the app as: the id the server's `authenticate` hook returns. */
  userId: string;
  /** Forget any stored key and device id first (after the server lost or revoked the device). */
  fresh?: boolean;
}

const DEVICE_ID_KEY = 'qrlogin-demo.deviceId';

/**
 * Returns the app client for this phone, generating and registering a device key the first time.
 * Registration goes to `POST /qrlogin/devices` with the browser's cookies, which carry the
 * demo's app sign-in for the server's `authenticate` hook.
 *
 * @example
 * const app = await setUpDevice({ baseUrl, keyStore, storage: localStorage, label: 'Demo phone', userId });
 * const request = await app.scan(qrText);
 */
export async function setUpDevice(options: SetUpDeviceOptions): Promise<{ app: QrLoginApp; registered: boolean }> {
  const { baseUrl, keyStore, storage, label, userId } = options;
  if (options.fresh) {
    await keyStore.deleteSeed();
    storage.removeItem(DEVICE_ID_KEY);
  }
  let { keys, created } = await loadOrCreateDeviceKeys(keyStore);
  let deviceId = storage.getItem(DEVICE_ID_KEY);
  if (created || deviceId === null) {
    try {
      // Registering a key again answers its existing id, so a lost id (storage partly cleared) is recovered.
      ({ deviceId } = await registerDevice({ baseUrl, keys, label, userId }));
    } catch (error) {
      // The key is registered to another account (the app user changed): start with a new key.
      if (!isQrLoginError(error) || error.code !== 'DEVICE_EXISTS') throw error;
      await keyStore.deleteSeed();
      ({ keys, created } = await loadOrCreateDeviceKeys(keyStore));
      ({ deviceId } = await registerDevice({ baseUrl, keys, label, userId }));
    }
    storage.setItem(DEVICE_ID_KEY, deviceId);
    return { app: createQrLoginApp({ baseUrl, deviceId, keyStore }), registered: true };
  }
  return { app: createQrLoginApp({ baseUrl, deviceId, keyStore }), registered: false };
}
