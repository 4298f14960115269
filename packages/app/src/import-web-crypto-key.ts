/**
 * Ed25519 signing through WebCrypto where the platform has it (Node >= 20, current browsers):
 * OpenSSL or the browser's native code signs in ~0.1 ms where tweetnacl's pure JavaScript takes
 * ~10 ms in V8. Hermes has no `crypto.subtle`, so React Native keeps tweetnacl.
 */
import { decodeBase64Url } from '@qrlogin/protocol';
import { platformGlobals, type SubtleEd25519Like } from './platform.js';

/** Signs a message with one imported key, returning the 64-byte Ed25519 signature. */
export type WebCryptoSign = (message: Uint8Array) => Promise<Uint8Array>;

/** DER header of a PKCS#8 Ed25519 private key (RFC 8410); the 32-byte seed follows it. */
const PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
const ED25519 = { name: 'Ed25519' } as const;
/**
 * Known answer: tweetnacl's signature of the empty message under the seed 00 01 … 1f (checked
 * against tweetnacl in import-web-crypto-key.test.ts). Ed25519 is deterministic, so a platform
 * that gives other bytes signs differently from tweetnacl and is not used.
 */
const KNOWN_SIGNATURE = 'nKU1eVMGVNXD33cInvRe2mE-L-32cOlr7axGOVBOWEXvS5XVeTB3Iz3RaBeyUy6cVSWHKnOkrXS3WTaangXBAg';

/** One check per `SubtleCrypto` object, so the known-answer test runs once per platform. */
const checked = new WeakMap<SubtleEd25519Like, Promise<boolean>>();

async function importSeed(subtle: SubtleEd25519Like, seed: Uint8Array): Promise<unknown> {
  const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + seed.length);
  pkcs8.set(PKCS8_PREFIX);
  pkcs8.set(seed, PKCS8_PREFIX.length);
  try {
    // Non-extractable: the seed cannot be read back out of the CryptoKey.
    return await subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign']);
  } finally {
    // Best effort, as for the derived key pair: this copy of the seed need not linger.
    pkcs8.fill(0);
  }
}

async function signsLikeTweetnacl(subtle: SubtleEd25519Like): Promise<boolean> {
  try {
    const key = await importSeed(
      subtle,
      Uint8Array.from({ length: 32 }, (_, i) => i),
    );
    const signature = new Uint8Array(await subtle.sign(ED25519, key, new Uint8Array(0)));
    const expected = decodeBase64Url(KNOWN_SIGNATURE);
    return expected !== null && signature.length === expected.length && signature.every((b, i) => b === expected[i]);
  } catch {
    // No Ed25519 here (older browsers reject the algorithm name with NotSupportedError).
    return false;
  }
}

/**
 * Imports a 32-byte Ed25519 seed into WebCrypto as a non-extractable key and returns a signer for
 * it, or `undefined` when there is no `crypto.subtle` (Hermes), it refuses Ed25519, or its
 * signatures differ from tweetnacl's: the caller then signs with tweetnacl. `subtle` is read at
 * call time, never at import time.
 *
 * @example
 * const sign = await importWebCryptoKey(keys.seed);
 * const signature = sign ? await sign(message) : nacl.sign.detached(message, keys.secretKey);
 */
export async function importWebCryptoKey(
  seed: Uint8Array,
  subtle: SubtleEd25519Like | undefined = platformGlobals().crypto?.subtle,
): Promise<WebCryptoSign | undefined> {
  if (!subtle || typeof subtle.importKey !== 'function' || typeof subtle.sign !== 'function') return undefined;
  let works = checked.get(subtle);
  if (!works) {
    works = signsLikeTweetnacl(subtle);
    checked.set(subtle, works);
  }
  if (!(await works)) return undefined;
  // A seed WebCrypto will not take (not 32 bytes) goes to tweetnacl, which fails as it always did.
  const key = await importSeed(subtle, seed).catch(() => undefined);
  if (key === undefined) return undefined;
  return async (message) => new Uint8Array(await subtle.sign(ED25519, key, message));
}
