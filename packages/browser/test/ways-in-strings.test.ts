import { describe, expect, it } from 'vitest';
import { WAYS_IN_STRINGS, waysInStrings } from '../src/i18n/ways-in.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('ways-in strings', () => {
  const keys = Object.keys(WAYS_IN_STRINGS.en).sort();
  it.each(Object.keys(WAYS_IN_STRINGS))(
    '%s has every key, translated, with the same placeholders as English',
    (locale) => {
      const table = WAYS_IN_STRINGS[locale as keyof typeof WAYS_IN_STRINGS];
      expect(Object.keys(table).sort()).toEqual(keys);
      for (const key of keys as (keyof typeof table)[]) {
        expect(table[key].trim()).not.toBe('');
        expect(placeholders(table[key])).toEqual(placeholders(WAYS_IN_STRINGS.en[key]));
        if (locale !== 'en') expect(table[key]).not.toBe(WAYS_IN_STRINGS.en[key]);
      }
    },
  );
  it('picks the table by language tag and lets overrides win', () => {
    expect(waysInStrings('ja-JP').openInApp).toBe(WAYS_IN_STRINGS.ja.openInApp);
    expect(waysInStrings('zh-Hant').cantScan).toBe(WAYS_IN_STRINGS['zh-CN'].cantScan);
    expect(waysInStrings('de', { openInApp: 'In der App öffnen' }).openInApp).toBe('In der App öffnen');
  });
});
