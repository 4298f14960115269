import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQrLoginError } from './errors.js';
import { isCanonicalOrigin, parseUrl } from './origin.js';
import { formatQrPayload, parseQrPayload } from './qr-payload.js';

const sessionId = 'V1StGXR8_Z5jdHi6B-myT0';

describe('QR payload', () => {
  it('round-trips', () => {
    const text = formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId });
    expect(text).toBe(`https://example.com/qrlogin/q/1/${sessionId}`);
    expect(parseQrPayload(text)).toEqual({
      kind: 'login',
      origin: 'https://example.com',
      basePath: '/qrlogin',
      version: 1,
      sessionId,
    });
    expect(parseQrPayload(`http://localhost:3000/q/1/${sessionId}`).basePath).toBe('');
  });

  it('round-trips a link code, told apart from a login code by its path', () => {
    const text = formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId, kind: 'link' });
    expect(text).toBe(`https://example.com/qrlogin/link/1/${sessionId}`);
    expect(parseQrPayload(text)).toEqual({
      kind: 'link',
      origin: 'https://example.com',
      basePath: '/qrlogin',
      version: 1,
      sessionId,
    });
    // A base path that itself ends in "link" or "q" is still a base path.
    expect(parseQrPayload(`https://example.com/link/q/1/${sessionId}`)).toMatchObject({
      kind: 'login',
      basePath: '/link',
    });
    expect(parseQrPayload(`https://example.com/q/link/1/${sessionId}`)).toMatchObject({ kind: 'link', basePath: '/q' });
  });

  it('normalises scheme, host case and default ports', () => {
    expect(parseQrPayload(`HTTPS://Example.COM:443/qrlogin/q/1/${sessionId}`).origin).toBe('https://example.com');
    expect(parseQrPayload(`http://[::1]:8080/q/1/${sessionId}`).origin).toBe('http://[::1]:8080');
  });

  it.each([
    ['an unknown version', `https://example.com/qrlogin/q/2/${sessionId}`],
    ['a short id', 'https://example.com/qrlogin/q/1/abc'],
    ['userinfo', `https://example.com@evil.com/q/1/${sessionId}`],
    ['another scheme', `javascript://example.com/q/1/${sessionId}`],
    ['a query', `https://example.com/q/1/${sessionId}?x=1`],
    ['a backslash', `https://example.com\\@evil.com/q/1/${sessionId}`],
    ['a bad port', `https://example.com:99999/q/1/${sessionId}`],
    ['plain text', 'hello'],
    ['an unknown kind', `https://example.com/qrlogin/pair/1/${sessionId}`],
    ['a link code of an unknown version', `https://example.com/qrlogin/link/2/${sessionId}`],
  ])('refuses %s', (_, text) => {
    expect(() => parseQrPayload(text)).toThrowError(expect.objectContaining({ code: 'INVALID_QR' }));
  });

  it('never throws anything but INVALID_QR on arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.string({ unit: 'binary' }),
          fc
            .tuple(fc.webUrl({ withQueryParameters: false, withFragments: false }), fc.constantFrom('q', 'link', 'l'))
            .map(([url, kind]) => `${url.replace(/\/$/, '')}/${kind}/1/${sessionId}`),
        ),
        (text) => {
          try {
            const parsed = parseQrPayload(text);
            expect(formatQrPayload(parsed)).toBe(
              `${parsed.origin}${parsed.basePath}/${parsed.kind === 'link' ? 'link' : 'q'}/${parsed.version}/${parsed.sessionId}`,
            );
          } catch (err) {
            expect(isQrLoginError(err) && err.code === 'INVALID_QR').toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('origins', () => {
  it('accepts canonical origins only', () => {
    expect(isCanonicalOrigin('https://example.com')).toBe(true);
    expect(isCanonicalOrigin('http://localhost:3000')).toBe(true);
    expect(isCanonicalOrigin('https://example.com:443')).toBe(false);
    expect(isCanonicalOrigin('https://example.com/')).toBe(false);
    expect(isCanonicalOrigin('null')).toBe(false);
  });

  it('parses arbitrary web URLs like WHATWG URL does, for the origin (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'] }), (text) => {
        const ours = parseUrl(text);
        const url = new URL(text);
        if (ours) expect(ours.origin).toBe(url.origin);
      }),
      { numRuns: 2000 },
    );
  });
});
