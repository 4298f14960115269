/**
 * Gets the signing key for one login request: the caller's key pair as it is, or the key pair
 * derived once from a key store's seed and wiped when the request is done with it.
 */
import { QrLoginError } from '@qrlogin/protocol';
import type { DeviceKeys } from './device-keys.js';
import { type KeyStore, loadDeviceKeys } from './key-store.js';

/** Where the signing key comes from: a key pair in memory, or a key store. */
export type KeySource = { keys: DeviceKeys; keyStore?: undefined } | { keyStore: KeyStore; keys?: undefined };

/** A key pair lent for one login request; call `release` once nothing more will be signed. */
export interface BorrowedDeviceKeys {
  readonly keys: DeviceKeys;
  /** Wipes a key pair derived from a store (a caller's own key pair is left alone). Idempotent. */
  release(): void;
}

/**
 * Reads the seed (one non-prompting {@link KeyStore.getSeed}) and derives the key pair once, so a
 * scan and the confirm that follows share one derivation (~20 ms on Hermes each time it is done).
 * A store with no seed fails with `DEVICE_NOT_FOUND`.
 *
 * @example
 * const { keys, release } = await borrowDeviceKeys({ keyStore });
 * try { sign(keys) } finally { release() }
 */
export async function borrowDeviceKeys(source: KeySource): Promise<BorrowedDeviceKeys> {
  if (source.keys) return { keys: source.keys, release: () => {} };
  const keys = await loadDeviceKeys(source.keyStore);
  if (!keys) throw new QrLoginError('DEVICE_NOT_FOUND', 'the key store holds no device key: generate and register one');
  return {
    keys,
    release() {
      // Best effort: JavaScript cannot promise the bytes are gone, but they need not linger here.
      keys.secretKey.fill(0);
      keys.seed.fill(0);
    },
  };
}
