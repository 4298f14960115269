/**
 * Where a device's secret lives between app launches. Only the 32-byte seed is stored; the key
 * pair is derived from it once per login request and wiped when the request is over, so the secret
 * sits in JavaScript memory only while a login needs it.
 */
import { decodeBase64Url, encodeBase64Url } from '@qrlogin/protocol';
import {
  type DeviceKeys,
  deviceKeysFromSeed,
  type GenerateDeviceKeysOptions,
  generateDeviceKeys,
  SEED_LENGTH,
} from './device-keys.js';
import type { Awaitable } from './platform.js';

/**
 * Storage for the device key seed. Back it with the platform's secure storage: the package ships
 * adapters for `expo-secure-store` ({@link expoSecureStoreKeyStore}) and `react-native-keychain`
 * ({@link keychainKeyStore}); {@link memoryKeyStore} is for tests. Methods may be synchronous or
 * asynchronous.
 *
 * @example
 * const keyStore: KeyStore = {
 *   getSeed: () => myVault.read('qrlogin'),
 *   setSeed: (seed) => myVault.write('qrlogin', seed),
 *   deleteSeed: () => myVault.remove('qrlogin'),
 * };
 */
export interface KeyStore {
  /**
   * The stored seed, or `null` when none has been stored (or it was deleted). Must not raise an OS
   * prompt: it is read once per login, at scan, and the one prompt of a login belongs to the
   * decision (`beforeSign` for `confirm`; docs/app.md, "The biometric gate").
   */
  getSeed(): Awaitable<Uint8Array | null>;
  /** Stores the seed, replacing any previous one. */
  setSeed(seed: Uint8Array): Awaitable<void>;
  /** Forgets the seed. Does nothing when there is none. */
  deleteSeed(): Awaitable<void>;
}

/**
 * A key store in memory, gone when the process ends. For tests and examples only.
 *
 * @example
 * const keyStore = memoryKeyStore();
 * const keys = await loadOrCreateDeviceKeys(keyStore);
 */
export function memoryKeyStore(initialSeed?: Uint8Array): KeyStore {
  // Copies in and out, so a caller that wipes its array after use cannot corrupt the store.
  let seed: Uint8Array | null = initialSeed ? initialSeed.slice() : null;
  return {
    getSeed: () => (seed ? seed.slice() : null),
    setSeed: (next) => {
      seed = next.slice();
    },
    deleteSeed: () => {
      seed = null;
    },
  };
}

/**
 * Reads the seed from `keyStore` and re-derives the key pair, or returns `null` when the store is
 * empty. Throws a `TypeError` when the store hands back something that is not a 32-byte seed.
 *
 * @example
 * const keys = await loadDeviceKeys(keyStore);
 * if (!keys) navigate('Register');
 */
export async function loadDeviceKeys(keyStore: KeyStore): Promise<DeviceKeys | null> {
  const seed = await keyStore.getSeed();
  return seed === null ? null : deviceKeysFromSeed(seed);
}

/**
 * Returns the stored key pair, or generates one, stores its seed and returns it. `created` tells
 * whether this call made the keys (and so whether the device still has to be registered).
 *
 * @example
 * const { keys, created } = await loadOrCreateDeviceKeys(keyStore);
 * if (created) await registerDevice({ baseUrl, keys, label: 'My phone', userId, headers: authHeaders });
 */
export async function loadOrCreateDeviceKeys(
  keyStore: KeyStore,
  options: GenerateDeviceKeysOptions = {},
): Promise<{ keys: DeviceKeys; created: boolean }> {
  const existing = await loadDeviceKeys(keyStore);
  if (existing) return { keys: existing, created: false };
  const keys = generateDeviceKeys(options);
  await keyStore.setSeed(keys.seed);
  return { keys, created: true };
}

/**
 * The seed as text, for key stores that hold strings (both adapters use it).
 *
 * @example
 * await SecureStore.setItemAsync('qrlogin.seed', encodeSeed(seed));
 */
export function encodeSeed(seed: Uint8Array): string {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH) {
    throw new TypeError(`a device key seed must be a Uint8Array of ${SEED_LENGTH} bytes`);
  }
  return encodeBase64Url(seed);
}

/**
 * Reads a seed written by {@link encodeSeed}; throws a `TypeError` for anything else, so a corrupted
 * entry is noticed instead of silently yielding another key.
 *
 * @example
 * const seed = decodeSeed(await SecureStore.getItemAsync('qrlogin.seed'));
 */
export function decodeSeed(text: string): Uint8Array {
  const seed = typeof text === 'string' ? decodeBase64Url(text) : null;
  if (!seed || seed.length !== SEED_LENGTH) {
    throw new TypeError('the stored device key seed is not 32 bytes of base64url');
  }
  return seed;
}
