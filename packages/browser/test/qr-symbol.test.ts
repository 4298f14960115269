/**
 * Our byte-mode symbol builder against the full `qrcode` package given the same single byte
 * segment: same version, same mask, same modules, for any text a login URL can be and at every
 * version boundary. (The reference gets Node's UTF-8 bytes of the text, ours `TextEncoder`'s.)
 */
import fc from 'fast-check';
import QRCode from 'qrcode';
import { H, L, M, Q } from 'qrcode/lib/core/error-correction-level.js';
import { getCapacity } from 'qrcode/lib/core/version.js';
import { describe, expect, it } from 'vitest';
import { type ErrorCorrectionLevel, qrMatrix } from '../src/qr-matrix.js';
import { qrSymbol } from '../src/qr-symbol.js';

const LEVELS = ['L', 'M', 'Q', 'H'] as const;
const QRCODE_LEVEL = { L, M, Q, H };

function expectSameAsQrcode(text: string, level: ErrorCorrectionLevel) {
  const reference = QRCode.create([{ data: Buffer.from(text), mode: 'byte' }], { errorCorrectionLevel: level });
  const ours = qrSymbol(text, level);
  expect({ version: ours.version, maskPattern: ours.maskPattern, size: ours.modules.size }).toEqual({
    version: reference.version,
    maskPattern: reference.maskPattern,
    size: reference.modules.size,
  });
  // One comparison of the whole grid: a mismatch shows as two strings rather than thousands of cells.
  expect(ours.modules.data.join('')).toBe(reference.modules.data.join(''));
  return ours;
}

/** `bytes` bytes of URL-like ASCII, varied enough that every mask gets a different penalty. */
const urlText = (bytes: number) =>
  'https://login.example.com/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0?'.repeat(Math.ceil(bytes / 60) + 1).slice(0, bytes);

describe('qrSymbol matches qrcode for one byte segment', () => {
  it('for any qrlogin payload, URL or text up to 300 characters, at every level (property)', () => {
    const payload = fc
      .tuple(
        fc.constantFrom('https://', 'http://'),
        fc.webAuthority({ withPort: true }),
        fc.webPath({ size: 'medium' }),
        fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      )
      .map(([scheme, authority, path, sessionId]) => `${scheme}${authority}${path}/q/1/${sessionId}`);
    const text = fc.oneof(
      payload,
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ minLength: 1, maxLength: 300 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...LEVELS), (t, level) => {
        expectSameAsQrcode(t, level);
      }),
      { numRuns: 300 },
    );
  });

  it.each(LEVELS)('at every version boundary, level %s: a full version v, and one byte more in v + 1', (level) => {
    for (let version = 1; version <= 40; version++) {
      const capacity = getCapacity(version, QRCODE_LEVEL[level]);
      expect(expectSameAsQrcode(urlText(capacity), level).version).toBe(version);
      if (version < 40) expect(expectSameAsQrcode(urlText(capacity + 1), level).version).toBe(version + 1);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    const capacity = getCapacity(4, M); // 62 bytes
    const text = `${'é'.repeat(10)}${urlText(capacity - 20)}`;
    expect(text).toHaveLength(capacity - 10);
    expect(expectSameAsQrcode(text, 'M').version).toBe(4);
    expect(expectSameAsQrcode(`${text}é`, 'M').version).toBe(5);
  });
});

describe('too much text', () => {
  it.each(LEVELS)('level %s: a RangeError naming the limit, one byte past version 40', (level) => {
    const capacity = getCapacity(40, QRCODE_LEVEL[level]);
    expect(qrMatrix(urlText(capacity), level).size).toBe(177);
    expect(() => qrMatrix(urlText(capacity + 1), level)).toThrowError(
      new RangeError(`QR text too long: ${capacity + 1} bytes of UTF-8, level ${level} holds at most ${capacity}`),
    );
    expect(() =>
      QRCode.create([{ data: Buffer.from(urlText(capacity + 1)), mode: 'byte' }], { errorCorrectionLevel: level }),
    ).toThrow(/too big/);
  });
});
