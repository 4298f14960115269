/**
 * The phone's side of the context digest: SHA-512 from tweetnacl (already bundled for signing;
 * Hermes has no WebCrypto digest), over the canonical text of the request the confirm screen shows.
 */
import { contextDigest, contextText, type DisplayedContext } from '@qrlogin/protocol';
import { nacl } from './nacl.js';

/**
 * The digest of what a confirm screen shows (see `docs/protocol.md`, "Context digest and
 * receipts"): base64url of the first 32 bytes of SHA-512 of the request's context text, 43
 * characters. `confirm()` signs it; show its first characters as a fingerprint if you like.
 * Throws `QrLoginError('INVALID_REQUEST')` naming a missing or malformed field.
 *
 * @example
 * import { contextDigestOf } from '@qrlogin/app';
 * const fingerprint = contextDigestOf(request).slice(0, 6);
 */
export function contextDigestOf(request: DisplayedContext): string {
  return contextDigest(contextText(request), nacl.hash);
}
