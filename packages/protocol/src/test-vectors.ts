/**
 * Published test vectors: fixed inputs and the exact bytes every implementation must produce.
 */
import type { DisplayedContext } from './context-text.js';
import type { SignedFields } from './signing.js';

/**
 * The published context vector (also in `docs/protocol.md`): a login request as the phone receives
 * it, its canonical context text and that text's digest. An implementation must reproduce `text`
 * from `request` and `digest` from `text` (first 32 bytes of SHA-512, base64url). The place is
 * non-ASCII, so the UTF-8 and base64url of the requester lines are checked too.
 */
export const CONTEXT_TEST_VECTOR = {
  request: {
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
  } satisfies DisplayedContext,
  text: [
    'qrlogin-context-v1',
    'origin:https://example.com',
    'sid:V1StGXR8_Z5jdHi6B-myT0',
    'ip:MjAzLjAuMTEzLjc',
    'ua:TW96aWxsYS81LjAgKFdpbmRvd3MgTlQgMTAuMDsgV2luNjQ7IHg2NCkgQ2hyb21lLzEzMS4wLjAuMA',
    'browser:Q2hyb21lIDEzMQ',
    'os:V2luZG93cyAxMA',
    'page:aHR0cHM6Ly9leGFtcGxlLmNvbQ',
    'place:WsO8cmljaCwgQ0g',
    'created:1767225600000',
    'same-network:false',
    'same-place:true',
    'distance:near',
    'policy:warn',
    'code-required:true',
  ].join('\n'),
  digest: 'eL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE',
} as const;

/**
 * The published signing test vector (also in `docs/protocol.md`): a version 3 confirm binding the
 * digest of {@link CONTEXT_TEST_VECTOR}. Any implementation of the protocol — ours on Node and
 * Hermes, or a third party's — must reproduce `message` from `fields` and `signature` from
 * `seedHex`: Ed25519 is deterministic.
 */
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
    contextDigest: CONTEXT_TEST_VECTOR.digest,
    timestamp: 1767225600000,
    code: '42',
  } satisfies SignedFields,
  message: [
    'qrlogin-signature-v3',
    'action:confirm',
    'aud:https://example.com',
    'sid:V1StGXR8_Z5jdHi6B-myT0',
    'chal:Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
    'dev:dev1StGXR8_Z5jdHi6B-my',
    'key:',
    'user:',
    'ctx:eL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE',
    'ref:',
    'text:',
    'ts:1767225600000',
    'code:42',
  ].join('\n'),
  signature: 'wT44ifmYLK26-HAr0M5d4gpxEMx86Tsk6_-PAzLhyuR4CMZgKsjYA2FjbaABtjqXyaEXc2s9wg7lihqs840gBg',
} as const;

const { contextDigest: _, ...LEGACY_CONFIRM_FIELDS } = SIGNING_TEST_VECTOR.fields;

/**
 * The version 1 confirm an app from before the context digest signs (`version: 1`): no `ctx` line.
 * A server builds it only to recognise such an app and answer `UNSUPPORTED_VERSION`.
 */
export const LEGACY_CONFIRM_TEST_VECTOR = {
  seedHex: SIGNING_TEST_VECTOR.seedHex,
  publicKey: SIGNING_TEST_VECTOR.publicKey,
  version: 1,
  fields: LEGACY_CONFIRM_FIELDS,
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
