import { describe, expect, it } from 'vitest';
import { formatString, LOCALES, pickLocale, type QrLoginStrings, resolveStrings } from '../src/index.js';

describe('pickLocale', () => {
  it.each([
    ['en', 'en'],
    ['en-GB', 'en'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans-SG', 'zh-CN'],
    ['ZH_tw', 'zh-CN'],
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['de', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
    ['jam', 'en'],
  ] as const)('%s → %s', (lang, locale) => {
    expect(pickLocale(lang)).toBe(locale);
  });
});

describe('built-in strings', () => {
  const keys = Object.keys(LOCALES.en) as (keyof QrLoginStrings)[];

  it.each(Object.keys(LOCALES))('%s has every key, none empty, and the same placeholders as English', (locale) => {
    const table = LOCALES[locale as keyof typeof LOCALES];
    expect(Object.keys(table).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(table[key].trim()).not.toBe('');
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(placeholders(table[key])).toEqual(placeholders(LOCALES.en[key]));
    }
  });

  it('Chinese and Japanese are translations, not English copies', () => {
    for (const key of keys) {
      expect(LOCALES['zh-CN'][key]).not.toBe(LOCALES.en[key]);
      expect(LOCALES.ja[key]).not.toBe(LOCALES.en[key]);
    }
  });
});

describe('resolveStrings', () => {
  it('follows the language tag', () => {
    expect(resolveStrings('ja-JP').refresh).toBe(LOCALES.ja.refresh);
    expect(resolveStrings('zh-CN').signedIn).toBe(LOCALES['zh-CN'].signedIn);
    expect(resolveStrings('fr').pending).toBe(LOCALES.en.pending);
  });

  it('puts overrides on top of the chosen language and keeps the rest', () => {
    const strings = resolveStrings('ja', { refresh: '更新' });
    expect(strings.refresh).toBe('更新');
    expect(strings.pending).toBe(LOCALES.ja.pending);
    expect(LOCALES.ja.refresh).not.toBe('更新'); // the built-in table is untouched
  });
});

describe('formatString', () => {
  it('fills placeholders as plain text and leaves unknown ones', () => {
    expect(formatString('Enter {code} now, {who}', { code: '<b>42</b>' })).toBe('Enter <b>42</b> now, {who}');
    expect(formatString(LOCALES['zh-CN'].countdown, { time: '1:05' })).toBe('1:05 后过期');
  });
});
