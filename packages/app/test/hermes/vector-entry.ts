/**
 * Run in Hermes against the built package (resolved through its `react-native` condition): the
 * published test vector from its seed, and the refusal to make a key without a random source.
 */
import { contextDigestOf, deviceKeysFromSeed, generateDeviceKeys, isQrLoginError, signFields } from '@qrlogin/app';

declare const print: (text: string) => void;

// Duplicated from the protocol's CONTEXT_TEST_VECTOR and SIGNING_TEST_VECTOR on purpose: this
// entry imports only what an app imports, the published package.
const seed = new Uint8Array(32).map((_, i) => i);
const request = {
  origin: 'https://example.com',
  sessionId: 'V1StGXR8_Z5jdHi6B-myT0',
  requester: {
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0',
    browser: 'Chrome 131',
    os: 'Windows 10',
    origin: 'https://example.com',
    place: 'Zürich, CH',
    createdAt: 1767225600000,
  },
  proximity: { sameNetwork: false, samePlace: true, distance: 'near', policy: 'warn' },
  codeRequired: true,
} as const;
// SHA-512 by tweetnacl on Hermes, as the app computes it before signing a confirm.
const contextDigest = contextDigestOf(request);
const fields = {
  action: 'confirm',
  audience: 'https://example.com',
  sessionId: 'V1StGXR8_Z5jdHi6B-myT0',
  challenge: 'Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
  deviceId: 'dev1StGXR8_Z5jdHi6B-my',
  contextDigest,
  timestamp: 1767225600000,
  code: '42',
} as const;

let noRandom = 'no error';
try {
  generateDeviceKeys();
} catch (err) {
  noRandom = isQrLoginError(err) ? err.code : String(err);
}
const keys = deviceKeysFromSeed(seed);
print(JSON.stringify({ publicKey: keys.publicKey, contextDigest, signature: signFields(keys, fields), noRandom }));
