/**
 * The alternative to expo-secure-store for bare React Native apps: the same key store on
 * `react-native-keychain`. Swap it in for `keyStore` in device.ts.
 */
import { type KeyStore, keychainKeyStore } from '@qrlogin/app';
import * as Keychain from 'react-native-keychain';

/**
 * The seed under its own keychain service, readable only on this unlocked device; with
 * `accessControl: BIOMETRY_CURRENT_SET` every signature would also need Face ID / fingerprint.
 */
export const keychainStore: KeyStore = keychainKeyStore(Keychain, {
  service: 'com.example.qrlogin-seed',
  options: { accessible: Keychain.ACCESSIBLE.WHEN_UNLOCKED_THIS_DEVICE_ONLY },
});
