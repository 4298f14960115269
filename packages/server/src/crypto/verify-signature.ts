import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { decodeBase64Url } from '@qrlogin/protocol';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// KeyObjects are cheap to keep and not free to build; devices confirm repeatedly. Keyed by the
// key's base64url text as stored, so a hit costs neither a decode nor an import.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 10_000;

function keyObject(publicKey: string): KeyObject | null {
  let key = keyCache.get(publicKey);
  if (!key) {
    const raw = decodeBase64Url(publicKey);
    if (raw?.length !== 32) return null;
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(publicKey, key);
  }
  return key;
}

/**
 * Verifies an Ed25519 signature with Node's native (OpenSSL) implementation, which follows
 * RFC 8032 strictly: it refuses non-canonical `S` (so `S + L` malleated signatures fail), unlike
 * tweetnacl's verify. Runs on the libuv thread pool so verification never blocks the event loop.
 * `publicKey` is the raw key in unpadded base64url (as devices register it); a key that does not
 * decode to 32 bytes verifies nothing.
 *
 * @example
 * const ok = await verifyEd25519(device.publicKey, messageBytes, signatureBytes);
 */
export function verifyEd25519(publicKey: string, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = signature.length === 64 ? keyObject(publicKey) : null;
  if (!key) return Promise.resolve(false);
  return new Promise((resolve) => {
    verify(null, message, key, signature, (err, ok) => resolve(!err && ok));
  });
}
