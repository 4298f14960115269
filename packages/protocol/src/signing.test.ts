import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { QrLoginError } from './errors.js';
import { isDeviceLabel } from './ids.js';
import { canonicalBytes, canonicalMessage, type SignedFields } from './signing.js';
import { REGISTER_TEST_VECTOR as R, SIGNING_TEST_VECTOR as V } from './test-vectors.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

describe('canonical signed message', () => {
  it('reproduces the published test vector byte for byte', () => {
    expect(canonicalMessage(V.fields)).toBe(V.message);
    const priv = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, Buffer.from(V.seedHex, 'hex')]),
      format: 'der',
      type: 'pkcs8',
    });
    const pub = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    expect(encodeBase64Url(pub)).toBe(V.publicKey);
    expect(encodeBase64Url(sign(null, canonicalBytes(V.fields), priv))).toBe(V.signature);
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
    expect(verify(null, canonicalBytes(V.fields), key, Buffer.from(decodeBase64Url(V.signature)!))).toBe(true);
  });

  it('changes when any one bound field changes', () => {
    const variants: Partial<SignedFields>[] = [
      { action: 'reject', code: undefined, contextDigest: undefined },
      { contextDigest: 'fL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE' },
      { audience: 'https://example.org' },
      { sessionId: 'X1StGXR8_Z5jdHi6B-myT0' },
      { challenge: 'R2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE' },
      { deviceId: 'xev1StGXR8_Z5jdHi6B-my' },
      { timestamp: V.fields.timestamp + 1 },
      { code: '43' },
    ];
    for (const change of variants) {
      expect(canonicalMessage({ ...V.fields, ...change } as SignedFields)).not.toBe(V.message);
    }
  });

  it('refuses fields that do not belong to the action or have the wrong format', () => {
    const bad: Partial<SignedFields>[] = [
      { audience: 'https://example.com/' },
      { audience: 'https://EXAMPLE.com' },
      { audience: 'https://example.com\naction:scan' },
      { sessionId: 'short' },
      { challenge: undefined },
      { publicKey: V.publicKey },
      { timestamp: 1.5 },
      { timestamp: -1 },
      { code: '4' },
      { action: 'scan' },
    ];
    for (const change of bad) {
      expect(() => canonicalMessage({ ...V.fields, ...change } as SignedFields)).toThrow(QrLoginError);
    }
  });

  it('never produces two messages from different field tuples (property)', () => {
    const id = (n: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${n}}$`));
    const fields = fc.record({
      sessionId: id(22),
      challenge: id(43),
      deviceId: id(22),
      contextDigest: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(encodeBase64Url),
      timestamp: fc.nat(),
      code: fc.option(fc.stringMatching(/^[0-9]{2}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        const ma = canonicalMessage({ action: 'confirm', audience: 'https://example.com', ...a });
        const mb = canonicalMessage({ action: 'confirm', audience: 'https://example.com', ...b });
        const same =
          a.sessionId === b.sessionId &&
          a.challenge === b.challenge &&
          a.deviceId === b.deviceId &&
          a.contextDigest === b.contextDigest &&
          a.timestamp === b.timestamp &&
          (a.code ?? '') === (b.code ?? '');
        expect(ma === mb).toBe(same);
      }),
    );
  });
});

describe('registration message (version 2)', () => {
  const seed = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(R.seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });

  it('reproduces the published registration vector byte for byte', () => {
    expect(canonicalMessage(R.fields)).toBe(R.message);
    expect(encodeBase64Url(sign(null, canonicalBytes(R.fields), seed))).toBe(R.signature);
  });

  it('binds the account: another userId gives another message', () => {
    expect(canonicalMessage({ ...R.fields, userId: 'mallory@example.com' })).not.toBe(R.message);
  });

  it('is domain-separated from version 1, which bound no account', () => {
    const { userId: _, ...v1 } = R.fields;
    const old = canonicalMessage(v1, 1);
    expect(old.split('\n')[0]).toBe('qrlogin-signature-v1');
    expect(old).not.toContain('user:');
    expect(() => canonicalMessage(R.fields, 1)).toThrow(/userId/);
    expect(() => canonicalMessage(v1)).toThrow(/userId/);
    expect(() => canonicalMessage(V.fields, 2)).toThrow(/version/);
  });

  it('writes the account as base64url of its UTF-8, and refuses what has none (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (userId) => {
        const line = canonicalMessage({ ...R.fields, userId }).split('\n')[7];
        expect(line).toBe(`user:${Buffer.from(userId, 'utf8').toString('base64url')}`);
      }),
    );
    for (const userId of ['', 'a\ud800', '\udc00b', 'x'.repeat(257)]) {
      expect(() => canonicalMessage({ ...R.fields, userId })).toThrow(QrLoginError);
    }
  });
});

describe('base64url', () => {
  it('round-trips any bytes and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses non-canonical text', () => {
    expect(decodeBase64Url('__9')).toBeNull(); // trailing bits set
    expect(decodeBase64Url('a')).toBeNull();
    expect(decodeBase64Url('ab+/')).toBeNull();
    expect(decodeBase64Url('ab==')).toBeNull();
  });
});

describe('version 3 actions', () => {
  const base = { audience: 'https://example.com', deviceId: V.fields.deviceId, timestamp: V.fields.timestamp };

  it('writes every line of version 3 in its fixed order, the text as base64url of its UTF-8', () => {
    const text = canonicalMessage({
      ...base,
      action: 'rename-device',
      ref: 'xev1StGXR8_Z5jdHi6B-my',
      text: 'Ana’s 📱',
    });
    expect(text.split('\n')).toEqual([
      'qrlogin-signature-v3',
      'action:rename-device',
      'aud:https://example.com',
      'sid:',
      'chal:',
      `dev:${V.fields.deviceId}`,
      'key:',
      'user:',
      'ctx:',
      'ref:xev1StGXR8_Z5jdHi6B-my',
      `text:${Buffer.from('Ana’s 📱', 'utf8').toString('base64url')}`,
      `ts:${V.fields.timestamp}`,
      'code:',
    ]);
  });

  it('checks ref against the format of the action it belongs to', () => {
    expect(() => canonicalMessage({ ...base, action: 'find-session', ref: 'K7M2Q9RT' })).not.toThrow();
    expect(() => canonicalMessage({ ...base, action: 'find-session', ref: 'k7m2q9rt' })).toThrow(/short code/);
    expect(() => canonicalMessage({ ...base, action: 'find-session', ref: 'K7M2Q9R0' })).toThrow(/short code/);
    expect(() => canonicalMessage({ ...base, action: 'end-login', ref: 'K7M2Q9RT' })).toThrow(/login id/);
    expect(() => canonicalMessage({ ...base, action: 'list-logins', ref: 'K7M2Q9RT' })).toThrow(/absent/);
  });

  it('refuses a field the version has no line for, and an action signed in a version it is not', () => {
    expect(() => canonicalMessage({ ...base, action: 'list-logins' }, 1)).toThrow(/version/);
    expect(() => canonicalMessage({ ...V.fields, ref: 'x' })).toThrow(/ref/);
  });

  it('domain-separates the actions: the same fields under two actions never give one message', () => {
    const a = canonicalMessage({ ...base, action: 'list-logins' });
    const b = canonicalMessage({ ...base, action: 'end-all-logins' });
    const c = canonicalMessage({ ...base, action: 'list-devices' });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('never produces two messages from different field tuples (property)', () => {
    // Any label the format accepts (controls, bidi marks and blank labels are refused by design).
    const label = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter(isDeviceLabel);
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
    fc.assert(
      fc.property(fc.tuple(id, id, label), fc.tuple(id, id, label), ([d1, r1, t1], [d2, r2, t2]) => {
        const m1 = canonicalMessage({ ...base, action: 'rename-device', deviceId: d1, ref: r1, text: t1 });
        const m2 = canonicalMessage({ ...base, action: 'rename-device', deviceId: d2, ref: r2, text: t2 });
        expect(m1 === m2).toBe(d1 === d2 && r1 === r2 && t1 === t2);
      }),
    );
  });
});
