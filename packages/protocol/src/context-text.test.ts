import { createHash, createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from './base64url.js';
import {
  CONTEXT_TEXT_HEADER,
  contextDigest,
  contextText,
  type DisplayedContext,
  parseContextText,
} from './context-text.js';
import { QrLoginError } from './errors.js';
import { isContextDigest } from './ids.js';
import { canonicalBytes, canonicalMessage } from './signing.js';
import { CONTEXT_TEST_VECTOR as C, LEGACY_CONFIRM_TEST_VECTOR as L, SIGNING_TEST_VECTOR as V } from './test-vectors.js';

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest();
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const seed = createPrivateKey({
  key: Buffer.concat([PKCS8_PREFIX, Buffer.from(V.seedHex, 'hex')]),
  format: 'der',
  type: 'pkcs8',
});

// Every string a JSON scan response can carry, lone surrogates included.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const displayed: fc.Arbitrary<DisplayedContext> = fc.record({
  origin: fc.constantFrom('https://example.com', 'https://example.org', 'http://localhost:3000'),
  sessionId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  requester: fc.record(
    {
      ip: anyText,
      userAgent: anyText,
      browser: anyText,
      os: anyText,
      origin: anyText,
      place: anyText,
      createdAt: fc.nat(),
    },
    { requiredKeys: ['ip', 'userAgent', 'browser', 'os', 'origin', 'createdAt'] },
  ),
  proximity: fc.record(
    {
      sameNetwork: fc.boolean(),
      samePlace: fc.boolean(),
      distance: fc.constantFrom('near' as const, 'far' as const, 'unknown' as const),
      policy: fc.constantFrom('off' as const, 'warn' as const, 'deny' as const),
    },
    { requiredKeys: ['sameNetwork', 'distance', 'policy'] },
  ),
  codeRequired: fc.boolean(),
});

