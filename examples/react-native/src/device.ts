/**
 * The device's qrlogin identity: an Ed25519 key whose seed lives in the platform keychain via
 * expo-secure-store, and the deviceId the server gave it at registration.
 */
import {
  type BeforeSign,
  createQrLoginApp,
  expoSecureStoreKeyStore,
  loadOrCreateDeviceKeys,
  type QrLoginApp,
  registerDevice,
} from '@qrlogin/app';
import * as LocalAuthentication from 'expo-local-authentication';
import * as SecureStore from 'expo-secure-store';
import { hostAuthHeaders, QRLOGIN_BASE_URL, signedInUserId } from './config.js';

// Readable only while the phone is unlocked, and never copied into a backup or to a new phone:
// a restored phone registers a key of its own.
const secureOptions = { keychainAccessible: SecureStore.WHEN_UNLOCKED_THIS_DEVICE_ONLY };
const keyStore = expoSecureStoreKeyStore(SecureStore, { options: secureOptions });
const DEVICE_ID_KEY = 'qrlogin.device-id';

/**
 * Asks for Face ID / fingerprint / passcode before the phone signs an approval. Scans are not
 * gated: the user has not decided anything yet, and a prompt before seeing who is asking would
 * teach them to approve prompts blindly.
 */
const beforeSign: BeforeSign = async ({ action }) => {
  if (action !== 'confirm') return;
  const result = await LocalAuthentication.authenticateAsync({ promptMessage: 'Confirm sign-in' });
  if (!result.success) throw new Error('Sign-in was not confirmed.');
};

/**
 * The app client, registering this device first if it never was (call while the user is signed in
 * to the host app, which vouches for whose device this is).
 */
export async function loadQrLoginApp(): Promise<QrLoginApp> {
  const { keys, created } = await loadOrCreateDeviceKeys(keyStore);
  let deviceId = created ? null : await SecureStore.getItemAsync(DEVICE_ID_KEY, secureOptions);
  if (deviceId === null) {
    ({ deviceId } = await registerDevice({
      baseUrl: QRLOGIN_BASE_URL,
      keys,
      label: 'My phone',
      userId: await signedInUserId(),
      headers: await hostAuthHeaders(),
    }));
    await SecureStore.setItemAsync(DEVICE_ID_KEY, deviceId, secureOptions);
  }
  return createQrLoginApp({ baseUrl: QRLOGIN_BASE_URL, deviceId, keyStore, beforeSign });
}

/** Signs this device out of QR login for good (e.g. from a "remove this phone" setting). */
export async function forgetDevice(app: QrLoginApp): Promise<void> {
  await app.revoke(); // also deletes the seed from the key store
  await SecureStore.deleteItemAsync(DEVICE_ID_KEY, secureOptions);
}
