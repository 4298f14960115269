import { createPublicKey, type KeyObject, verify } from 'node:crypto';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// KeyObjects are cheap to keep and not free to build; devices confirm repeatedly.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 10_000;

function keyObject(publicKey: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(publicKey).toString('base64url');
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(cacheKey, key);
  }
  return key;
}

/**
 * Verifies an Ed25519 signature with Node's native (OpenSSL) implementation, which follows
 * RFC 8032 strictly: it refuses non-canonical `S` (so `S + L` malleated signatures fail), unlike
 * tweetnacl's verify. Runs on the libuv thread pool so verification never blocks the event loop.
 *
 * @example
 * const ok = await verifyEd25519(publicKeyBytes, messageBytes, signatureBytes);
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return Promise.resolve(false);
  return new Promise((resolve) => {
    verify(null, message, keyObject(publicKey), signature, (err, ok) => resolve(!err && ok));
  });
}
