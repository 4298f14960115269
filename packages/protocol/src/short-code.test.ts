import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isShortCode, SHORT_CODE_ALPHABET } from './ids.js';
import { formatShortCode, normalizeShortCode } from './short-code.js';

describe('normalizeShortCode', () => {
  it('accepts case, spaces and dashes around the symbols', () => {
    expect(normalizeShortCode('k7m2-q9rt')).toBe('K7M2Q9RT');
    expect(normalizeShortCode(' K7M2 Q9RT ')).toBe('K7M2Q9RT');
    expect(normalizeShortCode('k7m2–q9rt')).toBe('K7M2Q9RT');
  });
  it('refuses symbols outside the alphabet, wrong lengths and non-strings', () => {
    for (const bad of ['K7M2Q9R0', 'K7M2Q9RTX', 'K7M2Q9R', 'K7M2Q9RO', 'K7M2Q9RI', '', 42, null, 'K7M2/Q9RT']) {
      expect(normalizeShortCode(bad)).toBeUndefined();
    }
  });
  it('round-trips every canonical code through its shown form', () => {
    const code = fc
      .array(fc.constantFrom(...SHORT_CODE_ALPHABET), { minLength: 8, maxLength: 8 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(code, (c) => {
        expect(formatShortCode(c)).toMatch(/^.{4}-.{4}$/);
        expect(normalizeShortCode(formatShortCode(c).toLowerCase())).toBe(c);
      }),
    );
  });
  it('never returns anything but a canonical code', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const out = normalizeShortCode(s);
        expect(out === undefined || isShortCode(out)).toBe(true);
      }),
    );
  });
});
