/**
 * The one place a device signature is made.
 */
import { canonicalBytes, encodeBase64Url, type SignedFields } from '@qrlogin/protocol';
import type { DeviceKeys } from './device-keys.js';
import { nacl } from './nacl.js';

/**
 * Signs the canonical bytes of `fields` (the same bytes the server rebuilds and verifies) and
 * returns the base64url Ed25519 signature. Throws `QrLoginError('INVALID_REQUEST')` when a field
 * has the wrong format for its action. Deterministic: the same keys and fields always give the
 * same signature, which is how the published test vector is checked.
 *
 * @example
 * const signature = signFields(keys, {
 *   action: 'confirm', audience: 'https://example.com', sessionId, challenge, deviceId, timestamp: Date.now(),
 * });
 */
export function signFields(keys: DeviceKeys, fields: SignedFields): string {
  return encodeBase64Url(nacl.sign.detached(canonicalBytes(fields), keys.secretKey));
}
