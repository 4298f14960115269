import { describe, expect, it } from 'vitest';
import { LINK_LOCALES, type QrLinkStrings, resolveLinkStrings } from '../src/link.js';

describe('link strings', () => {
  const keys = Object.keys(LINK_LOCALES.en) as (keyof QrLinkStrings)[];
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

  it.each(Object.keys(LINK_LOCALES))('%s has every key, none empty, the same placeholders as English', (locale) => {
    const table = LINK_LOCALES[locale as keyof typeof LINK_LOCALES];
    expect(Object.keys(table).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(table[key].trim()).not.toBe('');
      expect(placeholders(table[key])).toEqual(placeholders(LINK_LOCALES.en[key]));
    }
  });

  it('names the phone in the question, and Chinese and Japanese are translations', () => {
    expect(placeholders(LINK_LOCALES.en.scanned)).toEqual(['label']);
    for (const key of keys) {
      expect(LINK_LOCALES['zh-CN'][key]).not.toBe(LINK_LOCALES.en[key]);
      expect(LINK_LOCALES.ja[key]).not.toBe(LINK_LOCALES.en[key]);
    }
  });

  it('picks the table by language tag, overrides on top', () => {
    expect(resolveLinkStrings('ja-JP').confirm).toBe('連携する');
    expect(resolveLinkStrings('zh-Hant').confirm).toBe('关联手机');
    expect(resolveLinkStrings('de', { confirm: 'Verknüpfen' })).toMatchObject({
      confirm: 'Verknüpfen',
      reject: 'Refuse',
    });
  });
});
