/**
 * The published signing test vector (also in `docs/protocol.md`). Any implementation of the
 * protocol — ours on Node and Hermes, or a third party's — must reproduce `message` from `fields`
 * and `signature` from `seedHex`: Ed25519 is deterministic.
 */
import type { SignedFields } from './signing.js';

export const SIGNING_TEST_VECTOR = {
  /** Ed25519 seed (private key): bytes 0x00, 0x01, … 0x1f. */
  seedHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  publicKey: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
  fields: {
    action: 'confirm',
    audience: 'https://example.com',
    sessionId: 'V1StGXR8_Z5jdHi6B-myT0',
    challenge: 'Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
    deviceId: 'dev1StGXR8_Z5jdHi6B-my',
    timestamp: 1767225600000,
    code: '42',
  } satisfies SignedFields,
  message: [
    'qrlogin-signature-v1',
    'action:confirm',
    'aud:https://example.com',
    'sid:V1StGXR8_Z5jdHi6B-myT0',
    'chal:Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
    'dev:dev1StGXR8_Z5jdHi6B-my',
    'key:',
    'ts:1767225600000',
    'code:42',
  ].join('\n'),
  signature: 'yW7BRcPUuV1Df8wt7ozkg_IaNaVYCZttWkSny2PFXuOIsusNmlTnWfFEH3UlGnB3EJnZwDKMXUCSBTJLiw_CDA',
} as const;
