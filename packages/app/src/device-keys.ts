/**
 * Device keys: the Ed25519 key pair that signs a phone's scan, confirm and reject. Built on
 * `tweetnacl`, which is pure JavaScript and so runs on Hermes, where there is no `crypto.subtle`.
 */
import { encodeBase64Url, QrLoginError } from '@qrlogin/protocol';
import { nacl } from './nacl.js';
import type { RandomBytes } from './platform.js';
import { resolveRandomBytes } from './rng.js';

/** Bytes in an Ed25519 seed, the one secret a {@link KeyStore} keeps. */
export const SEED_LENGTH = 32;

/**
 * A device's Ed25519 key pair. `seed` and `secretKey` are secrets: keep them in a {@link KeyStore}
 * (the platform keychain), never in logs, analytics or plain storage.
 */
export interface DeviceKeys {
  /** base64url Ed25519 public key (32 bytes), as registered with the server. */
  readonly publicKey: string;
  /** The 32-byte seed the pair is derived from; this is what gets stored. */
  readonly seed: Uint8Array;
  /** tweetnacl's 64-byte signing key (seed followed by public key). */
  readonly secretKey: Uint8Array;
}

/** Options of {@link generateDeviceKeys}. */
export interface GenerateDeviceKeysOptions {
  /**
   * Secure random source, e.g. `getRandomBytes` from `expo-crypto`.
   * @default `globalThis.crypto.getRandomValues` (installed on React Native by `react-native-get-random-values`)
   */
  randomBytes?: RandomBytes;
}

/**
 * Re-derives the key pair from a stored 32-byte seed. Ed25519 is deterministic, so the same seed
 * always gives the same keys.
 *
 * @example
 * const keys = deviceKeysFromSeed(seed);
 * keys.publicKey // 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg' for the seed 00 01 … 1f
 */
export function deviceKeysFromSeed(seed: Uint8Array): DeviceKeys {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH) {
    throw new TypeError(`a device key seed must be a Uint8Array of ${SEED_LENGTH} bytes`);
  }
  const pair = nacl.sign.keyPair.fromSeed(seed);
  return Object.freeze({
    publicKey: encodeBase64Url(pair.publicKey),
    seed: pair.secretKey.slice(0, SEED_LENGTH),
    secretKey: pair.secretKey,
  });
}

/**
 * Makes a new device key pair from a secure random source. Throws
 * `QrLoginError('NO_SECURE_RANDOM')` when there is none; it never falls back to `Math.random`.
 *
 * The source is also handed to tweetnacl (`nacl.setPRNG`) here, at first use rather than at import
 * time: tweetnacl looks for `crypto` only while it is being imported, so on React Native it would
 * otherwise depend on `react-native-get-random-values` having been imported first.
 *
 * @example
 * import 'react-native-get-random-values';
 * const keys = generateDeviceKeys();
 * await keyStore.setSeed(keys.seed);
 */
export function generateDeviceKeys(options: GenerateDeviceKeysOptions = {}): DeviceKeys {
  const random = resolveRandomBytes(options.randomBytes);
  nacl.setPRNG((target, length) => {
    target.set(random(length));
  });
  const seed = nacl.randomBytes(SEED_LENGTH);
  // A broken polyfill that hands back zeros would make every phone share one key.
  if (seed.every((byte) => byte === 0)) {
    throw new QrLoginError('NO_SECURE_RANDOM', 'the random source returned only zero bytes');
  }
  return deviceKeysFromSeed(seed);
}
