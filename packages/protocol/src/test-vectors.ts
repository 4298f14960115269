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

/**
 * The published registration vector (version 2 of the signed message, also in `docs/protocol.md`):
 * the same key registering itself to a non-ASCII account id, so an implementation also checks its
 * UTF-8 and base64url of the `user` line.
 */
export const REGISTER_TEST_VECTOR = {
  seedHex: SIGNING_TEST_VECTOR.seedHex,
  publicKey: SIGNING_TEST_VECTOR.publicKey,
  fields: {
    action: 'register',
    audience: 'https://example.com',
    publicKey: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
    userId: 'ana.müller@example.com',
    timestamp: 1767225600000,
  } satisfies SignedFields,
  message: [
    'qrlogin-signature-v2',
    'action:register',
    'aud:https://example.com',
    'sid:',
    'chal:',
    'dev:',
    'key:A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
    'user:YW5hLm3DvGxsZXJAZXhhbXBsZS5jb20',
    'ts:1767225600000',
    'code:',
  ].join('\n'),
  signature: 'kXLjUDjbIryb-GAeevwLh2zl0Gi3aR29M0MPoynuhmHKw4S8zgeqN4MoCSIBMjgFFoBG6w9Ponrm8_dvkpXQAw',
} as const;
