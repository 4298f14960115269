/**
 * The package with the globals Hermes lacks taken away — `crypto`, `TextEncoder`, `TextDecoder`,
 * `URL`, `Buffer` — and imported fresh without them, as a React Native app may import it before
 * any polyfill. With an injected `randomBytes` it must still make keys and correct signatures;
 * without one it must refuse with NO_SECURE_RANDOM; `Math.random` must never be called.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import {
  canonicalBytes,
  contextDigest,
  contextText,
  type DisplayedContext,
  decodeBase64Url,
  formatQrPayload,
  type SignedFields,
  SIGNING_TEST_VECTOR as V,
} from '@qrlogin/protocol';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import type * as AppModule from '../src/index.js';

const REMOVED = ['crypto', 'TextEncoder', 'TextDecoder', 'URL', 'Buffer'] as const;
const NodeBuffer = Buffer;
const SPKI_PREFIX = NodeBuffer.from('302a300506032b6570032100', 'hex');

/** node:crypto's Ed25519 verifier, the one the server uses; captured before the globals go. */
function serverAccepts(publicKey: string, fields: SignedFields, signature: string): boolean {
  const key = createPublicKey({
    key: NodeBuffer.concat([SPKI_PREFIX, NodeBuffer.from(decodeBase64Url(publicKey)!)]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, canonicalBytes(fields), key, NodeBuffer.from(decodeBase64Url(signature)!));
}

describe('without crypto, TextEncoder, TextDecoder, URL and Buffer', () => {
  const saved = new Map<string, PropertyDescriptor>();
  let app: typeof AppModule;
  let mathRandom: MockInstance<() => number>;
  const entropy = new Uint8Array(randomBytes(64)); // drawn while crypto is still there

  const remove = (names: readonly string[]) => {
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
      if (descriptor) saved.set(name, descriptor);
      delete (globalThis as Record<string, unknown>)[name];
    }
  };

  beforeAll(async () => {
    mathRandom = vi.spyOn(Math, 'random');
    // vitest's own module loader needs URL to import a file, so URL goes right after the import;
    // the rest are gone while the package and tweetnacl are evaluated. (The Hermes test covers a
    // realm that never had any of them.)
    remove(REMOVED.filter((name) => name !== 'URL'));
    vi.resetModules();
    app = await import('../src/index.js');
    remove(['URL']);
  });

  afterAll(() => {
    for (const [name, descriptor] of saved) Object.defineProperty(globalThis, name, descriptor);
    mathRandom.mockRestore();
  });

  it('really runs without them', () => {
    for (const name of REMOVED) expect(typeof (globalThis as Record<string, unknown>)[name]).toBe('undefined');
  });

  it('refuses to make a key with NO_SECURE_RANDOM when no randomBytes is injected', () => {
    expect(() => app.generateDeviceKeys()).toThrow(expect.objectContaining({ code: 'NO_SECURE_RANDOM' }));
    expect(() => app.generateDeviceKeys()).toThrow(/react-native-get-random-values/);
  });

  it('reproduces the test vector', () => {
    const seed = new Uint8Array(32).map((_, i) => i);
    const keys = app.deviceKeysFromSeed(seed);
    expect(keys.publicKey).toBe(V.publicKey);
    expect(app.signFields(keys, V.fields)).toBe(V.signature);
  });

  it('signs scan and confirm correctly with an injected randomBytes', async () => {
    const keys = app.generateDeviceKeys({ randomBytes: (n) => entropy.slice(0, n) });
    const sessionId = 'V1StGXR8_Z5jdHi6B-myT0';
    const deviceId = 'dev1StGXR8_Z5jdHi6B-my';
    const challenge = 'Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE';
    const sent: {
      url: string;
      body: { timestamp: number; signature: string; code?: string; contextDigest?: string };
    }[] = [];
    const scanAnswer = {
      sessionId,
      origin: 'https://example.com',
      challenge,
      requester: { ip: '198.51.100.4', userAgent: '', browser: '', os: '', origin: '', createdAt: 1 },
      proximity: { sameNetwork: false, distance: 'unknown', policy: 'off' },
      codeRequired: true,
      expiresAt: 2,
      serverTime: 1,
      version: 2,
    };
    const answers = [scanAnswer, { sessionId, state: 'confirmed', version: 3 }];
    const client = app.createQrLoginApp({
      baseUrl: 'https://example.com/qrlogin',
      deviceId,
      keyStore: app.memoryKeyStore(keys.seed),
      now: () => 1_767_225_600_000,
      fetch: async (url, init) => {
        sent.push({ url, body: JSON.parse(init.body ?? '{}') });
        const answer = JSON.stringify(answers.shift());
        return { status: 200, headers: { get: () => null }, text: async () => answer };
      },
    });
    const request = await client.scan(
      formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId }),
    );
    // The digest by node:crypto's SHA-512, as the server computes it, of what the phone was sent.
    const digest = contextDigest(contextText(scanAnswer as DisplayedContext), (bytes) =>
      createHash('sha512').update(bytes).digest(),
    );
    expect(request.contextDigest).toBe(digest);
    await request.confirm({ code: '42' });

    const common = { audience: 'https://example.com', sessionId, deviceId, timestamp: 1_767_225_600_000 };
    expect(sent[1]!.body.contextDigest).toBe(digest);
    expect(sent.map((s) => s.url)).toEqual([
      `https://example.com/qrlogin/sessions/${sessionId}/scan`,
      `https://example.com/qrlogin/sessions/${sessionId}/confirm`,
    ]);
    expect(serverAccepts(keys.publicKey, { action: 'scan', ...common }, sent[0]!.body.signature)).toBe(true);
    expect(sent[1]!.body.code).toBe('42');
    expect(
      serverAccepts(
        keys.publicKey,
        { action: 'confirm', ...common, challenge, contextDigest: digest, code: '42' },
        sent[1]!.body.signature,
      ),
    ).toBe(true);
    // And the signature binds the code: the same bytes with another code do not verify.
    expect(
      serverAccepts(
        keys.publicKey,
        { action: 'confirm', ...common, challenge, contextDigest: digest, code: '43' },
        sent[1]!.body.signature,
      ),
    ).toBe(false);
  });

  it('never called Math.random', () => {
    expect(mathRandom).not.toHaveBeenCalled();
  });
});
