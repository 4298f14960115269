import { randomBytes } from 'node:crypto';
import { canonicalBytes, encodeBase64Url, SIGNING_TEST_VECTOR as V } from '@qrlogin/protocol';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSigner } from './create-signer.js';
import { deviceKeysFromSeed } from './device-keys.js';
import { importWebCryptoKey } from './import-web-crypto-key.js';
import type { SubtleEd25519Like } from './platform.js';

const seedOf = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const realSubtle = globalThis.crypto.subtle as unknown as SubtleEd25519Like;

/** A subtle whose Ed25519 is missing, as in browsers before 2025 and Node before 18.4. */
function subtleWithoutEd25519(): SubtleEd25519Like {
  return {
    importKey: vi.fn(async () => {
      throw new DOMException('Unrecognized algorithm name', 'NotSupportedError');
    }),
    sign: vi.fn(async () => new ArrayBuffer(64)),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('importWebCryptoKey', () => {
  it('signs the protocol test vector with the same bytes as tweetnacl (Node 20 WebCrypto)', async () => {
    const sign = await importWebCryptoKey(seedOf(V.seedHex), realSubtle);
    expect(sign).toBeDefined();
    const signature = await sign!(canonicalBytes(V.fields));
    expect(encodeBase64Url(signature)).toBe(V.signature);
    expect(signature).toEqual(
      nacl.sign.detached(canonicalBytes(V.fields), deviceKeysFromSeed(seedOf(V.seedHex)).secretKey),
    );
  });

  it('gives tweetnacl’s bytes for random seeds and messages', async () => {
    for (let i = 0; i < 8; i++) {
      const seed = new Uint8Array(randomBytes(32));
      const message = new Uint8Array(randomBytes(i * 37));
      const sign = await importWebCryptoKey(seed, realSubtle);
      expect(await sign!(message)).toEqual(nacl.sign.detached(message, nacl.sign.keyPair.fromSeed(seed).secretKey));
    }
  });

  it('returns undefined when subtle refuses Ed25519, and checks a platform only once', async () => {
    const subtle = subtleWithoutEd25519();
    expect(await importWebCryptoKey(seedOf(V.seedHex), subtle)).toBeUndefined();
    expect(await importWebCryptoKey(seedOf(V.seedHex), subtle)).toBeUndefined();
    expect(subtle.importKey).toHaveBeenCalledTimes(1);
    expect(subtle.sign).not.toHaveBeenCalled();
  });

  it('returns undefined when subtle’s Ed25519 signs other bytes than tweetnacl', async () => {
    const subtle: SubtleEd25519Like = {
      importKey: (...args) => realSubtle.importKey(...args),
      sign: async (...args) => {
        const signature = new Uint8Array(await realSubtle.sign(...args));
        signature[0] = (signature[0] ?? 0) ^ 1;
        return signature.buffer;
      },
    };
    expect(await importWebCryptoKey(seedOf(V.seedHex), subtle)).toBeUndefined();
  });

  it('returns undefined without crypto.subtle (Hermes with react-native-get-random-values)', async () => {
    vi.stubGlobal('crypto', { getRandomValues: (array: Uint8Array) => array });
    expect(await importWebCryptoKey(seedOf(V.seedHex))).toBeUndefined();
  });

  it('imports a non-extractable key', async () => {
    const importKey = vi.spyOn(realSubtle, 'importKey');
    await importWebCryptoKey(seedOf(V.seedHex), realSubtle);
    const key = (await importKey.mock.results.at(-1)?.value) as { extractable: boolean; usages: string[] };
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
  });
});

describe('createSigner', () => {
  const keys = deviceKeysFromSeed(seedOf(V.seedHex));

  it('signs through crypto.subtle where it has Ed25519, importing the key once per signer', async () => {
    const subtle = globalThis.crypto.subtle;
    const importKey = vi.spyOn(subtle, 'importKey');
    const sign = vi.spyOn(subtle, 'sign');
    const signer = createSigner({ keys });
    expect(await signer(V.fields)).toBe(V.signature);
    const importsAfterFirst = importKey.mock.calls.length;
    expect(importsAfterFirst).toBeGreaterThan(0);
    const reject = { ...V.fields, action: 'reject' as const, code: undefined, contextDigest: undefined };
    expect(await signer(reject)).toBe(encodeBase64Url(nacl.sign.detached(canonicalBytes(reject), keys.secretKey)));
    expect(importKey).toHaveBeenCalledTimes(importsAfterFirst);
    const signed = sign.mock.calls.map(([, , data]) => new TextDecoder().decode(data as Uint8Array));
    expect(signed).toContain(new TextDecoder().decode(canonicalBytes(V.fields)));
    // The confirm in version 3 (with its context digest), the reject in version 1.
    expect(signed.filter((text) => text.startsWith('qrlogin-signature-v3\naction:confirm'))).toHaveLength(1);
    expect(signed.filter((text) => text.startsWith('qrlogin-signature-v1\naction:reject'))).toHaveLength(1);
    // The PKCS#8 copy of the seed handed to importKey is wiped once imported.
    const pkcs8 = importKey.mock.calls.at(-1)?.[1] as Uint8Array;
    expect(pkcs8.every((byte) => byte === 0)).toBe(true);
  });

  it('falls back to tweetnacl, with the same signature, when crypto.subtle refuses Ed25519', async () => {
    const subtle = subtleWithoutEd25519();
    vi.stubGlobal('crypto', { getRandomValues: (array: Uint8Array) => array, subtle });
    expect(await createSigner({ keys })(V.fields)).toBe(V.signature);
    expect(subtle.importKey).toHaveBeenCalled();
    expect(subtle.sign).not.toHaveBeenCalled();
  });

  it('refuses malformed fields with INVALID_REQUEST on the WebCrypto path too', async () => {
    await expect(createSigner({ keys })({ ...V.fields, sessionId: 'short' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });
});
