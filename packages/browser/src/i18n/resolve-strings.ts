import { en } from './en.js';
import { ja } from './ja.js';
import type { QrLoginStrings } from './strings.js';
import { zhCN } from './zh-cn.js';

/** Languages with built-in strings. */
export type QrLoginLocale = 'en' | 'zh-CN' | 'ja';

/**
 * The built-in string tables.
 *
 * @example
 * element.strings = { ...LOCALES.en, refresh: 'Show a new code' };
 */
export const LOCALES: Readonly<Record<QrLoginLocale, QrLoginStrings>> = { en, 'zh-CN': zhCN, ja };

/**
 * Picks the built-in locale for a BCP 47 language tag (the `lang` attribute). Every Chinese tag
 * gets Simplified Chinese, the only Chinese table shipped (override `strings` for Traditional);
 * anything unknown or empty gets English.
 *
 * @example
 * pickLocale('zh-Hans-SG') // 'zh-CN'
 * pickLocale('ja-JP') // 'ja'
 * pickLocale('de') // 'en'
 */
export function pickLocale(lang: string | null | undefined): QrLoginLocale {
  const primary = (lang ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' ? 'zh-CN' : primary === 'ja' ? 'ja' : 'en';
}

/**
 * The strings for a language tag, with the host's overrides on top. Overrides win for every key
 * they set; the rest come from the built-in table.
 *
 * @example
 * resolveStrings('ja', { refresh: '更新' }).refresh // '更新'
 */
export function resolveStrings(lang: string | null | undefined, overrides?: Partial<QrLoginStrings>): QrLoginStrings {
  return { ...LOCALES[pickLocale(lang)], ...overrides };
}
