/**
 * The server's side of the context digest: the text and digest of the login request it sends at
 * scan, hashed with node:crypto (the phone hashes the same text with tweetnacl).
 */
import { createHash } from 'node:crypto';
import { contextDigest, contextText, type DisplayedContext } from '@qrlogin/protocol';

const sha512 = (bytes: Uint8Array): Uint8Array => createHash('sha512').update(bytes).digest();

/**
 * The digest of a context text, or of the text of a displayed context: what a version 3 confirm
 * signs in its `ctx` line. Throws `QrLoginError('INVALID_REQUEST')` for a malformed context.
 *
 * @example
 * const request = await scan(); // a LoginRequest
 * contextDigestOf(request) // 'eL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE' for the published vector
 */
export function contextDigestOf(context: DisplayedContext | string): string {
  return contextDigest(typeof context === 'string' ? context : contextText(context), sha512);
}
