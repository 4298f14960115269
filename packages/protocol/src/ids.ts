/**
 * Formats of every id and secret on the wire. All are URL-safe base64 alphabet strings (what
 * `nanoid` and base64url produce), so they can sit in paths and in the signed message without
 * escaping. The server makes every id; a client-chosen id is refused by these checks.
 */

const ALPHABET = /^[A-Za-z0-9_-]+$/;

/** Session id length: 22 symbols of a 64-symbol alphabet = 132 bits. */
export const SESSION_ID_LENGTH = 22;
/** Browser secret length: 43 symbols = 258 bits. */
export const BROWSER_SECRET_LENGTH = 43;
/** Challenge length: 43 symbols = 258 bits. */
export const CHALLENGE_LENGTH = 43;
/** Device id length: 22 symbols = 132 bits. */
export const DEVICE_ID_LENGTH = 22;
/** Ed25519 public key: 32 bytes, base64url without padding. */
export const PUBLIC_KEY_LENGTH = 43;
/** Ed25519 signature: 64 bytes, base64url without padding. */
export const SIGNATURE_LENGTH = 86;
/** Number-matching code: two decimal digits. */
export const CODE_PATTERN = /^[0-9]{2}$/;

function isToken(value: unknown, length: number): value is string {
  return typeof value === 'string' && value.length === length && ALPHABET.test(value);
}

/** @example isSessionId('V1StGXR8_Z5jdHi6B-myT0') // true */
export function isSessionId(value: unknown): value is string {
  return isToken(value, SESSION_ID_LENGTH);
}
/** @example isBrowserSecret(secret) */
export function isBrowserSecret(value: unknown): value is string {
  return isToken(value, BROWSER_SECRET_LENGTH);
}
/** @example isChallenge(challenge) */
export function isChallenge(value: unknown): value is string {
  return isToken(value, CHALLENGE_LENGTH);
}
/** @example isDeviceId(deviceId) */
export function isDeviceId(value: unknown): value is string {
  return isToken(value, DEVICE_ID_LENGTH);
}
/** @example isPublicKeyText(publicKey) */
export function isPublicKeyText(value: unknown): value is string {
  return isToken(value, PUBLIC_KEY_LENGTH);
}
/** @example isSignatureText(signature) */
export function isSignatureText(value: unknown): value is string {
  return isToken(value, SIGNATURE_LENGTH);
}
/** @example isCode('07') // true */
export function isCode(value: unknown): value is string {
  return typeof value === 'string' && CODE_PATTERN.test(value);
}
