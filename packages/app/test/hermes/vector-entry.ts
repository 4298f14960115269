/**
 * Run in Hermes against the built package (resolved through its `react-native` condition): the
 * published test vector from its seed, and the refusal to make a key without a random source.
 */
import { deviceKeysFromSeed, generateDeviceKeys, isQrLoginError, signFields } from '@qrlogin/app';

declare const print: (text: string) => void;

// Duplicated from the protocol's SIGNING_TEST_VECTOR on purpose: this entry imports only what an
// app imports, the published package.
const seed = new Uint8Array(32).map((_, i) => i);
const fields = {
  action: 'confirm',
  audience: 'https://example.com',
  sessionId: 'V1StGXR8_Z5jdHi6B-myT0',
  challenge: 'Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
  deviceId: 'dev1StGXR8_Z5jdHi6B-my',
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
print(JSON.stringify({ publicKey: keys.publicKey, signature: signFields(keys, fields), noRandom }));
