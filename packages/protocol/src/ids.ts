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
/** Login (ledger entry) id: 22 base64url characters, like a session id. */
export const LOGIN_ID_LENGTH = 22;
/** Context digest: 32 bytes as base64url (43 characters). */
export const CONTEXT_DIGEST_LENGTH = 43;
/**
 * Short-code alphabet: digits and upper-case letters without 0/O, 1/I/L and U, so a code read
 * off a TV across a room is typed right. 30 symbols, 8 of them: 30^8 ≈ 6.6 × 10^11 (39.3 bits).
 */
export const SHORT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Symbols in a short code. */
export const SHORT_CODE_LENGTH = 8;
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
/**
 * True when the last symbol of base64url text for whole bytes leaves its unused low bits zero: a
 * key or signature then has exactly one spelling, and a second spelling of the same bytes is
 * refused as malformed (`INVALID_REQUEST`) instead of reaching the crypto.
 */
function canonicalTail(value: string, unusedBits: number): boolean {
  const last = value.charCodeAt(value.length - 1);
  const sextet = last >= 97 ? last - 71 : last >= 65 ? last - 65 : last >= 48 ? last + 4 : last === 45 ? 62 : 63;
  return (sextet & ((1 << unusedBits) - 1)) === 0;
}

/** 32 bytes, canonical base64url (the last symbol's 2 unused bits zero). @example isPublicKeyText(publicKey) */
export function isPublicKeyText(value: unknown): value is string {
  return isToken(value, PUBLIC_KEY_LENGTH) && canonicalTail(value, 2);
}
/** 64 bytes, canonical base64url (the last symbol's 4 unused bits zero). @example isSignatureText(signature) */
export function isSignatureText(value: unknown): value is string {
  return isToken(value, SIGNATURE_LENGTH) && canonicalTail(value, 4);
}
/** @example isLoginId(loginId) */
export function isLoginId(value: unknown): value is string {
  return isToken(value, LOGIN_ID_LENGTH);
}
/** 32 bytes, canonical base64url. @example isContextDigest(digest) */
export function isContextDigest(value: unknown): value is string {
  return isToken(value, CONTEXT_DIGEST_LENGTH) && canonicalTail(value, 2);
}
const SHORT_CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);
/** A short code in its canonical form (see {@link SHORT_CODE_ALPHABET}). @example isShortCode('K7M2Q9RT') // true */
export function isShortCode(value: unknown): value is string {
  return typeof value === 'string' && SHORT_CODE.test(value);
}
/** @example isCode('07') // true */
export function isCode(value: unknown): value is string {
  return typeof value === 'string' && CODE_PATTERN.test(value);
}

/** Longest device label, in UTF-16 code units (what `String.length` counts in every runtime). */
export const MAX_LABEL_LENGTH = 64;

/** What {@link isDeviceLabel} accepts, in words, for error messages. */
export const DEVICE_LABEL_RULE = '1–64 characters without control, bidi-control or line-separator characters';

// C0 and C1 controls (newlines included), DEL, the bidi marks, embeddings, overrides and isolates,
// and the line and paragraph separators: a label is shown on other screens and in logs, where any
// of these could break a line or make "Ana's phone" read as something else.
function forbiddenInLabel(c: number): boolean {
  return (
    c <= 0x1f ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/**
 * A device label: 1–{@link MAX_LABEL_LENGTH} UTF-16 code units of well-formed text (no lone
 * surrogate) with no control, bidi-control or line-separator character. Any script and emoji are fine.
 *
 * @example
 * isDeviceLabel('Ana’s iPhone') // true
 * isDeviceLabel('evil\u202Eenohp') // false
 */
export function isDeviceLabel(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LABEL_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (forbiddenInLabel(c)) return false;
    // A surrogate must be a high one followed by a low one: a lone half has no UTF-8 form.
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}
