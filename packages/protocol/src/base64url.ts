/**
 * base64url without padding, written out by hand because React Native's Hermes has neither
 * `Buffer` nor, in older versions, `atob` / `btoa`.
 */

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Value of each ASCII character code, -1 outside the alphabet: a typed-array read per character
// instead of a string-keyed property lookup (signatures and keys are decoded on every request).
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARS.length; i++) LOOKUP[CHARS.charCodeAt(i)] = i;

/**
 * Encodes bytes as base64url without padding.
 *
 * @example
 * encodeBase64Url(new Uint8Array([255, 255])) // '__8'
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += CHARS.charAt(n >> 18) + CHARS.charAt((n >> 12) & 63) + CHARS.charAt((n >> 6) & 63) + CHARS.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += CHARS.charAt(n >> 18) + CHARS.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += CHARS.charAt(n >> 18) + CHARS.charAt((n >> 12) & 63) + CHARS.charAt((n >> 6) & 63);
  }
  return out;
}

/**
 * Decodes unpadded base64url. Returns `null` for anything that is not canonical base64url
 * (wrong characters, impossible length, non-zero trailing bits), so one byte string has exactly
 * one text form — a signature cannot be re-encoded into a second accepted spelling.
 *
 * @example
 * decodeBase64Url('__8') // Uint8Array [255, 255]
 */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] as number) : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) return null;
  return out;
}
