/**
 * Turns "keys or a key store, plus an optional gate" into one `sign(fields)` function, so every
 * signed call goes through the same gate and the same key handling.
 */
import { QrLoginError, type SignedAction, type SignedFields } from '@qrlogin/protocol';
import type { DeviceKeys } from './device-keys.js';
import { type KeyStore, loadDeviceKeys } from './key-store.js';
import type { Awaitable } from './platform.js';
import { signFields } from './sign-fields.js';

/** What is about to be signed, for a {@link BeforeSign} gate to decide on or show. */
export interface BeforeSignContext {
  action: SignedAction;
  /** The session concerned (scan, confirm, reject). */
  sessionId?: string;
}

/**
 * Awaited before every signature: a biometric or passcode prompt, typically. Throw (or reject) to
 * refuse; the error reaches the caller unchanged and nothing is signed or sent.
 *
 * @example
 * const beforeSign: BeforeSign = async ({ action }) => {
 *   if (action === 'scan') return; // only gate the decision itself
 *   const { success } = await LocalAuthentication.authenticateAsync({ promptMessage: 'Confirm sign-in' });
 *   if (!success) throw new Error('cancelled');
 * };
 */
export type BeforeSign = (context: BeforeSignContext) => Awaitable<void>;

/** Where the signing key comes from: a key pair in memory, or a key store read at each signature. */
export type KeySource = { keys: DeviceKeys; keyStore?: undefined } | { keyStore: KeyStore; keys?: undefined };

/** Signs canonical fields, returning the base64url signature. */
export type Signer = (fields: SignedFields) => Promise<string>;

/**
 * Builds the signer. With a key store the seed is read for every signature (so a store with its
 * own biometric access control prompts each time) and the derived secret key is wiped afterwards;
 * a store with no seed fails with `DEVICE_NOT_FOUND`.
 *
 * @example
 * const sign = createSigner({ keyStore }, beforeSign);
 * const signature = await sign({ action: 'scan', audience, sessionId, deviceId, timestamp });
 */
export function createSigner(source: KeySource, beforeSign?: BeforeSign): Signer {
  return async (fields) => {
    if (beforeSign) {
      await beforeSign(
        fields.sessionId === undefined
          ? { action: fields.action }
          : { action: fields.action, sessionId: fields.sessionId },
      );
    }
    if (source.keys) return signFields(source.keys, fields);
    const keys = await loadDeviceKeys(source.keyStore);
    if (!keys)
      throw new QrLoginError('DEVICE_NOT_FOUND', 'the key store holds no device key: generate and register one');
    try {
      return signFields(keys, fields);
    } finally {
      // Best effort: JavaScript cannot promise the bytes are gone, but they need not linger here.
      keys.secretKey.fill(0);
      keys.seed.fill(0);
    }
  };
}
