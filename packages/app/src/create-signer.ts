/**
 * Turns a key pair plus an optional gate into one `sign(fields)` function, so every signed call
 * goes through the same gate.
 */
import { canonicalBytes, encodeBase64Url, type SignedAction, type SignedFields } from '@qrlogin/protocol';
import type { DeviceKeys } from './device-keys.js';
import { importWebCryptoKey, type WebCryptoSign } from './import-web-crypto-key.js';
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
 * refuse; the error reaches the caller unchanged and nothing is signed or sent. Prompt for
 * `confirm` only, so a login asks once, at the decision (docs/app.md, "Biometric gate").
 *
 * @example
 * const beforeSign: BeforeSign = async ({ action }) => {
 *   if (action !== 'confirm') return; // only gate the decision itself
 *   const { success } = await LocalAuthentication.authenticateAsync({ promptMessage: 'Confirm sign-in' });
 *   if (!success) throw new Error('cancelled');
 * };
 */
export type BeforeSign = (context: BeforeSignContext) => Awaitable<void>;

/** Signs canonical fields, returning the base64url signature. */
export type Signer = (fields: SignedFields) => Promise<string>;

/**
 * Builds the signer for a key pair in memory, awaiting `beforeSign` before each signature. (Keys
 * from a store come through {@link borrowDeviceKeys}, once per login request.) Signs with
 * WebCrypto's native Ed25519 where `crypto.subtle` has it (Node >= 20, current browsers), importing
 * the seed once per signer as a non-extractable key, and with tweetnacl elsewhere (Hermes): the
 * signatures are the same bytes either way.
 *
 * @example
 * const sign = createSigner({ keys }, beforeSign);
 * const signature = await sign({ action: 'scan', audience, sessionId, deviceId, timestamp });
 */
export function createSigner({ keys }: { keys: DeviceKeys }, beforeSign?: BeforeSign): Signer {
  let webCrypto: Promise<WebCryptoSign | undefined> | undefined;
  return async (fields) => {
    if (beforeSign) {
      await beforeSign(
        fields.sessionId === undefined
          ? { action: fields.action }
          : { action: fields.action, sessionId: fields.sessionId },
      );
    }
    // Imported at the first signature, after the gate, and kept for the rest of this signer's
    // login request (scan then confirm), as the derived key pair is.
    webCrypto ??= importWebCryptoKey(keys.seed);
    const signWithWebCrypto = await webCrypto;
    // canonicalBytes checks the fields (INVALID_REQUEST) on this path as signFields does on the other.
    if (signWithWebCrypto) return encodeBase64Url(await signWithWebCrypto(canonicalBytes(fields)));
    return signFields(keys, fields);
  };
}
