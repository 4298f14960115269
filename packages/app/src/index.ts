/**
 * @module @qrlogin/app
 *
 * The phone side of qrlogin, for a host's own mobile app (React Native on Hermes, also browsers and
 * Node): device keys on tweetnacl, a key-storage interface with Expo SecureStore and Keychain
 * adapters, device registration, QR parsing that refuses other sites' codes, and signed scan /
 * confirm / reject.
 *
 * @example
 * import 'react-native-get-random-values';
 * import * as SecureStore from 'expo-secure-store';
 * import { createQrLoginApp, expoSecureStoreKeyStore, loadOrCreateDeviceKeys, registerDevice } from '@qrlogin/app';
 *
 * const baseUrl = 'https://example.com/qrlogin';
 * const keyStore = expoSecureStoreKeyStore(SecureStore);
 * const { keys } = await loadOrCreateDeviceKeys(keyStore);
 * const { deviceId } = await registerDevice({ baseUrl, keys, label: 'My phone', userId, headers: authHeaders });
 * const app = createQrLoginApp({ baseUrl, deviceId, keyStore });
 * const request = await app.scan(qrText);
 * await request.confirm();
 */
export {
  type DecisionResponse,
  type ErrorCode,
  isQrLoginError,
  type LoginEndReason,
  type LoginRequest as LoginRequestBody,
  type LoginView,
  type ProximitySignal,
  QrLoginError,
  type QrPayload,
  type ReportResponse,
  type RequesterContext,
  type SessionState,
  type SignedAction,
  type SignedFields,
} from '@qrlogin/protocol';
export {
  type ExpoSecureStoreKeyStoreOptions,
  type ExpoSecureStoreLike,
  expoSecureStoreKeyStore,
} from './adapters/expo-secure-store.js';
export {
  type KeychainCallOptions,
  type KeychainKeyStoreOptions,
  type KeychainLike,
  keychainKeyStore,
} from './adapters/react-native-keychain.js';
export { contextDigestOf } from './context-digest.js';
export { createQrLoginApp, type QrLoginApp, type QrLoginAppOptions } from './create-qr-login-app.js';
export type { BeforeSign, BeforeSignContext } from './create-signer.js';
export {
  type DeviceKeys,
  deviceKeysFromSeed,
  type GenerateDeviceKeysOptions,
  generateDeviceKeys,
  SEED_LENGTH,
} from './device-keys.js';
export {
  decodeSeed,
  encodeSeed,
  type KeyStore,
  loadDeviceKeys,
  loadOrCreateDeviceKeys,
  memoryKeyStore,
} from './key-store.js';
export type { LedgerCalls } from './ledger-calls.js';
export type { LoginRequest, LoginRequestData } from './login-request.js';
export type { FetchInitLike, FetchLike, FetchResponseLike, RandomBytes } from './platform.js';
export { MAX_LABEL_LENGTH, type RegisterDeviceOptions, registerDevice } from './register-device.js';
export { signFields } from './sign-fields.js';
