import { createPublicKey, randomBytes as nodeRandomBytes, verify } from 'node:crypto';
import { canonicalBytes, decodeBase64Url, QrLoginError, SIGNING_TEST_VECTOR as V } from '@qrlogin/protocol';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceKeysFromSeed, generateDeviceKeys } from './device-keys.js';
import { signFields } from './sign-fields.js';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Verifies with node:crypto, the server's verifier, not with tweetnacl itself. */
function nodeVerifies(publicKey: string, bytes: Uint8Array, signature: string): boolean {
  const key = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(decodeBase64Url(publicKey)!)]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, bytes, key, Buffer.from(decodeBase64Url(signature)!));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('deviceKeysFromSeed + signFields', () => {
  it('reproduces the published test vector', () => {
    const keys = deviceKeysFromSeed(Buffer.from(V.seedHex, 'hex'));
    expect(keys.publicKey).toBe(V.publicKey);
    expect(signFields(keys, V.fields)).toBe(V.signature);
    expect(nodeVerifies(keys.publicKey, canonicalBytes(V.fields), V.signature)).toBe(true);
  });

  it('keeps the seed and refuses seeds of the wrong size', () => {
    const seed = new Uint8Array(nodeRandomBytes(32));
    expect(deviceKeysFromSeed(seed).seed).toEqual(seed);
    expect(() => deviceKeysFromSeed(new Uint8Array(31))).toThrow(TypeError);
    expect(() => deviceKeysFromSeed(new Uint8Array(64))).toThrow(TypeError);
  });

  it('refuses fields that do not fit the action before signing', () => {
    const keys = deviceKeysFromSeed(Buffer.from(V.seedHex, 'hex'));
    expect(() => signFields(keys, { ...V.fields, sessionId: 'nope' })).toThrow(QrLoginError);
  });
});

describe('generateDeviceKeys', () => {
  it('derives the key from the injected random source', () => {
    const seed = new Uint8Array(nodeRandomBytes(32));
    const calls: number[] = [];
    const keys = generateDeviceKeys({
      randomBytes: (n) => {
        calls.push(n);
        return seed.slice(0, n);
      },
    });
    expect(calls).toEqual([32]);
    expect(keys.publicKey).toBe(deviceKeysFromSeed(seed).publicKey);
    const fields = { ...V.fields, timestamp: Date.now() };
    expect(nodeVerifies(keys.publicKey, canonicalBytes(fields), signFields(keys, fields))).toBe(true);
  });

  it('uses globalThis.crypto.getRandomValues, looked up at call time', () => {
    const getRandomValues = vi.fn((array: Uint8Array) => array.fill(7));
    vi.stubGlobal('crypto', { getRandomValues });
    const keys = generateDeviceKeys();
    expect(getRandomValues).toHaveBeenCalledTimes(1);
    expect(keys.seed).toEqual(new Uint8Array(32).fill(7));
  });

  it('wires the source into tweetnacl, so nacl.randomBytes uses it too', () => {
    generateDeviceKeys({ randomBytes: (n) => new Uint8Array(n).fill(9) });
    expect(nacl.randomBytes(4)).toEqual(new Uint8Array([9, 9, 9, 9]));
  });

  it('throws NO_SECURE_RANDOM, naming the polyfill, when there is no source — never Math.random', () => {
    vi.stubGlobal('crypto', undefined);
    const random = vi.spyOn(Math, 'random');
    const error = (() => {
      try {
        generateDeviceKeys();
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(QrLoginError);
    expect((error as QrLoginError).code).toBe('NO_SECURE_RANDOM');
    expect((error as QrLoginError).message).toContain('react-native-get-random-values');
    expect(random).not.toHaveBeenCalled();
  });

  it('refuses a source that answers with the wrong length, a non-Uint8Array, or only zeros', () => {
    const bad = [
      (n: number) => new Uint8Array(n - 1),
      () => Array.from({ length: 32 }, () => 1) as unknown as Uint8Array,
      (n: number) => new Uint8Array(n),
    ];
    for (const randomBytes of bad) {
      expect(() => generateDeviceKeys({ randomBytes })).toThrow(expect.objectContaining({ code: 'NO_SECURE_RANDOM' }));
    }
    expect(() => generateDeviceKeys({ randomBytes: 'x' as unknown as () => Uint8Array })).toThrow(TypeError);
  });
});
