/**
 * The device's secrets in the iOS Keychain / Android Keystore through react-native-keychain: the
 * key seed (read without a prompt, once per login, at scan), the deviceId, and a prompt-protected
 * entry read at Confirm, which is the one biometric prompt of a login.
 */
import { type BeforeSign, keychainKeyStore } from '@qrlogin/app';
import type { DeviceIdStore } from '@qrlogin/app/react';
import * as Keychain from 'react-native-keychain';

// Readable only while the phone is unlocked, never in a backup or on a new phone.
const accessible = Keychain.ACCESSIBLE.WHEN_UNLOCKED_THIS_DEVICE_ONLY;
const GATE = 'qrlogin.confirm-gate';

export const keyStore = keychainKeyStore(Keychain, { options: { accessible } });

export const deviceIdStore: DeviceIdStore = {
  async get() {
    const entry = await Keychain.getGenericPassword({ service: 'qrlogin.device-id' });
    return entry === false ? null : entry.password;
  },
  async set(deviceId) {
    await Keychain.setGenericPassword('qrlogin', deviceId, { service: 'qrlogin.device-id', accessible });
    // The gate entry: the OS asks for Face ID / fingerprint / passcode whenever it is read.
    await Keychain.setGenericPassword('qrlogin', '1', {
      service: GATE,
      accessible,
      accessControl: Keychain.ACCESS_CONTROL.BIOMETRY_CURRENT_SET_OR_DEVICE_PASSCODE,
    });
  },
};

/** One prompt per login, at Confirm; scans and rejects are not gated. */
export const beforeSign: BeforeSign = async ({ action }) => {
  if (action !== 'confirm') return;
  const entry = await Keychain.getGenericPassword({
    service: GATE,
    authenticationPrompt: { title: 'Confirm sign-in' },
  });
  if (entry === false) throw new Error('Sign-in was not confirmed.');
};