describe('context text', () => {
  it('reproduces the published context vector: text and digest', () => {
    expect(contextText(C.request)).toBe(C.text);
    expect(contextDigest(C.text, sha512)).toBe(C.digest);
    expect(isContextDigest(C.digest)).toBe(true);
    expect(C.text.split('\n')[0]).toBe(CONTEXT_TEXT_HEADER);
  });

  it('reproduces the published version 3 confirm, which signs that digest', () => {
    expect(V.fields.contextDigest).toBe(C.digest);
    expect(canonicalMessage(V.fields)).toBe(V.message);
    expect(encodeBase64Url(sign(null, canonicalBytes(V.fields), seed))).toBe(V.signature);
  });

  it('keeps the version 1 confirm an outdated app signs, without a ctx line', () => {
    expect(canonicalMessage(L.fields, L.version)).toBe(L.message);
    expect(encodeBase64Url(sign(null, canonicalBytes(L.fields, L.version), seed))).toBe(L.signature);
    expect(() => canonicalMessage(L.fields)).toThrow(/contextDigest/);
  });

  it('changes with every displayed field', () => {
    const r = C.request;
    const variants: DisplayedContext[] = [
      { ...r, origin: 'https://example.org' },
      { ...r, sessionId: 'X1StGXR8_Z5jdHi6B-myT0' },
      { ...r, requester: { ...r.requester, ip: '203.0.113.8' } },
      { ...r, requester: { ...r.requester, userAgent: 'curl/8' } },
      { ...r, requester: { ...r.requester, browser: 'Firefox 133' } },
      { ...r, requester: { ...r.requester, os: 'Linux' } },
      { ...r, requester: { ...r.requester, origin: 'https://evil.example' } },
      { ...r, requester: { ...r.requester, place: 'Berlin, DE' } },
      { ...r, requester: { ...r.requester, place: '' } },
      { ...r, requester: { ...r.requester, place: undefined } },
      { ...r, requester: { ...r.requester, createdAt: r.requester.createdAt + 1 } },
      { ...r, proximity: { ...r.proximity, sameNetwork: true } },
      { ...r, proximity: { ...r.proximity, samePlace: false } },
      { ...r, proximity: { sameNetwork: false, distance: 'near', policy: 'warn' } },
      { ...r, proximity: { ...r.proximity, distance: 'far' } },
      { ...r, proximity: { ...r.proximity, policy: 'deny' } },
      { ...r, codeRequired: false },
    ];
    const texts = new Set([C.text, ...variants.map(contextText)]);
    expect(texts.size).toBe(variants.length + 1);
    const digests = new Set([...texts].map((text) => contextDigest(text, sha512)));
    expect(digests.size).toBe(texts.size);
  });

  it('never gives two different displayed contexts one text, and parses each back to itself (property)', () => {
    fc.assert(
      fc.property(displayed, displayed, (a, b) => {
        const ta = contextText(a);
        expect(ta === contextText(b)).toBe(JSON.stringify(a) === JSON.stringify(b) && sameStrings(a, b));
        expect(parseContextText(ta)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart strings that differ only in a lone surrogate (what UTF-8 alone cannot)', () => {
    const place = (value: string) => contextText({ ...C.request, requester: { ...C.request.requester, place: value } });
    expect(place('a\ud800')).not.toBe(place('a'));
    expect(place('\ud800')).not.toBe(place('\udc00'));
    expect(place('\ud83d\ude00')).not.toBe(place('\ud83d'));
  });

  it('is ASCII, one line a field: no value can add or break a line (property)', () => {
    fc.assert(
      fc.property(displayed, (context) => {
        const text = contextText(context);
        expect(text).toMatch(/^[\x20-\x7e\n]+$/);
        expect(text.split('\n')).toHaveLength(15);
      }),
    );
  });

  it('refuses a malformed request, naming the field', () => {
    const r = C.request;
    const bad: [unknown, RegExp][] = [
      [{ ...r, origin: 'https://example.com/' }, /origin/],
      [{ ...r, sessionId: 'short' }, /sessionId/],
      [{ ...r, requester: null }, /requester/],
      [{ ...r, requester: { ...r.requester, browser: 5 } }, /requester\.browser/],
      [{ ...r, requester: { ...r.requester, createdAt: 1.5 } }, /createdAt/],
      [{ ...r, proximity: { ...r.proximity, sameNetwork: 'yes' } }, /sameNetwork/],
      [{ ...r, proximity: { ...r.proximity, samePlace: null } }, /samePlace/],
      [{ ...r, proximity: { ...r.proximity, distance: 'close' } }, /distance/],
      [{ ...r, proximity: { ...r.proximity, policy: undefined } }, /policy/],
      [{ ...r, codeRequired: 'true' }, /codeRequired/],
    ];
    for (const [request, field] of bad) {
      expect(() => contextText(request as DisplayedContext)).toThrow(QrLoginError);
      expect(() => contextText(request as DisplayedContext)).toThrow(field);
    }
  });

  it('parses only what contextText writes, and no changed text back to the same request (property)', () => {
    const lines = C.text.split('\n');
    const edits = [
      `${C.text}\n`,
      C.text.replace('same-place:true', 'same-place:yes'),
      C.text.replace('created:1767225600000', 'created:1.7672256e12'),
      C.text.replace('place:WsO8cmljaCwgQ0g', 'place:WsO8cmljaCwgQ0h'),
      [...lines.slice(0, 3), ...lines.slice(4)].join('\n'),
      [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n'),
      C.text.replace(CONTEXT_TEXT_HEADER, 'qrlogin-context-v2'),
    ];
    for (const text of edits) expect(() => parseContextText(text), text).toThrow(QrLoginError);
    expect(parseContextText(C.text)).toEqual(C.request);
    fc.assert(
      fc.property(fc.nat(C.text.length - 1), fc.integer({ min: 1, max: 127 }), (at, delta) => {
        const code = (C.text.charCodeAt(at) + delta) % 128;
        const changed = C.text.slice(0, at) + String.fromCharCode(code) + C.text.slice(at + 1);
        let parsed: DisplayedContext | undefined;
        try {
          parsed = parseContextText(changed);
        } catch (error) {
          expect(error).toBeInstanceOf(QrLoginError);
          return;
        }
        // A change inside a base64url value can spell another valid context: then it is that one.
        expect(contextText(parsed)).toBe(changed);
        expect(parsed).not.toEqual(C.request);
      }),
    );
  });
});

// JSON.stringify writes a lone surrogate as an escape, so equal JSON means equal strings; kept
// explicit so the property states exactly what "the same displayed context" means.
function sameStrings(a: DisplayedContext, b: DisplayedContext): boolean {
  return (['ip', 'userAgent', 'browser', 'os', 'origin', 'place'] as const).every(
    (key) => a.requester[key] === b.requester[key],
  );
}
